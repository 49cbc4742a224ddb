using System.Collections.Concurrent;
using System.Diagnostics;
using Outgate.Linux.Netlink;
using Outgate.Linux.Packets;
using Outgate.Linux.ProcFs;
using Outgate.Linux.Queue;
using Outgate.Linux.SockDiag;

namespace Outgate.Linux.Attribution;

/// <summary>
/// Turns a queued packet's flow into the process that sent it: sock_diag exact lookup of the
/// 5-tuple (socket inode and uid, ~4 µs) → inode → pid from a cache → the process's
/// <see cref="ProcessRecord"/>. A cache miss reads first a few likely fd links of the processes
/// that opened sockets lately (<see cref="BusySocketOwners"/>), then their whole fd tables, then the
/// fds of the processes the proc connector just saw exec or fork (where a new program's socket
/// almost always is), then, at most every <see cref="ProcessAttributorOptions.FullScanInterval"/>, all of /proc.
/// Process records are captured when the proc connector reports the exec (feed its events to
/// <see cref="Observe"/>), so a sender that exits before we look is still known, and kept a
/// while after the exit. Thread-safe: call <see cref="Attribute(in PacketFlow, bool, uint, uint)"/>
/// from every queue thread and <see cref="Observe"/> from the connector thread.
/// </summary>
/// <remarks>
/// The sock_diag socket must live in the namespace of the queue (sock_diag only sees its own
/// namespace): create it with <see cref="Open"/>, which enters that namespace for the socket. The
/// proc connector works only in the initial namespace, where the daemon runs; process ids are
/// shared because <c>ip netns exec</c> does not change the pid namespace.
/// </remarks>
public sealed partial class ProcessAttributor : IDisposable
{
    private const int MaxRecentOnStack = 1024;

    private readonly SockDiagClient _sockDiag;
    private readonly Lock _sockDiagLock = new();
    private readonly ProcessAttributorOptions _options;
    private readonly ProcessInfoReader _reader;
    private readonly ExecutableHasher _hasher;
    private readonly ConcurrentDictionary<ulong, int> _owners = new();
    private readonly RecentProcesses _recent;

    // Processes that opened connections lately (a browser, a daemon with a pool): a new socket of
    // theirs is found by reading a few of their fd links (µs), else their fd table alone, instead
    // of a /proc-wide scan.
    private readonly BusySocketOwners _busy;
    private readonly Action<ulong, int> _rememberOwner;
    private long _ownersAdded;
    private readonly Lock _fullScanLock = new();
    private long _lastFullScan = long.MinValue;
    private long _inodeCacheHits, _busyProbeHits, _recentScanHits, _fullScanHits, _fullScans, _uidOnly, _lookupErrors, _recentExitGuesses;

    /// <param name="socketLookup">A sock_diag client created in the queue's network namespace; owned (disposed) by this instance.</param>
    /// <param name="options">Defaults when null.</param>
    /// <param name="hasher">A shared executable hash cache, or null for a private one.</param>
    public ProcessAttributor(SockDiagClient socketLookup, ProcessAttributorOptions? options = null, ExecutableHasher? hasher = null)
    {
        ArgumentNullException.ThrowIfNull(socketLookup);
        _options = options ?? new ProcessAttributorOptions();
        _options.Validate();
        _sockDiag = socketLookup;
        _hasher = hasher ?? new ExecutableHasher();
        _reader = new ProcessInfoReader(_options.ProcRoot, _options.PasswdPath, "/var/lib/docker/containers");
        _recent = new RecentProcesses(Math.Min(_options.RecentProcessCount, MaxRecentOnStack));
        _busy = new BusySocketOwners(_options.ProcRoot, capacity: 8);
        _rememberOwner = RememberOwner;
    }

    /// <summary>
    /// An attributor for packets queued in <paramref name="networkNamespace"/> (a name under
    /// /run/netns or a path like /proc/PID/ns/net; null = the current namespace).
    /// </summary>
    public static ProcessAttributor Open(string? networkNamespace, ProcessAttributorOptions? options = null, ExecutableHasher? hasher = null)
    {
        var client = networkNamespace is null ? new SockDiagClient() : NetworkNamespaceScope.Run(networkNamespace, () => new SockDiagClient());
        try
        {
            return new ProcessAttributor(client, options, hasher);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Counters since start; safe from any thread.</summary>
    public ProcessAttributorCounters Counters => new(
        Interlocked.Read(ref _inodeCacheHits), Interlocked.Read(ref _recentScanHits), Interlocked.Read(ref _fullScanHits),
        Interlocked.Read(ref _fullScans), Interlocked.Read(ref _uidOnly), Interlocked.Read(ref _lookupErrors),
        Interlocked.Read(ref _recentExitGuesses), _owners.Count, _records.Count, Interlocked.Read(ref _busyProbeHits));

    /// <summary>Attributes a queued packet (its flow and NFQA_UID/GID).</summary>
    public ProcessAttribution Attribute(in QueuedPacket packet)
    {
        if (!packet.TryGetFlow(out var flow))
            return UidOnly(Stopwatch.GetTimestamp(), packet.HasUid, packet.Uid, packet.Gid, socket: null);
        return Attribute(flow, packet.HasUid, packet.Uid, packet.Gid);
    }

    /// <summary>
    /// Attributes the first packet of a connection: <paramref name="flow"/> as the packet goes out
    /// (source = our side), <paramref name="uid"/>/<paramref name="gid"/> from NFQA_UID/GID when
    /// <paramref name="hasUid"/>. Never throws for a vanished socket or process: that is uid-only.
    /// </summary>
    public ProcessAttribution Attribute(in PacketFlow flow, bool hasUid, uint uid, uint gid)
    {
        var start = Stopwatch.GetTimestamp();
        var socket = LookUpSocket(flow);
        ProcessRecord? record = null;
        var source = AttributionSource.UidOnly;
        if (socket is { Inode: not 0 } found) (record, source) = FindOwner(found.Inode);
        if (record is null)
        {
            // The sender may be exiting: its socket closed before the lookup, or its fds before the scan.
            var knownUid = hasUid ? uid : socket?.Uid;
            if (knownUid is { } u && GuessRecentExit(u) is { } sender)
            {
                Interlocked.Increment(ref _recentExitGuesses);
                (record, source) = (sender, AttributionSource.RecentExit);
            }
            else return UidOnly(start, hasUid, uid, gid, socket);
        }
        var effectiveUid = hasUid ? uid : socket?.Uid ?? record.Uid;
        return new ProcessAttribution
        {
            Process = record,
            Source = source,
            SocketInode = socket?.Inode ?? 0,
            Uid = effectiveUid,
            Gid = hasUid ? gid : 0,
            UserName = UserNameOf(effectiveUid),
            GroupName = hasUid ? GroupNameOf(gid) : null,
            Elapsed = Stopwatch.GetElapsedTime(start),
        };
    }

    private ProcessAttribution UidOnly(long start, bool hasUid, uint uid, uint gid, SocketOwner? socket)
    {
        Interlocked.Increment(ref _uidOnly);
        var effectiveUid = hasUid ? uid : socket?.Uid ?? 0;
        var known = hasUid || socket is not null;
        return new ProcessAttribution
        {
            Source = AttributionSource.UidOnly,
            SocketInode = socket?.Inode ?? 0,
            Uid = effectiveUid,
            Gid = hasUid ? gid : 0,
            UserName = known ? UserNameOf(effectiveUid) : null,
            GroupName = hasUid ? GroupNameOf(gid) : null,
            Elapsed = Stopwatch.GetElapsedTime(start),
        };
    }

    private SocketOwner? LookUpSocket(in PacketFlow flow)
    {
        try
        {
            lock (_sockDiagLock) return _sockDiag.TryLookupOwner(flow, out var owner) ? owner : null;
        }
        catch (NetlinkException)
        {
            // Unsupported diag module, EBUSY after an abandoned dump...: this packet is uid-only.
            Interlocked.Increment(ref _lookupErrors);
            return null;
        }
    }

    private (ProcessRecord? Record, AttributionSource Source) FindOwner(ulong inode)
    {
        if (_owners.TryGetValue(inode, out var pid) && RecordOf(pid) is { } cached)
        {
            Interlocked.Increment(ref _inodeCacheHits);
            return (cached, AttributionSource.InodeCache);
        }

        // A busy owner's new socket sits on one of the few fd numbers it keeps reusing.
        if (_busy.TryProbe(inode, _rememberOwner, out pid) && RecordOf(pid) is { } probed)
        {
            Interlocked.Increment(ref _busyProbeHits);
            return (probed, AttributionSource.BusyOwnerProbe);
        }
        if (_busy.TryReadTables(inode, _rememberOwner, out pid) && RecordOf(pid) is { } read)
        {
            Interlocked.Increment(ref _recentScanHits);
            return (read, AttributionSource.RecentProcessScan);
        }

        Span<int> recent = stackalloc int[MaxRecentOnStack];
        var count = _recent.CopyNewestFirst(recent);
        if (count > 0)
        {
            Remember(SocketOwnerIndex.ScanProcesses(_options.ProcRoot, recent[..count]));
            if (_owners.TryGetValue(inode, out pid) && RecordOf(pid) is { } fresh)
            {
                _busy.Admit(pid);
                Interlocked.Increment(ref _recentScanHits);
                return (fresh, AttributionSource.RecentProcessScan);
            }
        }

        lock (_fullScanLock)
        {
            // Another queue thread may have scanned while we waited.
            if (!_owners.TryGetValue(inode, out pid))
            {
                var now = Stopwatch.GetTimestamp();
                if (_lastFullScan != long.MinValue && Stopwatch.GetElapsedTime(_lastFullScan, now) < _options.FullScanInterval)
                    return (null, AttributionSource.UidOnly);
                _lastFullScan = now;
                Interlocked.Increment(ref _fullScans);
                Remember(SocketOwnerIndex.Scan(_options.ProcRoot));
                if (!_owners.TryGetValue(inode, out pid)) return (null, AttributionSource.UidOnly);
            }
        }
        if (RecordOf(pid) is not { } scanned) return (null, AttributionSource.UidOnly);
        _busy.Admit(pid);
        Interlocked.Increment(ref _fullScanHits);
        return (scanned, AttributionSource.FullScan);
    }

    /// <summary>One socket seen on the way (a probe or a table read) into the inode cache.</summary>
    private void RememberOwner(ulong inode, int pid)
    {
        if (Interlocked.Increment(ref _ownersAdded) % 1024 == 0 && _owners.Count > _options.MaxCachedSockets) _owners.Clear();
        _owners[inode] = pid;
    }

    private void Remember(SocketOwnerIndex index)
    {
        // Dropping everything is crude but bounded; the next misses refill what is still in use.
        if (_owners.Count + index.SocketCount > _options.MaxCachedSockets) _owners.Clear();
        foreach (var (inode, pid) in index.FirstOwners()) _owners[inode] = pid;
    }

    public void Dispose()
    {
        _sockDiag.Dispose();
        _busy.Dispose();
    }
}

/// <summary>How <see cref="ProcessAttributor"/> has been answering; for metrics and tests.</summary>
public readonly record struct ProcessAttributorCounters(
    long InodeCacheHits, long RecentScanHits, long FullScanHits, long FullScans, long UidOnly, long LookupErrors,
    long RecentExitGuesses, int CachedSockets, int CachedProcesses, long BusyProbeHits = 0);
