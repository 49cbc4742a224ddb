using System.Buffers.Binary;
using System.Net;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Queue;

namespace Outgate.Daemon.Traffic;

/// <summary>
/// Live bytes per application and per (application, destination), from conntrack counters: each sweep
/// (<see cref="Sample"/>, one conntrack dump) turns the counters of every flow into deltas since the last sweep and
/// adds them to the application <see cref="FlowBook"/> says opened the flow; <see cref="Ended"/> adds the final
/// counters of a flow that ended between two sweeps. Out is the original direction (what the program sent), in the
/// reply. Memory is bounded by <see cref="MaxFlows"/>, <see cref="MaxApps"/> and
/// <see cref="MaxDestinationsPerApp"/>; idle applications and destinations are forgotten after
/// <see cref="IdleRetention"/> (or the exfiltration window when longer). Thread-safe: one lock, held for
/// bookkeeping only, never during a dump or by the queue's threads.
/// </summary>
public sealed class TrafficMeter(FlowBook flows, NameBook names)
{
    public const int MaxFlows = 262_144;
    public const int MaxApps = 4_096;
    public const int MaxDestinationsPerApp = 1_024;

    /// <summary>Rates average at least this many complete seconds (more when sweeps are further apart, see <see cref="RateSeconds"/>).</summary>
    public const int MinRateSeconds = 3;

    /// <summary>The most seconds a rate averages (sweeps every 10 s at the slowest).</summary>
    public const int MaxRateSeconds = 30;

    /// <summary>Buckets of the exfiltration window: the sum is exact to 1/60 of the window.</summary>
    public const int WindowBuckets = 60;

    public static readonly TimeSpan IdleRetention = TimeSpan.FromMinutes(10);

    /// <summary>How long an ended flow's id is remembered, so a dump that raced with its end does not count it twice.</summary>
    private static readonly TimeSpan TombstoneRetention = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly Dictionary<FlowKey, FlowState> _flows = [];
    private readonly Dictionary<AppIdentity, AppTraffic> _apps = [];
    private readonly HashSet<DestinationTraffic> _dirty = [];
    private readonly Dictionary<uint, DateTimeOffset> _ended = [];
    private readonly List<FlowKey> _gone = [];
    private TimeSpan _window = TimeSpan.FromMinutes(5);
    private long _sweeps, _untracked, _sweep;
    private int _unattributed, _lastDumpEntries, _sweepEntries, _sweepUnattributed;
    private int _rateSeconds = MinRateSeconds;
    private DateTimeOffset? _lastSweep; // when the latest sweep began (the one under way, if any)
    private double _lastDumpMilliseconds;

    /// <summary>Completed sweeps.</summary>
    public long Sweeps { get { lock (_lock) return _sweeps; } }

    /// <summary>
    /// Seconds a rate averages: three sweep intervals, at least <see cref="MinRateSeconds"/>. Sweeps put their bytes
    /// in one second each, so an average over fewer sweeps would jump up and down when sweeps are more than 1 s apart.
    /// </summary>
    public int RateSeconds { get { lock (_lock) return _rateSeconds; } }

    /// <summary>
    /// One sweep in one call: <paramref name="samples"/> is the whole conntrack table at <paramref name="now"/>
    /// (see <see cref="BeginSweep"/>). Returns the uploads that grew since the last sweep, for the exfiltration detector.
    /// </summary>
    public IReadOnlyList<UploadWindow> Sample(ReadOnlySpan<FlowSample> samples, DateTimeOffset now, TimeSpan window, double dumpMilliseconds = 0)
    {
        BeginSweep(now, window);
        Add(samples);
        return EndSweep(dumpMilliseconds);
    }

    /// <summary>
    /// Starts a sweep of the conntrack table as it is at <paramref name="now"/>; the dump's entries follow in chunks
    /// (<see cref="Add"/>), so the meter never holds a copy of the whole table, and <see cref="EndSweep"/> closes it.
    /// Flows missing from the sweep ended (their final bytes come through <see cref="Ended"/>). The first sweep only
    /// takes a baseline: flows older than the meter would otherwise show their whole history as one burst.
    /// One sweeper at a time (the flow meter's thread); the lock is taken per call, so readers wait one chunk at most.
    /// </summary>
    public void BeginSweep(DateTimeOffset now, TimeSpan window)
    {
        lock (_lock)
        {
            _sweep++;
            _sweepEntries = 0;
            _sweepUnattributed = 0;
            if (_lastSweep is { } last && now > last)
                _rateSeconds = (int)Math.Clamp(Math.Ceiling(3 * (now - last).TotalSeconds), MinRateSeconds, MaxRateSeconds);
            _lastSweep = now;
            SetWindow(window);
            foreach (var app in _apps.Values)
            {
                app.SweepOpenFlows = 0;
                foreach (var d in app.Destinations.Values) d.SweepOpenFlows = 0;
            }
        }
    }

    /// <summary>The next entries of the sweep's dump.</summary>
    public void Add(ReadOnlySpan<FlowSample> samples)
    {
        lock (_lock)
        {
            // Until a sweep has ended, every one is the baseline (also after one that failed half-way).
            var (sweep, now, baseline) = (_sweep, _lastSweep.GetValueOrDefault(), _sweeps == 0);
            _sweepEntries += samples.Length;
            foreach (ref readonly var s in samples)
            {
                if (s.Id is { } endedId && _ended.ContainsKey(endedId)) continue;
                if (!_flows.TryGetValue(s.Key, out var flow))
                {
                    if (_flows.Count >= MaxFlows)
                    {
                        _untracked++;
                        continue;
                    }
                    flow = new FlowState { Id = s.Id };
                    _flows.Add(s.Key, flow);
                }
                else if (flow.Id is { } known && s.Id is { } seen && known != seen)
                {
                    // The same 5-tuple, a new connection: start over.
                    flow = new FlowState { Id = s.Id };
                    _flows[s.Key] = flow;
                }
                if (baseline)
                {
                    // Also for flows a sweep that never ended left behind.
                    flow.Out = s.BytesOut;
                    flow.In = s.BytesIn;
                }
                flow.Sweep = sweep;
                if (flow.Destination is null && !flow.Untrackable)
                {
                    if (flows.TryGet(s.Key, out var owner)) Attach(flow, s, owner);
                    else
                    {
                        // Not (yet) attributed: move the baseline so bytes before attribution are not a burst later.
                        flow.Out = s.BytesOut;
                        flow.In = s.BytesIn;
                        _sweepUnattributed++;
                        continue;
                    }
                }
                var sent = Delta(s.BytesOut, flow.Out);
                var received = Delta(s.BytesIn, flow.In);
                flow.Out = s.BytesOut;
                flow.In = s.BytesIn;
                if (flow.Destination is { } destination)
                {
                    destination.SweepOpenFlows++;
                    destination.App.SweepOpenFlows++;
                    Account(destination, sent, received, now);
                }
            }
        }
    }

    /// <summary>Closes the sweep: forgets the flows it did not see and returns the uploads that grew since the last one.</summary>
    public IReadOnlyList<UploadWindow> EndSweep(double dumpMilliseconds = 0)
    {
        lock (_lock)
        {
            var (sweep, now) = (_sweep, _lastSweep.GetValueOrDefault());
            _sweeps++;
            _lastDumpEntries = _sweepEntries;
            _lastDumpMilliseconds = dumpMilliseconds;
            _unattributed = _sweepUnattributed;
            foreach (var app in _apps.Values)
            {
                app.OpenFlows = app.SweepOpenFlows;
                foreach (var d in app.Destinations.Values) d.OpenFlows = d.SweepOpenFlows;
            }
            _gone.Clear();
            foreach (var (key, flow) in _flows)
                if (flow.Sweep != sweep) _gone.Add(key);
            foreach (var key in _gone) _flows.Remove(key);
            if (_gone.Count > 4096 && _gone.Count > 2 * _flows.Count)
            {
                // After a burst of short flows: give the memory back instead of keeping buckets for the peak.
                _flows.TrimExcess();
                _gone.Clear();
                _gone.TrimExcess();
            }
            if (_sweeps % 10 == 0) Forget(now);
            return TakeDirty(now);
        }
    }

    /// <summary>
    /// A flow ended (conntrack DESTROY): adds what it sent and received since the last sweep, so an upload that
    /// started and ended between two sweeps is counted too. <paramref name="owner"/> is what the flow book knew.
    /// </summary>
    public void Ended(in FlowSample final, FlowOwner? owner, DateTimeOffset now)
    {
        var (key, id, bytesOut, bytesIn) = (final.Key, final.Id, final.BytesOut, final.BytesIn);
        lock (_lock)
        {
            if (id is { } endedId)
            {
                if (_ended.Count >= MaxFlows) _ended.Clear();
                _ended[endedId] = now;
            }
            if (!_flows.Remove(key, out var flow) || (flow.Id is { } known && id is { } seen && known != seen))
                flow = new FlowState { Id = id };
            if (flow.Destination is null && !flow.Untrackable)
            {
                if (owner is null) return;
                Attach(flow, final, owner);
            }
            if (flow.Destination is { } destination)
                Account(destination, Delta(bytesOut, flow.Out), Delta(bytesIn, flow.In), now);
        }
    }

    /// <summary>Everything the meter knows at <paramref name="now"/>, busiest uploader first.</summary>
    public TrafficResponse Snapshot(DateTimeOffset now, int topDestinations = 5)
    {
        lock (_lock)
        {
            var apps = new List<AppTrafficView>(_apps.Count);
            foreach (var app in _apps.Values)
            {
                var top = app.Destinations.Values
                    .OrderByDescending(d => d.BytesOut).ThenByDescending(d => d.BytesIn).ThenBy(d => d.Address, StringComparer.Ordinal)
                    .Take(topDestinations)
                    .Select(d => new DestinationTrafficView(d.Address, d.Domain, d.Port, d.BytesOut, d.BytesIn))
                    .ToList();
                apps.Add(new AppTrafficView(app.Identity.Exe, app.User, app.Identity.Unit, app.Identity.Container,
                    app.Pids.Order().ToList(), app.OpenFlows, Rate(app.RateOut, now, _rateSeconds), Rate(app.RateIn, now, _rateSeconds), app.BytesOut, app.BytesIn, top));
            }
            apps.Sort(static (a, b) =>
            {
                var c = b.BytesOutPerSecond.CompareTo(a.BytesOutPerSecond);
                if (c == 0) c = b.BytesOut.CompareTo(a.BytesOut);
                return c != 0 ? c : string.CompareOrdinal(a.Exe, b.Exe);
            });
            return new TrafficResponse(now, apps,
                _sweeps == 0 ? null : new TrafficMeterView(_flows.Count, _unattributed, _untracked, _lastDumpEntries, Math.Round(_lastDumpMilliseconds, 3), _sweeps, _rateSeconds));
        }
    }

    /// <summary>Bytes per second over the last <paramref name="seconds"/> complete seconds.</summary>
    internal static double Rate(SlidingSum sum, DateTimeOffset now, int seconds) =>
        Math.Round(sum.SumCompleted(now, seconds) / (double)seconds, 1);

    /// <summary>Counters only grow; a smaller value means the entry was replaced, so all of it is new.</summary>
    private static long Delta(ulong current, ulong previous) => (long)(current >= previous ? current - previous : current);

    private void Attach(FlowState flow, in FlowSample sample, FlowOwner owner)
    {
        var key = sample.Key;
        var process = owner.Process;
        var identity = AppIdentity.Of(process);
        if (!_apps.TryGetValue(identity, out var app))
        {
            if (_apps.Count >= MaxApps)
            {
                flow.Untrackable = true;
                _untracked++;
                return;
            }
            app = new AppTraffic(identity);
            _apps.Add(identity, app);
        }
        app.User = process.UserName ?? app.User;
        app.AddPid(process.Pid);
        var address = ToAddress(key.Destination, sample.IsIPv6);
        var text = address.ToString();
        if (!app.Destinations.TryGetValue(text, out var destination))
        {
            if (app.Destinations.Count >= MaxDestinationsPerApp)
            {
                flow.Untrackable = true;
                _untracked++;
                return;
            }
            destination = new DestinationTraffic(app, text, NewWindow());
            app.Destinations.Add(text, destination);
        }
        destination.Port = key.DestinationPort;
        destination.Proto = QueueService.ProtocolName(key.Protocol);
        destination.LastPid = process.Pid > 0 ? process.Pid : destination.LastPid;
        destination.Domain = owner.Domain ?? (names.NamesOf(address) is [var name, ..] ? name : destination.Domain);
        flow.Destination = destination;
    }

    private static IPAddress ToAddress(UInt128 value, bool v6)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (v6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
            return new IPAddress(bytes);
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value); // IPv4 sits in the low 32 bits
        return new IPAddress(bytes[..4]);
    }

    private void Account(DestinationTraffic destination, long sent, long received, DateTimeOffset now)
    {
        if (sent == 0 && received == 0) return;
        var app = destination.App;
        app.BytesOut += sent;
        app.BytesIn += received;
        app.RateOut.Add(now, sent);
        app.RateIn.Add(now, received);
        app.LastActive = now;
        destination.BytesOut += sent;
        destination.BytesIn += received;
        destination.LastActive = now;
        if (sent > 0)
        {
            destination.Window.Add(now, sent);
            destination.FirstSent ??= now;
            _dirty.Add(destination);
        }
    }

    private List<UploadWindow> TakeDirty(DateTimeOffset now)
    {
        var uploads = new List<UploadWindow>(_dirty.Count);
        foreach (var d in _dirty)
            uploads.Add(new UploadWindow(d.App.Identity, d.App.User, d.LastPid, d.Address, d.Domain, d.Port, d.Proto,
                d.Window.Sum(now), _window, d.FirstSent ?? now));
        _dirty.Clear();
        return uploads;
    }

    private SlidingSum NewWindow() => new(_window / WindowBuckets, WindowBuckets);

    private void SetWindow(TimeSpan window)
    {
        if (window < TimeSpan.FromSeconds(WindowBuckets)) window = TimeSpan.FromSeconds(WindowBuckets); // buckets of at least 1 s
        if (window == _window) return;
        _window = window;
        // A new window length starts from empty sums: rare (a policy reload), and never raises a false alert.
        foreach (var app in _apps.Values)
            foreach (var d in app.Destinations.Values) d.Window = NewWindow();
    }

    /// <summary>Drops ended-flow ids past their retention and applications and destinations idle for long.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, at) in _ended)
            if (now - at > TombstoneRetention) _ended.Remove(id);
        var idle = _window > IdleRetention ? _window : IdleRetention;
        List<AppIdentity>? emptied = null;
        foreach (var (identity, app) in _apps)
        {
            List<string>? stale = null;
            foreach (var (address, d) in app.Destinations)
                if (d.OpenFlows == 0 && now - d.LastActive > idle) (stale ??= []).Add(address);
            if (stale is not null) foreach (var address in stale) app.Destinations.Remove(address);
            if (app.Destinations.Count == 0 && app.OpenFlows == 0 && now - app.LastActive > idle) (emptied ??= []).Add(identity);
        }
        if (emptied is not null) foreach (var identity in emptied) _apps.Remove(identity);
    }

    private sealed class FlowState
    {
        public uint? Id;
        public ulong Out, In;
        public long Sweep;
        public DestinationTraffic? Destination;
        public bool Untrackable;
    }
}
