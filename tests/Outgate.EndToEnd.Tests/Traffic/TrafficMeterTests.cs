using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Flows;
using Outgate.Daemon.Traffic;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Traffic;

public class TrafficMeterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const string Curl = "/usr/bin/curl";

    private readonly FakeTimeProvider _time = new(T0);
    private readonly FlowBook _book = new();
    private readonly TrafficMeter _meter;

    public TrafficMeterTests() => _meter = new TrafficMeter(_book, new NameBook(_time));

    private static FlowKey Key(ushort sourcePort, uint destination = 0x0A000002, ushort port = 443) =>
        new(6, 0x0A000001, sourcePort, destination, port);

    private FlowKey Open(ushort sourcePort, string exe = Curl, int pid = 100, uint destination = 0x0A000002, string? domain = "example.org")
    {
        var key = Key(sourcePort, destination);
        _book.Remember(key, new FlowOwner(new ProcessFacts { Pid = pid, ExecutablePath = exe, Uid = 1000, UserName = "alice" }, "allow", "test", domain));
        return key;
    }

    private IReadOnlyList<UploadWindow> Sweep(double atSeconds, params FlowSample[] flows)
    {
        _time.SetUtcNow(T0.AddSeconds(atSeconds));
        return _meter.Sample(flows, _time.GetUtcNow(), Window);
    }

    private AppTrafficView App(double atSeconds, string exe = Curl) =>
        Assert.Single(_meter.Snapshot(T0.AddSeconds(atSeconds)).Apps, a => a.Exe == exe);

    [Fact]
    public void Rates_average_the_last_three_complete_seconds_and_totals_add_up()
    {
        var key = Open(40000);
        Sweep(0, new FlowSample(key, 1, 0, 0));
        Sweep(1, new FlowSample(key, 1, 1000, 100));
        Sweep(2, new FlowSample(key, 1, 3000, 300));
        Sweep(3, new FlowSample(key, 1, 6000, 600));

        var app = App(4);
        Assert.Equal(2000, app.BytesOutPerSecond);  // (1000 + 2000 + 3000) / 3
        Assert.Equal(200, app.BytesInPerSecond);
        Assert.Equal((6000L, 600L), (app.BytesOut, app.BytesIn));
        Assert.Equal(1, app.Connections);
        Assert.Equal("alice", app.User);
        Assert.Equal([100], app.Pids);
        var destination = Assert.Single(app.TopDestinations);
        Assert.Equal(("10.0.0.2", "example.org", 443, 6000L, 600L), (destination.Address, destination.Domain, destination.Port, destination.BytesOut, destination.BytesIn));

        // Nothing more sent: the rate falls to zero once the busy seconds leave the average; totals stay.
        Sweep(4, new FlowSample(key, 1, 6000, 600));
        Sweep(5, new FlowSample(key, 1, 6000, 600));
        Sweep(6, new FlowSample(key, 1, 6000, 600));
        Sweep(7, new FlowSample(key, 1, 6000, 600));
        Assert.Equal((0.0, 6000L), (App(7.5).BytesOutPerSecond, App(7.5).BytesOut));
    }

    [Fact]
    public void The_first_sweep_is_a_baseline_so_old_flows_do_not_show_their_history_as_a_burst()
    {
        var key = Open(40000);
        Sweep(0, new FlowSample(key, 1, 50_000_000, 1000));
        var uploads = Sweep(1, new FlowSample(key, 1, 50_000_500, 1000));
        Assert.Equal(500, App(1).BytesOut);
        Assert.Equal(500, Assert.Single(uploads).BytesOut);
    }

    [Fact]
    public void A_sweep_in_chunks_counts_what_one_whole_sweep_counts_and_shows_open_flows_only_when_complete()
    {
        var keys = Enumerable.Range(0, 5).Select(i => Open((ushort)(40000 + i))).ToArray();
        Sweep(0, keys.Select(k => new FlowSample(k, k.SourcePort, 0, 0)).ToArray());

        _meter.BeginSweep(T0.AddSeconds(1), Window);
        _meter.Add(keys[..2].Select(k => new FlowSample(k, k.SourcePort, 100, 10)).ToArray());
        // Between chunks a reader still sees the last complete sweep's open flows, not a half-counted one.
        Assert.Equal(5, App(1).Connections);
        _meter.Add(keys[2..4].Select(k => new FlowSample(k, k.SourcePort, 100, 10)).ToArray());
        var uploads = _meter.EndSweep();

        var app = App(1);
        Assert.Equal(4, app.Connections); // keys[4] was not in the dump: it ended
        Assert.Equal((400L, 40L), (app.BytesOut, app.BytesIn));
        Assert.Equal(400, Assert.Single(uploads).BytesOut);
        Assert.Equal(2, _meter.Sweeps);
    }

    [Fact]
    public void A_sweep_that_never_ended_does_not_spoil_the_baseline()
    {
        var key = Open(40000);
        _meter.BeginSweep(T0, Window); // the dump failed half-way: no EndSweep
        _meter.Add([new FlowSample(key, 1, 0, 0)]);
        Sweep(1, new FlowSample(key, 1, 50_000_000, 1000)); // the first complete sweep: a baseline
        Sweep(2, new FlowSample(key, 1, 50_000_500, 1000));
        Assert.Equal(500, App(2).BytesOut);
        Assert.Equal(2, _meter.Sweeps);
    }

    [Fact]
    public void A_flow_that_ends_between_sweeps_is_counted_from_its_final_counters_once()
    {
        Sweep(0);
        var key = Open(40001);
        _book.Forget(key); // as FlowEndService does before handing the owner over
        _meter.Ended(new FlowSample(key, 7, 8_000_000, 2000), new FlowOwner(new ProcessFacts { Pid = 5, ExecutablePath = Curl, Uid = 1000 }, "allow", "test"), T0.AddSeconds(0.5));
        // A dump that raced with the end still lists the entry: it must not count again.
        var uploads = Sweep(1, new FlowSample(key, 7, 8_000_000, 2000));

        var app = App(1);
        Assert.Equal((8_000_000L, 2000L, 0), (app.BytesOut, app.BytesIn, app.Connections));
        var upload = Assert.Single(uploads);
        Assert.Equal(8_000_000, upload.BytesOut);
        Assert.Equal(T0.AddSeconds(0.5), upload.FirstSent);
    }

    [Fact]
    public void Ended_adds_only_what_was_sent_since_the_last_sweep()
    {
        var key = Open(40002);
        Sweep(0, new FlowSample(key, 9, 0, 0));
        Sweep(1, new FlowSample(key, 9, 1000, 10));
        var owner = _book.Forget(key);
        _meter.Ended(new FlowSample(key, 9, 1500, 20), owner, T0.AddSeconds(1.5));
        Sweep(2);
        Assert.Equal((1500L, 20L), (App(2).BytesOut, App(2).BytesIn));
    }

    [Fact]
    public void A_new_connection_on_the_same_addresses_and_ports_counts_from_zero()
    {
        var key = Open(40003);
        Sweep(0, new FlowSample(key, 1, 0, 0));
        Sweep(1, new FlowSample(key, 1, 5000, 0));
        Sweep(2, new FlowSample(key, 2, 700, 0)); // conntrack id changed: another connection
        Assert.Equal(5700, App(2).BytesOut);
    }

    [Fact]
    public void Flows_nobody_claimed_are_left_out_until_the_flow_book_knows_them()
    {
        var key = Key(40004);
        Sweep(0, new FlowSample(key, 1, 0, 0));
        Sweep(1, new FlowSample(key, 1, 4000, 0));
        Assert.Empty(_meter.Snapshot(T0.AddSeconds(1)).Apps);
        Assert.Equal(1, _meter.Snapshot(T0.AddSeconds(1)).Meter!.UnattributedFlows);

        _book.Remember(key, new FlowOwner(new ProcessFacts { Pid = 1, ExecutablePath = Curl }, "allow", "test"));
        Sweep(2, new FlowSample(key, 1, 4500, 0));
        Assert.Equal(500, App(2).BytesOut); // only what it sent once attributed
    }

    [Fact]
    public void Connections_count_the_flows_in_the_table_per_app_and_destinations_are_kept_apart()
    {
        var a = Open(40010, destination: 0x0A000002);
        var b = Open(40011, destination: 0x0A000002);
        var c = Open(40012, destination: 0x0A000003, domain: null);
        var other = Open(40013, exe: "/usr/bin/wget", pid: 200);
        Sweep(0, new FlowSample(a, 1, 0, 0), new FlowSample(b, 2, 0, 0), new FlowSample(c, 3, 0, 0), new FlowSample(other, 4, 0, 0));
        var uploads = Sweep(1, new FlowSample(a, 1, 100, 0), new FlowSample(b, 2, 200, 0), new FlowSample(c, 3, 5000, 0), new FlowSample(other, 4, 0, 10));

        var curl = App(1);
        Assert.Equal(3, curl.Connections);
        Assert.Equal(["10.0.0.3", "10.0.0.2"], curl.TopDestinations.Select(d => d.Address)); // most bytes out first
        Assert.Equal(1, App(1, "/usr/bin/wget").Connections);
        Assert.Equal([("10.0.0.2", 300L), ("10.0.0.3", 5000L)],
            uploads.Select(u => (u.Address, u.BytesOut)).Order()); // wget only received: no upload to judge

        Sweep(2, new FlowSample(c, 3, 5000, 0)); // a, b and wget's flow left the table
        Assert.Equal(1, App(2).Connections);
        Assert.Equal(0, App(2, "/usr/bin/wget").Connections);
    }

    [Fact]
    public void The_window_sum_forgets_bytes_older_than_the_window()
    {
        var key = Open(40020);
        Sweep(0, new FlowSample(key, 1, 0, 0));
        Assert.Equal(1_000_000, Assert.Single(Sweep(1, new FlowSample(key, 1, 1_000_000, 0))).BytesOut);
        Assert.Equal(1_000_010, Assert.Single(Sweep(200, new FlowSample(key, 1, 1_000_010, 0))).BytesOut);
        Assert.Equal(20, Assert.Single(Sweep(400, new FlowSample(key, 1, 1_000_020, 0))).BytesOut); // t=1 left the 5-min window
    }

    [Fact]
    public void Idle_apps_are_forgotten_after_the_retention()
    {
        var key = Open(40030);
        Sweep(0, new FlowSample(key, 1, 0, 0));
        Sweep(1, new FlowSample(key, 1, 10, 0));
        for (var s = 2; s <= 9; s++) Sweep(s * 60);
        Assert.Single(_meter.Snapshot(T0.AddMinutes(9)).Apps); // idle for 8 min: still shown
        for (var s = 10; s <= 20; s++) Sweep(s * 60);      // idle checks run every 10 sweeps
        Assert.Empty(_meter.Snapshot(T0.AddMinutes(20)).Apps);
    }

    [Fact]
    public void Ten_thousand_flows_per_sweep_are_bookkeeping_only()
    {
        var samples = new FlowSample[10_000];
        for (var i = 0; i < samples.Length; i++)
        {
            var key = Open((ushort)(10_000 + i), exe: $"/usr/bin/app{i % 50}", pid: i % 50 + 1, destination: 0x0A000000u + (uint)(i % 500));
            samples[i] = new FlowSample(key, (uint)i, 0, 0);
        }
        Sweep(0, samples);
        var times = new List<double>();
        for (var s = 1; s <= 10; s++)
        {
            for (var i = 0; i < samples.Length; i++) samples[i] = samples[i] with { BytesOut = (ulong)(s * 1000), BytesIn = (ulong)s };
            var started = Stopwatch.GetTimestamp();
            Sweep(s, samples);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var snapshot = _meter.Snapshot(T0.AddSeconds(11));
        Assert.Equal(50, snapshot.Apps.Count);
        Assert.Equal(10_000L * 10_000, snapshot.Apps.Sum(a => a.BytesOut));
        Assert.Equal(10_000, snapshot.Apps.Sum(a => a.Connections));
        times.Sort();
        var report = $"TrafficMeter.Sample with 10000 flows (50 apps, 500 destinations): median {times[times.Count / 2]:0.00} ms, max {times[^1]:0.00} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("OUTGATE_BENCH_OUT") is { Length: > 0 } file) File.AppendAllText(file, report + "\n");
    }
}
