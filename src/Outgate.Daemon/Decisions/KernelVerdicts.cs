using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Linux.Bpf;
using Outgate.Linux.Packets;
using Outgate.Policy;

namespace Outgate.Daemon.Decisions;

/// <summary>
/// The daemon side of the kernel decision cache (<see cref="ConnectVerdictCache"/>): after the queue allowed a TCP
/// connection, the same program's next connections to that destination are labelled at connect(2) and skip the queue.
/// Each program identity (everything a decision depends on but the destination, as in <see cref="DecisionKey"/>) gets
/// a number, carried in the low 16 bits of the socket mark and from there in the ct mark, so the conntrack NEW event
/// names the program again (<see cref="TryTake"/>) for the decision event and the flow's owner.
/// Only what the kernel can re-check or what cannot change is cached, and only "allow" outcomes (refusals feed the
/// beaconing detector, prompts wait for an answer). Off when a rule names an interface, a command line or a parent
/// (the kernel cannot see those at connect), in lockdown, for encrypted DNS, and for connect-back tools that no program
/// rule naming them allowed.
/// Any change of policy or mode voids everything at once; entries live at most <see cref="MaxLifetime"/> so detectors
/// that look at every connection see each program/destination again at least that often.
/// </summary>
public sealed partial class KernelVerdicts : IDisposable
{
    /// <summary>The longest a kernel verdict lives without the queue seeing the program/destination again.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Program numbers fit the mark's low 16 bits; 0 is "none".</summary>
    public const uint AppIdMask = 0xFFFF;

    /// <summary>Program/destination pairs remembered for the conntrack side; more and everything starts over.</summary>
    public const int MaxDecisions = 65_536;

    private readonly ConnectVerdictCache? _cache;
    private readonly NameBook _names;
    private readonly Dictionary<AppIdentity, uint> _ids = [];
    private readonly ConcurrentDictionary<int, (uint AppId, long ObservedAt)> _registered = new();
    private readonly ConcurrentDictionary<(uint AppId, UInt128 Destination, ushort Port), KernelDecision> _decisions = new();
    private readonly ConcurrentDictionary<string, ulong> _cgroupIds = new(StringComparer.Ordinal);
    private readonly Lock _resetLock = new();
    private uint _nextId;
    private PolicyCheck _policyCheck = new(-1, false, false);
    private long _offered, _seen, _unknown, _failures;
    private int _decisionCount;

    public KernelVerdicts(DaemonOptions options, TargetNamespace target, LivePolicy policy, ModeState mode, NameBook names, ILogger<KernelVerdicts> logger)
    {
        _names = names;
        if (!options.Kernel || !options.KernelCache)
        {
            Status = options.Kernel ? "off (--no-kernel-cache)" : "off (--no-kernel)";
            return;
        }
        if (NestedPidNamespace())
        {
            Status = "off: outgated runs in a nested pid namespace; the kernel names processes by their pid in the initial one";
            return;
        }
        try
        {
            var cookie = target.Run(ConnectVerdictCache.NetnsCookieOfCurrentNamespace);
            _cache = ConnectVerdictCache.Open(cookie);
            Status = "on";
            policy.Changed += Invalidate;
            mode.Changed += Invalidate;
            names.Renamed += Renamed;
            LogOn(logger, _cache.CgroupRoot);
        }
        catch (Exception ex) when (ex is BpfException or IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Status = $"off: {ex.Message}";
            LogOff(logger, ex.Message);
        }
    }

    /// <summary>"on", or "off: why".</summary>
    public string Status { get; }

    public bool Active => _cache is not null;

    /// <summary>Connections the kernel labelled (they skipped the queue).</summary>
    public ulong Hits => _cache?.Hits ?? 0;

    /// <summary>Verdicts handed to the kernel.</summary>
    public long Offered
    {
        get
        {
            lock (_resetLock) return _offered;
        }
    }

    /// <summary>Labelled connections whose conntrack NEW event was turned into a decision event.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    /// <summary>Labelled connections whose program was no longer known when their NEW event came (recorded without it).</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>
    /// Hands a fresh or cached queue decision to the kernel when it can be judged there. <paramref name="owner"/> and
    /// <paramref name="message"/> are what the queue recorded for this connection; labelled ones get the same.
    /// </summary>
    public void Offer(PolicySnapshot snapshot, DaemonMode mode, ProcessFacts process, in PacketFlow flow, ConnectionDecision decision,
        NameLookup lookup, FlowOwner owner, string? message, DateTimeOffset now)
    {
        try
        {
            OfferCore(snapshot, mode, process, flow, decision, lookup, owner, message, now);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The queue thread that called must give its verdict whatever happens here: not caching is always safe.
            Interlocked.Increment(ref _failures);
        }
    }

    /// <summary>Offers that failed (a bug or a kernel refusal): the connections were decided by the queue as before.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    private void OfferCore(PolicySnapshot snapshot, DaemonMode mode, ProcessFacts process, in PacketFlow flow, ConnectionDecision decision,
        NameLookup lookup, FlowOwner owner, string? message, DateTimeOffset now)
    {
        if (_cache is null || flow.Protocol != PacketParser.IPPROTO_TCP || mode == DaemonMode.Lockdown) return;
        if (decision.Outcome != "allow" || decision.Prompt || decision.WouldBe is not null) return;
        // A shell or interpreter only when a program rule that names it allowed it (its alert is due once per destination anyway).
        if (decision.ConnectBack is not null && decision.Verdict != AppVerdict.Allow) return;
        if (process.Pid <= 0 || process.ExecutablePath is null || process.ObservedAt <= 0 || process.CgroupPath is null) return;
        if (ConnectionTags.IsEncryptedDns(owner.Tags) || !Eligible(snapshot, out var namesCgroups)) return;
        var lifetime = MaxLifetime;
        if (decision.ValidUntil is { } until) lifetime = TimeSpan.FromTicks(Math.Min(lifetime.Ticks, (until - now).Ticks));
        if (lifetime <= TimeSpan.Zero) return;

        var destination = flow.DestinationAddress;
        var key = (flow.Destination, flow.DestinationPort);
        // One lock with the renumbering: a program number taken before a start-over must not be registered after it.
        lock (_resetLock)
        {
            if (_decisionCount >= MaxDecisions) Reset();
            var appId = IdOf(AppIdentity.Of(process));
            if (!Register(process, appId, namesCgroups)) return;
            if (_decisions.TryAdd((appId, key.Destination, key.DestinationPort), new KernelDecision(owner, message))) _decisionCount++;
            else _decisions[(appId, key.Destination, key.DestinationPort)] = new KernelDecision(owner, message);
            var mark = ConnectVerdictCache.KernelMark | (decision.Verdict == AppVerdict.Allow ? DaemonMarks.Allow : 0) | appId;
            if (_cache.SetVerdict(appId, new IPEndPoint(destination, flow.DestinationPort), mark, lifetime, lookup.Version, () => _names.Lookup(destination).Version))
                _offered++;
        }
    }

    /// <summary>
    /// The decision behind a connection the kernel labelled, from its ct mark: false when the mark is not the kernel
    /// cache's. When the program is no longer known (numbers started over meanwhile), <paramref name="decision"/> has no
    /// owner and the caller records what the mark says.
    /// </summary>
    public bool TryTake(uint ctMark, UInt128 destination, ushort port, out KernelDecision? decision)
    {
        decision = null;
        if ((ctMark & ConnectVerdictCache.KernelMark) == 0) return false;
        Interlocked.Increment(ref _seen);
        if (_decisions.TryGetValue((ctMark & AppIdMask, destination, port), out var known)) decision = known;
        else Interlocked.Increment(ref _unknown);
        return true;
    }

    public void Dispose() => _cache?.Dispose();

    /// <summary>
    /// Policy reload or mode switch. If the kernel refused the new generation, the old verdicts could outlive the change:
    /// then nothing is labelled any more (every process forgotten) and the failure counted.
    /// </summary>
    private void Invalidate()
    {
        try
        {
            _cache?.Invalidate();
        }
        catch (BpfException)
        {
            Interlocked.Increment(ref _failures);
            lock (_resetLock)
            {
                foreach (var pid in _registered.Keys) _cache?.ForgetProcess(pid);
                _registered.Clear();
            }
        }
    }

    private void Renamed(IPAddress address, long version)
    {
        try
        {
            _cache?.SetNamesVersion(address, version);
        }
        catch (BpfException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    /// <summary>
    /// The kernel sees neither the output interface, the command line nor the parent at connect(2).
    /// <paramref name="namesCgroups"/>: a rule names a unit, cgroup or container (then the kernel's cgroup check must
    /// cover the cgroup those were read from).
    /// </summary>
    private bool Eligible(PolicySnapshot snapshot, out bool namesCgroups)
    {
        var check = Volatile.Read(ref _policyCheck);
        if (check.Generation != snapshot.Generation)
        {
            var rules = snapshot.Policy.Rules;
            check = new PolicyCheck(snapshot.Generation,
                rules.All(r => r.Interface is null && r.Subject?.CommandLine is null && r.Subject?.Parent is null),
                rules.Any(r => r.Subject is { } s && (s.Unit is not null || s.Cgroup is not null || s.Container is not null)));
            Volatile.Write(ref _policyCheck, check);
        }
        namesCgroups = check.NamesCgroups;
        return check.Eligible;
    }

    /// <summary>The number of <paramref name="identity"/>, 1..65535 (under <see cref="_resetLock"/>).</summary>
    private uint IdOf(AppIdentity identity)
    {
        if (_ids.TryGetValue(identity, out var id)) return id;
        if (_nextId >= AppIdMask) Reset();
        id = ++_nextId;
        _ids[identity] = id;
        return id;
    }

    /// <summary>All numbers or the decision table used up: start over (the kernel forgets every process and verdict that could carry an old one).</summary>
    private void Reset()
    {
        _cache!.Invalidate();
        foreach (var pid in _registered.Keys) _cache.ForgetProcess(pid);
        _registered.Clear();
        _ids.Clear();
        _decisions.Clear();
        _decisionCount = 0;
        _nextId = 0;
    }

    /// <summary>
    /// Tells the kernel that <paramref name="process"/> is program <paramref name="appId"/>, with the cgroup v2 it is in
    /// now. On hybrid hosts the unit and container come from a v1 hierarchy the kernel check does not see: then only
    /// when no rule depends on them.
    /// </summary>
    private bool Register(ProcessFacts process, uint appId, bool namesCgroups)
    {
        if (_registered.TryGetValue(process.Pid, out var known) && known.AppId == appId && known.ObservedAt == process.ObservedAt) return true;
        if (UnifiedCgroupOf(process.Pid) is not { } unified || (namesCgroups && unified != process.CgroupPath)) return false;
        var cgroupId = _cgroupIds.GetOrAdd(unified, static (path, root) => ConnectVerdictCache.CgroupIdOf(root, path), _cache!.CgroupRoot);
        if (cgroupId == 0 || !_cache!.SetProcess(process.Pid, appId, process.Uid, process.Gid, cgroupId, process.ObservedAt)) return false;
        if (_registered.Count > 65_536) _registered.Clear(); // only a shortcut: re-registering is harmless
        _registered[process.Pid] = (appId, process.ObservedAt);
        return true;
    }

    /// <summary>The process's cgroup v2 path (the "0::" line of /proc/PID/cgroup), null when it is gone.</summary>
    private static string? UnifiedCgroupOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}/cgroup"))
                if (line.StartsWith("0::/", StringComparison.Ordinal)) return line[3..];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>More than one pid on the NSpid line: this process sees pids of a nested namespace.</summary>
    private static bool NestedPidNamespace()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
            return line is not null && line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries).Length > 2;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "kernel decision cache on (cgroup {Root}): repeated allowed TCP connections skip the queue")]
    private static partial void LogOn(ILogger logger, string root);

    [LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "kernel decision cache off, every new connection goes through the queue: {Reason}")]
    private static partial void LogOff(ILogger logger, string reason);
}

/// <summary>Whether a policy generation lets the kernel cache work, and whether its rules name cgroups.</summary>
internal sealed record PolicyCheck(long Generation, bool Eligible, bool NamesCgroups);

/// <summary>What the queue recorded for the first connection of a program to a destination, for the ones the kernel labels after it.</summary>
public readonly record struct KernelDecision(FlowOwner Owner, string? Message);

/// <summary>A program as decisions see it: <see cref="DecisionKey"/> without the destination.</summary>
public readonly record struct AppIdentity(
    string? Executable, string? Sha256, string? CommandLine, string? Parent, uint Uid, uint Gid, string? Unit, string? Cgroup, string? Container)
{
    public static AppIdentity Of(ProcessFacts p) =>
        new(p.ExecutablePath, p.Sha256, p.CommandLine, p.ParentExecutablePath, p.Uid, p.Gid, p.SystemdUnit, p.CgroupPath, p.ContainerId);
}
