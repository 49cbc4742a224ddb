namespace Outgate.Policy;

/// <summary>
/// The <c>[alerts]</c> part of outgate.toml: which detectors run, their thresholds, flood control and where
/// alerts are sent besides the event store. Every detector is on by default with thresholds meant to be quiet on a
/// normal workstation; an empty <c>[alerts]</c> (or none) means exactly <see cref="Default"/>.
/// <code>
/// [alerts]
/// dedup = "10m"                 # same detector + program + destination at most once per window
///
/// [alerts.connect-back]         # shells, interpreters and relay tools dialling out; sockets as stdin/stdout
/// enabled = true
/// extra_tools = ["busybox"]     # added to the built-in list (sh, bash, python, nc, socat, ...)
/// block = true                  # enforce/lockdown refuse it unless a rule names the tool
///
/// [alerts.exfiltration]
/// threshold = "20MB"            # bytes sent by one program to one destination within window
/// window = "5m"
/// new_destination = "5MB"       # lower bar for a destination the program never used before
///
/// [alerts.syslog]
/// target = "udp://192.0.2.10:514"   # or tcp://host:port; RFC 5424
/// [alerts.webhook]
/// url = "https://hooks.example/outgate"
/// </code>
/// </summary>
public sealed record AlertSettings
{
    public static AlertSettings Default { get; } = new();

    /// <summary>Flood control: one alert per (detector, program, destination) per window. TOML <c>[alerts] dedup</c>, default 10 min.</summary>
    public TimeSpan Dedup { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Sinks get alerts of this severity or worse (store and dashboard get all). TOML <c>[alerts] min_severity</c>, default "warning".</summary>
    public string MinSeverity { get; init; } = "warning";

    public ConnectBackSettings ConnectBack { get; init; } = new();

    /// <summary>First outbound connection of an executable never seen before (<c>new-app</c>) or whose hash changed (<c>hash-changed</c>).</summary>
    public DetectorSwitch NewApp { get; init; } = new();

    public ExfiltrationSettings Exfiltration { get; init; } = new();

    public DnsTunnelSettings DnsTunnel { get; init; } = new();

    /// <summary>Connections to destinations on these lists (same formats as <c>to list</c>: hosts, domains, IPs/CIDRs).</summary>
    public BlocklistSettings Blocklist { get; init; } = new();

    /// <summary>Connections to an address no DNS answer gave (<c>raw-ip</c>). Off by default: noisy where programs dial addresses on purpose.</summary>
    public DetectorSwitch RawIp { get; init; } = new() { Enabled = false };

    /// <summary>Traffic to port 53 that is not DNS (<c>dns-port</c>).</summary>
    public DetectorSwitch DnsPort { get; init; } = new();

    public BeaconingSettings Beaconing { get; init; } = new();

    /// <summary>Where alerts go besides the store and the dashboard.</summary>
    public AlertSinkSettings Sinks { get; init; } = new();
}

/// <summary>A detector with no thresholds: on or off.</summary>
public sealed record DetectorSwitch
{
    public bool Enabled { get; init; } = true;
}

public sealed record ConnectBackSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Executable base names added to the built-in list of shells, interpreters and relay tools.</summary>
    public IReadOnlyList<string> ExtraTools { get; init; } = [];

    /// <summary>In enforce and lockdown mode, refuse such a connection unless a program rule names the tool (default true).</summary>
    public bool Block { get; init; } = true;

    public bool Equals(ConnectBackSettings? other) => other is not null && Enabled == other.Enabled && Block == other.Block && ExtraTools.SequenceEqual(other.ExtraTools);

    public override int GetHashCode() => HashCode.Combine(Enabled, Block, ExtraTools.Count);
}

public sealed record ExfiltrationSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Bytes one program may send to one destination within <see cref="Window"/> before it is an alert (default 20 MB).</summary>
    public long ThresholdBytes { get; init; } = 20L * 1000 * 1000;

    /// <summary>The lower bar for a destination the program never sent to before (default 5 MB).</summary>
    public long NewDestinationBytes { get; init; } = 5L * 1000 * 1000;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);
}

public sealed record DnsTunnelSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>A label longer than this is suspicious (default 40; DNS allows 63).</summary>
    public int MaxLabelLength { get; init; } = 40;

    /// <summary>Shannon entropy (bits per character) above which a long label looks encoded (default 4.0).</summary>
    public double MaxEntropy { get; init; } = 4.0;

    /// <summary>Distinct names under one domain within <see cref="Window"/> that make a burst (default 50).</summary>
    public int UniqueSubdomains { get; init; } = 50;

    /// <summary>TXT/NULL queries within <see cref="Window"/> that make a flood (default 30).</summary>
    public int TxtQueries { get; init; } = 30;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);
}

public sealed record BlocklistSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>List files (absolute paths, or relative to the config directory).</summary>
    public IReadOnlyList<string> Lists { get; init; } = [];

    public bool Equals(BlocklistSettings? other) => other is not null && Enabled == other.Enabled && Lists.SequenceEqual(other.Lists);

    public override int GetHashCode() => HashCode.Combine(Enabled, Lists.Count);
}

public sealed record BeaconingSettings
{
    public bool Enabled { get; init; } = true;

    /// <summary>Refused attempts by one program to one destination within <see cref="Window"/> that make an alert (default 10).</summary>
    public int Attempts { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);
}

public sealed record AlertSinkSettings
{
    /// <summary>RFC 5424 collector, <c>udp://host:port</c> or <c>tcp://host:port</c>; null = none. TOML <c>[alerts.syslog] target</c>.</summary>
    public Uri? Syslog { get; init; }

    /// <summary>JSON POST of each alert; null = none. TOML <c>[alerts.webhook] url</c>.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>Structured entries in the systemd journal when it is running. TOML <c>[alerts.journal] enabled</c>, default true.</summary>
    public bool Journal { get; init; } = true;

    /// <summary>Desktop notifications (org.freedesktop.Notifications) when a user session bus exists. TOML <c>[alerts.desktop] enabled</c>, default true.</summary>
    public bool Desktop { get; init; } = true;
}
