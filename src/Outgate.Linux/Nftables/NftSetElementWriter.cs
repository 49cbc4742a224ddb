using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Outgate.Linux.Netlink;

namespace Outgate.Linux.Nftables;

/// <summary>
/// Writes address elements with timeouts into nft sets over nf_tables netlink, one kernel
/// transaction per call (<c>BATCH_BEGIN, NEWSETELEM per set, BATCH_END</c>), and returns only
/// after the kernel acknowledged every message: a rule that looks the address up
/// (<c>ip daddr @set accept</c>) matches as soon as <see cref="Add"/> returns.
/// </summary>
/// <remarks>
/// <para>The socket is opened in the given network namespace (on a short-lived thread that
/// <c>setns</c>es) and stays bound to it, so calls may come from any thread; calls are serialized
/// by a lock. No nft cache is fetched and no text is parsed: a batch of 1 to 100 addresses costs
/// one sendto and a few recvs.</para>
/// <para>Timeouts: kernel 6.18 (element update support since 6.10) applies an <c>add</c> of an
/// element that exists (no NLM_F_EXCL) as an update of its timeout and expiry, so a re-add
/// refreshes it; but a shorter timeout would shorten it too. The writer therefore remembers the
/// expiry it last wrote per (set, address) and never writes one earlier than that: a re-add with
/// a shorter timeout is sent with the remembered remaining time instead. Because the element is
/// always sent, an element removed behind our back (table replaced, set flushed by someone else)
/// is created again. The memory is bounded by <c>maxRememberedExpiries</c>; when it is full of
/// live entries it is cleared (then one re-add may shorten an element, as the kernel does).</para>
/// <para>Errors: every set (and address family) has its own message in the transaction. When the
/// kernel refuses some of them (missing table or set, wrong key type, no <c>flags timeout</c>) it
/// aborts the whole transaction and reports each refused message; the writer then sends the
/// transaction again without those sets, so one bad set never blocks the others. The refused sets
/// come back in <see cref="NftSetWriteResult.Errors"/>; nothing throws for them.</para>
/// <para>Size: one message holds at most ~16 KiB of elements (nested attribute lengths are 16
/// bits), one transaction at most ~128 KiB (below the socket's default send buffer); larger
/// batches are split into several transactions, each atomic on its own.</para>
/// </remarks>
public sealed class NftSetElementWriter : IDisposable
{
    private const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    private const ushort NFNL_MSG_BATCH_END = 0x11;
    private const byte NFT_MSG_NEWSETELEM = 12;
    private const byte NFT_MSG_DELSETELEM = 14;
    private const byte NFT_MSG_DESTROYSETELEM = 30;
    private const ushort NLM_F_CREATE = 0x400;
    private const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    private const ushort NFTA_LIST_ELEM = 1;
    private const ushort NFTA_SET_ELEM_KEY = 1;
    private const ushort NFTA_SET_ELEM_TIMEOUT = 4;
    private const ushort NFTA_DATA_VALUE = 1;

    private const int MaxMessageBytes = 16 * 1024;
    private const int MaxTransactionBytes = 128 * 1024;
    /// <summary>Header, nfgenmsg, two names of up to 256 bytes, the list attribute.</summary>
    private const int MessageOverhead = 16 + 4 + 2 * (4 + 256) + 4;

    private readonly NetlinkSocket _socket;
    private readonly Lock _lock = new();
    private readonly byte[] _buffer = new byte[MaxTransactionBytes + MaxMessageBytes];
    private readonly Dictionary<ElementKey, long> _expiries = [];
    private readonly int _maxRememberedExpiries;

    /// <param name="networkNamespace">A name under /run/netns (or an absolute path) to write in; null for the current namespace.</param>
    /// <param name="maxRememberedExpiries">How many (set, address) expiries to remember so a re-add never shortens an element. Default 1,048,576 (~100 MB at most); 0 turns it off.</param>
    /// <exception cref="NetlinkException">The netlink socket could not be opened (or the namespace entered).</exception>
    public NftSetElementWriter(string? networkNamespace = null, int maxRememberedExpiries = 1 << 20)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRememberedExpiries);
        _maxRememberedExpiries = maxRememberedExpiries;
        _socket = networkNamespace is null ? Open() : NetworkNamespaceScope.Run(networkNamespace, Open);
    }

    private static NetlinkSocket Open()
    {
        var socket = new NetlinkSocket(NetlinkConstants.NETLINK_NETFILTER);
        try
        {
            socket.SetExtendedAck(true);
        }
        catch (NetlinkException)
        {
            // Only the wording of errors gets poorer without it.
        }
        return socket;
    }

    /// <summary>Time the last call spent from building the batch to the kernel's last acknowledgement.</summary>
    public TimeSpan LastWriteTime { get; private set; }

    /// <summary>Expiries currently remembered (see remarks).</summary>
    public int RememberedExpiries
    {
        get { lock (_lock) return _expiries.Count; }
    }

    /// <summary>
    /// Adds the elements (or refreshes them: the later of the new and the last written expiry wins)
    /// in one transaction and waits for the kernel's acknowledgement. A duplicate address for the
    /// same set in one call keeps the longest timeout. Refused sets are reported in the result, never thrown.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is zero or negative (names the address and set).</exception>
    /// <exception cref="NetlinkException">The socket failed or the kernel did not answer within 5 s; the batch may or may not be committed.</exception>
    public NftSetWriteResult Add(IEnumerable<NftSetElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        lock (_lock) return Write(Operation.Add, Group(elements, withTimeouts: true));
    }

    /// <summary>Adds one element; see <see cref="Add(IEnumerable{NftSetElement})"/>.</summary>
    public NftSetWriteResult Add(NftSetId set, IPAddress address, TimeSpan timeout) => Add([new NftSetElement(set, address, timeout)]);

    /// <summary>
    /// Removes the elements in one transaction (NFT_MSG_DESTROYSETELEM: an address that is not in
    /// the set is no error). Timeouts are ignored.
    /// </summary>
    public NftSetWriteResult Remove(IEnumerable<NftSetElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        lock (_lock) return Write(Operation.Remove, Group(elements, withTimeouts: false));
    }

    /// <summary>Removes every element of the set (what <c>nft flush set</c> sends).</summary>
    public NftSetWriteResult Flush(NftSetId set)
    {
        ArgumentNullException.ThrowIfNull(set);
        lock (_lock)
        {
            var result = Write(Operation.Flush, [new SetGroup(set, IPv6: false)]);
            if (result.Succeeded) _expiries.Keys.Where(k => k.Set == set).ToList().ForEach(k => _expiries.Remove(k));
            return result;
        }
    }

    /// <summary>Forgets the remembered expiries of one table (e.g. after replacing it), or all when null.</summary>
    public void ForgetExpiries(NftTableId? table = null)
    {
        lock (_lock)
        {
            if (table is null) _expiries.Clear();
            else _expiries.Keys.Where(k => k.Set.Table == table).ToList().ForEach(k => _expiries.Remove(k));
        }
    }

    private enum Operation { Add, Remove, Flush }

    private readonly record struct ElementKey(NftSetId Set, UInt128 Address, bool IPv6);

    /// <summary>The elements of one set and one address family: one message (or several when large).</summary>
    private sealed record SetGroup(NftSetId Set, bool IPv6)
    {
        /// <summary>Address (big-endian value, IPv4 in the low 32 bits) to timeout in milliseconds.</summary>
        public Dictionary<UInt128, ulong> Elements { get; } = [];
        public int ElementSize => IPv6 ? 40 : 28;
    }

    private readonly record struct Chunk(SetGroup Group, int Start, int Count);

    private static List<SetGroup> Group(IEnumerable<NftSetElement> elements, bool withTimeouts)
    {
        var groups = new Dictionary<(NftSetId, bool), SetGroup>();
        Span<byte> bytes = stackalloc byte[16];
        foreach (var element in elements)
        {
            ArgumentNullException.ThrowIfNull(element.Set, nameof(NftSetElement.Set));
            ArgumentNullException.ThrowIfNull(element.Address, nameof(NftSetElement.Address));
            var address = element.Address.IsIPv4MappedToIPv6 ? element.Address.MapToIPv4() : element.Address;
            var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            address.TryWriteBytes(bytes, out _);
            var value = v6 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);
            ulong milliseconds = 0;
            if (withTimeouts)
            {
                if (element.Timeout <= TimeSpan.Zero)
                    throw new ArgumentOutOfRangeException(nameof(elements), element.Timeout, $"timeout of {address} for set {element.Set} must be positive");
                milliseconds = (ulong)Math.Ceiling(element.Timeout.TotalMilliseconds);
            }
            if (!groups.TryGetValue((element.Set, v6), out var group))
                groups[(element.Set, v6)] = group = new SetGroup(element.Set, v6);
            group.Elements[value] = group.Elements.TryGetValue(value, out var earlier) ? Math.Max(earlier, milliseconds) : milliseconds;
        }
        return [.. groups.Values];
    }

    private NftSetWriteResult Write(Operation operation, List<SetGroup> groups)
    {
        var watch = Stopwatch.StartNew();
        var now = Environment.TickCount64;
        if (operation == Operation.Add) ApplyRememberedExpiries(groups, now);

        var errors = new List<NftSetWriteError>();
        var failed = new HashSet<SetGroup>();
        var written = 0;
        var transactions = 0;
        foreach (var transaction in SplitIntoTransactions(groups, operation))
        {
            var chunks = transaction;
            // Each failed attempt removes at least one set, so this ends.
            while (true)
            {
                chunks = chunks.Where(c => !failed.Contains(c.Group)).ToList();
                if (chunks.Count == 0) break;
                transactions++;
                var refused = SendTransaction(operation, chunks, out var batchError);
                if (batchError is { } whole)
                {
                    foreach (var group in chunks.Select(c => c.Group).Distinct().Where(failed.Add))
                        errors.Add(Error(group, whole.Errno, $"the kernel refused the whole transaction: {whole.Message}"));
                    break;
                }
                if (refused.Count == 0)
                {
                    written += chunks.Sum(c => c.Count);
                    if (operation == Operation.Add) RememberExpiries(chunks, now);
                    if (operation == Operation.Remove) ForgetWritten(chunks);
                    break;
                }
                foreach (var (group, errno, message) in refused)
                    if (failed.Add(group)) errors.Add(Error(group, errno, message));
            }
        }
        LastWriteTime = watch.Elapsed;
        return new NftSetWriteResult(written, errors, transactions);
    }

    private static NftSetWriteError Error(SetGroup group, int errno, string message)
    {
        var hint = errno switch
        {
            Errno.ENOENT => " (the table or the set does not exist in this network namespace: create it first)",
            Errno.EINVAL => $" (is the set of type {(group.IPv6 ? "ipv6_addr" : "ipv4_addr")} with flags timeout?)",
            _ => "",
        };
        var family = group.IPv6 ? "IPv6" : "IPv4";
        return new NftSetWriteError(group.Set, errno, Errno.Name(errno), group.Elements.Count,
            $"{group.Elements.Count} {family} element(s) not written: {message}{hint}");
    }

    private void ApplyRememberedExpiries(List<SetGroup> groups, long now)
    {
        if (_maxRememberedExpiries == 0 || _expiries.Count == 0) return;
        foreach (var group in groups)
            foreach (var (address, milliseconds) in group.Elements.ToList())
                if (_expiries.TryGetValue(new ElementKey(group.Set, address, group.IPv6), out var expiry) && expiry - now > (long)milliseconds)
                    group.Elements[address] = (ulong)(expiry - now);
    }

    private void RememberExpiries(List<Chunk> chunks, long now)
    {
        if (_maxRememberedExpiries == 0) return;
        foreach (var chunk in chunks)
            foreach (var (address, milliseconds) in chunk.Group.Elements.Skip(chunk.Start).Take(chunk.Count))
            {
                if (_expiries.Count >= _maxRememberedExpiries) Prune(now);
                _expiries[new ElementKey(chunk.Group.Set, address, chunk.Group.IPv6)] = now + (long)milliseconds;
            }
    }

    private void ForgetWritten(List<Chunk> chunks)
    {
        foreach (var chunk in chunks)
            foreach (var address in chunk.Group.Elements.Keys.Skip(chunk.Start).Take(chunk.Count))
                _expiries.Remove(new ElementKey(chunk.Group.Set, address, chunk.Group.IPv6));
    }

    private void Prune(long now)
    {
        foreach (var key in _expiries.Where(e => e.Value <= now).Select(e => e.Key).ToList()) _expiries.Remove(key);
        // All live: start over rather than grow (a later re-add may then shorten one element).
        if (_expiries.Count >= _maxRememberedExpiries) _expiries.Clear();
    }

    private static IEnumerable<List<Chunk>> SplitIntoTransactions(List<SetGroup> groups, Operation operation)
    {
        var current = new List<Chunk>();
        var bytes = 0;
        foreach (var group in groups)
        {
            if (operation == Operation.Flush)
            {
                current.Add(new Chunk(group, 0, 0));
                continue;
            }
            var perMessage = (MaxMessageBytes - MessageOverhead) / group.ElementSize;
            for (var start = 0; start < group.Elements.Count; start += perMessage)
            {
                var count = Math.Min(perMessage, group.Elements.Count - start);
                var size = MessageOverhead + count * group.ElementSize;
                if (bytes + size > MaxTransactionBytes && current.Count > 0)
                {
                    yield return current;
                    current = [];
                    bytes = 0;
                }
                current.Add(new Chunk(group, start, count));
                bytes += size;
            }
        }
        if (current.Count > 0) yield return current;
    }

    /// <summary>
    /// Sends BEGIN, one message per chunk (each with NLM_F_ACK), END; waits for an answer to every
    /// chunk. Returns the refused chunks' sets; <paramref name="batchError"/> is set when the kernel
    /// refused the batch itself (e.g. EPERM).
    /// </summary>
    private List<(SetGroup Group, int Errno, string Message)> SendTransaction(Operation operation, List<Chunk> chunks, out (int Errno, string Message)? batchError)
    {
        batchError = null;
        var sequences = new uint[chunks.Count];
        var offset = 0;
        var begin = _socket.NextSequence();
        offset += WriteBatchMarker(_buffer.AsSpan(offset), NFNL_MSG_BATCH_BEGIN, begin);
        for (var i = 0; i < chunks.Count; i++)
        {
            sequences[i] = _socket.NextSequence();
            offset += WriteElementMessage(_buffer.AsSpan(offset), operation, chunks[i], sequences[i]);
        }
        offset += WriteBatchMarker(_buffer.AsSpan(offset), NFNL_MSG_BATCH_END, _socket.NextSequence());
        _socket.Send(_buffer.AsSpan(0, offset));

        var refused = new List<(SetGroup, int, string)>();
        var answered = 0;
        // Bounded by the socket's receive timeout on each receive.
        while (answered < chunks.Count)
        {
            var reader = new NetlinkMessageReader(_socket.Receive("nf_tables set element batch"));
            while (reader.TryRead(out var message))
            {
                if (message.Type != NetlinkConstants.NLMSG_ERROR || message.Payload.Length < 4) continue;
                var error = -BinaryPrimitives.ReadInt32LittleEndian(message.Payload);
                if (message.Sequence == begin)
                {
                    if (error == 0) continue;
                    batchError = (error, Describe(error, message));
                    return refused;
                }
                var index = Array.IndexOf(sequences, message.Sequence);
                if (index < 0) continue; // an answer to an earlier, abandoned request
                answered++;
                if (error != 0) refused.Add((chunks[index].Group, error, Describe(error, message)));
            }
        }
        return refused;
    }

    private static string Describe(int errno, in NetlinkMessage message)
    {
        var kernel = NetlinkSocket.ReadExtendedAckMessage(message);
        return Errno.Describe(errno) + (string.IsNullOrEmpty(kernel) ? "" : $"; kernel says \"{kernel}\"");
    }

    private static int WriteBatchMarker(Span<byte> buffer, ushort type, uint sequence)
    {
        var writer = new NetlinkMessageWriter(buffer, type, NetlinkConstants.NLM_F_REQUEST, sequence);
        writer.WriteNfgenmsg(0 /* AF_UNSPEC */, NftNetlinkConstants.NFNL_SUBSYS_NFTABLES);
        return writer.Finish().Length;
    }

    private static int WriteElementMessage(Span<byte> buffer, Operation operation, Chunk chunk, uint sequence)
    {
        var (type, flags) = operation switch
        {
            // No NLM_F_EXCL: an existing element is updated (timeout refreshed), not refused.
            Operation.Add => (NFT_MSG_NEWSETELEM, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK | NLM_F_CREATE),
            Operation.Remove => (NFT_MSG_DESTROYSETELEM, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK),
            _ => (NFT_MSG_DELSETELEM, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK),
        };
        var writer = new NetlinkMessageWriter(buffer, (ushort)(NftNetlinkConstants.NFNL_SUBSYS_NFTABLES << 8 | type), (ushort)flags, sequence);
        writer.WriteNfgenmsg(FamilyNumber(chunk.Group.Set.Table.Family), 0);
        WriteName(ref writer, NftNetlinkConstants.NFTA_SET_ELEM_LIST_TABLE, chunk.Group.Set.Table.Name);
        WriteName(ref writer, NftNetlinkConstants.NFTA_SET_ELEM_LIST_SET, chunk.Group.Set.Name);
        if (operation != Operation.Flush) // a DELSETELEM without a list flushes the set
        {
            var list = writer.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS);
            Span<byte> key = stackalloc byte[16];
            Span<byte> timeout = stackalloc byte[8];
            foreach (var (address, milliseconds) in chunk.Group.Elements.Skip(chunk.Start).Take(chunk.Count))
            {
                var element = writer.BeginNested(NFTA_LIST_ELEM);
                var keyAttribute = writer.BeginNested(NFTA_SET_ELEM_KEY);
                if (chunk.Group.IPv6) BinaryPrimitives.WriteUInt128BigEndian(key, address);
                else BinaryPrimitives.WriteUInt32BigEndian(key, (uint)address);
                writer.WriteAttribute(NFTA_DATA_VALUE, key[..(chunk.Group.IPv6 ? 16 : 4)]);
                writer.EndNested(keyAttribute);
                if (operation == Operation.Add)
                {
                    // Milliseconds, big-endian u64 (nf_msecs_to_jiffies64 on the kernel side).
                    BinaryPrimitives.WriteUInt64BigEndian(timeout, milliseconds);
                    writer.WriteAttribute(NFTA_SET_ELEM_TIMEOUT, timeout);
                }
                writer.EndNested(element);
            }
            writer.EndNested(list);
        }
        return writer.Finish().Length;
    }

    private static void WriteName(ref NetlinkMessageWriter writer, ushort type, string name)
    {
        Span<byte> bytes = stackalloc byte[257];
        var length = Encoding.ASCII.GetBytes(name, bytes);
        bytes[length] = 0; // NLA_STRING, NUL-terminated as libnftnl sends it
        writer.WriteAttribute(type, bytes[..(length + 1)]);
    }

    /// <summary>NFPROTO_* for an nft family name.</summary>
    internal static byte FamilyNumber(string family) => family switch
    {
        "inet" => 1,
        "ip" => 2,
        "arp" => 3,
        "netdev" => 5,
        "bridge" => 7,
        "ip6" => 10,
        _ => throw new ArgumentException($"unknown nftables family '{family}'", nameof(family)),
    };

    public void Dispose() => _socket.Dispose();
}
