using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Outgate.Daemon.Hosting;

namespace Outgate.Daemon.Queue;

/// <summary>
/// Interface index → name in the served namespace (rules say <c>on tun0</c>; the kernel gives an
/// index). if_indextoname asks the namespace of the calling thread, so misses are resolved on a
/// thread inside the target namespace; hits cost a dictionary read. A name is re-read when the
/// index is unknown, so renamed or new interfaces are picked up.
/// </summary>
public sealed partial class InterfaceNames(TargetNamespace target)
{
    private readonly ConcurrentDictionary<uint, string?> _names = new();

    public string? NameOf(uint index)
    {
        if (index == 0) return null;
        if (_names.TryGetValue(index, out var name)) return name;
        name = target.Run(() => Lookup(index));
        if (name is not null) _names[index] = name;
        return name;
    }

    /// <summary>Forgets every name (after link changes).</summary>
    public void Clear() => _names.Clear();

    private static unsafe string? Lookup(uint index)
    {
        var buffer = stackalloc byte[16]; // IF_NAMESIZE
        return if_indextoname(index, buffer) == 0 ? null : Marshal.PtrToStringUTF8((nint)buffer);
    }

    [LibraryImport("libc", EntryPoint = "if_indextoname")]
    private static unsafe partial nint if_indextoname(uint index, byte* name);
}
