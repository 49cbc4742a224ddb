namespace Outgate.Daemon.Traffic;

/// <summary>The meter's running numbers for one application. Guarded by the meter's lock.</summary>
internal sealed class AppTraffic(AppIdentity identity)
{
    public const int MaxPids = 16;

    public AppIdentity Identity { get; } = identity;
    public string? User { get; set; }
    public HashSet<int> Pids { get; } = [];
    public int OpenFlows { get; set; }

    /// <summary>Open flows counted so far by the sweep under way (published as <see cref="OpenFlows"/> when it ends).</summary>
    public int SweepOpenFlows { get; set; }
    public long BytesOut { get; set; }
    public long BytesIn { get; set; }
    public SlidingSum RateOut { get; } = new(TimeSpan.FromSeconds(1), TrafficMeter.MaxRateSeconds + 1);
    public SlidingSum RateIn { get; } = new(TimeSpan.FromSeconds(1), TrafficMeter.MaxRateSeconds + 1);
    public DateTimeOffset LastActive { get; set; }
    public Dictionary<string, DestinationTraffic> Destinations { get; } = new(StringComparer.Ordinal);

    public void AddPid(int pid)
    {
        if (pid <= 0 || Pids.Contains(pid)) return;
        // Keep the newest few: a forking server would otherwise grow this without bound.
        if (Pids.Count >= MaxPids) Pids.Remove(Pids.Min());
        Pids.Add(pid);
    }
}

/// <summary>One destination address of one application. Guarded by the meter's lock.</summary>
internal sealed class DestinationTraffic(AppTraffic app, string address, SlidingSum window)
{
    public AppTraffic App { get; } = app;
    public string Address { get; } = address;
    public string? Domain { get; set; }
    public ushort Port { get; set; }
    public string Proto { get; set; } = "tcp";
    public int? LastPid { get; set; }
    public int OpenFlows { get; set; }

    /// <summary>Open flows counted so far by the sweep under way.</summary>
    public int SweepOpenFlows { get; set; }
    public long BytesOut { get; set; }
    public long BytesIn { get; set; }

    /// <summary>Bytes out within the exfiltration window (replaced when the window setting changes).</summary>
    public SlidingSum Window { get; set; } = window;
    public DateTimeOffset? FirstSent { get; set; }
    public DateTimeOffset LastActive { get; set; }
}
