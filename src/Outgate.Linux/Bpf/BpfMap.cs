namespace Outgate.Linux.Bpf;

/// <summary>The map types we create (linux/bpf.h enum bpf_map_type).</summary>
public enum BpfMapType : uint
{
    Hash = 1,
    Array = 2,
    PerCpuArray = 6,
    LruHash = 9,
}

/// <summary>
/// A kernel BPF map with fixed-size keys and values, read and written from user space with bpf(2). Keys and values are
/// unmanaged structs laid out exactly as the programs read them.
/// </summary>
public sealed unsafe class BpfMap : IDisposable
{
    /// <summary>Hash maps allocate entries as they are added instead of all at creation.</summary>
    public const uint NoPrealloc = 1;

    private const ulong BPF_ANY = 0;

    private BpfMap(BpfHandle handle, string name, int keySize, int valueSize, uint maxEntries)
    {
        Handle = handle;
        Name = name;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
    }

    public BpfHandle Handle { get; }

    public string Name { get; }

    public int KeySize { get; }

    public int ValueSize { get; }

    public uint MaxEntries { get; }

    public static BpfMap Create(BpfMapType type, string name, int keySize, int valueSize, uint maxEntries, uint flags = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        var attr = new Interop.MapCreateAttr
        {
            MapType = (uint)type,
            KeySize = (uint)keySize,
            ValueSize = (uint)valueSize,
            MaxEntries = maxEntries,
            MapFlags = flags,
        };
        Interop.CopyName(attr.MapName, name);
        var fd = Interop.Bpf(Interop.BPF_MAP_CREATE, ref attr);
        if (fd < 0) throw BpfException.LastError($"creating BPF map '{name}' ({type}, {maxEntries} entries)");
        return new BpfMap(new BpfHandle((int)fd), name, keySize, valueSize, maxEntries);
    }

    /// <summary>Adds or replaces one entry; false when the kernel refused (E2BIG: the map is full).</summary>
    public bool TryUpdate<TKey, TValue>(in TKey key, in TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        Check<TKey>(KeySize, "key");
        Check<TValue>(ValueSize, "value");
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            var attr = new Interop.MapElemAttr { MapFd = Handle.Fd, Key = (ulong)k, Value = (ulong)v, Flags = BPF_ANY };
            return Interop.Bpf(Interop.BPF_MAP_UPDATE_ELEM, ref attr) == 0;
        }
    }

    public void Update<TKey, TValue>(in TKey key, in TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        if (!TryUpdate(key, value)) throw BpfException.LastError($"writing to BPF map '{Name}'");
    }

    public bool TryLookup<TKey, TValue>(in TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        Check<TKey>(KeySize, "key");
        Check<TValue>(ValueSize, "value");
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            var attr = new Interop.MapElemAttr { MapFd = Handle.Fd, Key = (ulong)k, Value = (ulong)v };
            return Interop.Bpf(Interop.BPF_MAP_LOOKUP_ELEM, ref attr) == 0;
        }
    }

    /// <summary>Reads one entry of a per-CPU map: one value per possible CPU.</summary>
    public bool TryLookupPerCpu<TKey>(in TKey key, Span<ulong> perCpu) where TKey : unmanaged
    {
        Check<TKey>(KeySize, "key");
        fixed (TKey* k = &key)
        fixed (ulong* v = perCpu)
        {
            var attr = new Interop.MapElemAttr { MapFd = Handle.Fd, Key = (ulong)k, Value = (ulong)v };
            return Interop.Bpf(Interop.BPF_MAP_LOOKUP_ELEM, ref attr) == 0;
        }
    }

    /// <summary>Removes one entry; false when it was not there.</summary>
    public bool Delete<TKey>(in TKey key) where TKey : unmanaged
    {
        Check<TKey>(KeySize, "key");
        fixed (TKey* k = &key)
        {
            var attr = new Interop.MapElemAttr { MapFd = Handle.Fd, Key = (ulong)k };
            return Interop.Bpf(Interop.BPF_MAP_DELETE_ELEM, ref attr) == 0;
        }
    }

    public void Dispose() => Handle.Dispose();

    private void Check<T>(int expected, string what) where T : unmanaged
    {
        if (sizeof(T) != expected)
            throw new ArgumentException($"BPF map '{Name}' has {expected}-byte {what}s, not {sizeof(T)} ({typeof(T).Name})");
    }

    /// <summary>How many CPUs per-CPU maps hold a value for (/sys/devices/system/cpu/possible, e.g. "0-3").</summary>
    public static int PossibleCpus()
    {
        var text = File.ReadAllText("/sys/devices/system/cpu/possible").Trim();
        var count = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            var first = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            var last = range.Length > 1 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : first;
            count = Math.Max(count, last + 1);
        }
        return count;
    }
}
