namespace Outgate.Daemon.Options;

/// <summary>
/// Everything <c>outgated</c> is started with. Paths are options so several daemons can run side by
/// side (tests run one per network namespace). Built by <see cref="DaemonCommandLine"/> from the
/// command line and OUTGATE_* environment variables, checked by <see cref="DaemonOptionsValidator"/>.
/// </summary>
public sealed record DaemonOptions
{
    public const string DefaultSocketPath = "/run/outgate/outgate.sock";
    public const string DefaultConfigDirectory = "/etc/outgate";
    public const string DefaultStateDirectory = "/var/lib/outgate";
    public const string DefaultAccessGroup = "outgate";

    /// <summary>The API's unix socket (default /run/outgate/outgate.sock, or $OUTGATE_SOCKET).</summary>
    public string SocketPath { get; init; } = DefaultSocketPath;

    /// <summary>Policy files: outgate.toml and rules.d/ (default /etc/outgate, or $OUTGATE_CONFIG_DIR).</summary>
    public string ConfigDirectory { get; init; } = DefaultConfigDirectory;

    /// <summary>Runtime state: events.db, learned rules (default /var/lib/outgate, or $OUTGATE_STATE_DIR).</summary>
    public string StateDirectory { get; init; } = DefaultStateDirectory;

    /// <summary>
    /// The network namespace to serve: a name under /run/netns or an absolute path such as
    /// /proc/PID/ns/net. Null (the default) serves the daemon's own namespace. The daemon itself
    /// stays in the initial namespace (the proc connector works only there); see <see cref="Hosting.TargetNamespace"/>.
    /// </summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The mode at start (default <see cref="DaemonMode.Learn"/>); changed at run time with <c>outgate mode</c>.</summary>
    public DaemonMode Mode { get; init; } = DaemonMode.Learn;

    /// <summary>
    /// Members of this group (besides root) may use the API (default "outgate"). When the group does
    /// not exist, the socket is 0600 and only root gets in.
    /// </summary>
    public string AccessGroup { get; init; } = DefaultAccessGroup;

    /// <summary>True when --mode was given: it wins over the mode saved by the last <c>outgate mode</c>.</summary>
    public bool ModeGiven { get; init; }

    /// <summary>
    /// False with --no-kernel: API and events only, no queue rules, no tamper guard. Tests that run a
    /// daemon in the host's own namespace use it, so they never change the host's firewall.
    /// </summary>
    public bool Kernel { get; init; } = true;

    /// <summary>First NFQUEUE number (--queue-num, default 10); queues are FirstQueue .. FirstQueue+QueueCount-1 in the served namespace.</summary>
    public ushort FirstQueue { get; init; } = 10;

    /// <summary>Number of queues (--queues), one receiving thread each; default one per CPU, at most 8.</summary>
    public int QueueCount { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>NFQUEUE number for DNS answers (--dns-queue); null = the one right after the connection queues.</summary>
    public ushort? DnsQueue { get; init; }

    /// <summary>False with --no-kernel-cache: every new connection goes through the queue (no eBPF connect hook).</summary>
    public bool KernelCache { get; init; } = true;

    /// <summary>False with --no-dns: DNS answers are not read, domain sets stay empty.</summary>
    public bool Dns { get; init; } = true;

    /// <summary>The DNS answer queue in use.</summary>
    public ushort EffectiveDnsQueue => DnsQueue ?? (ushort)(FirstQueue + QueueCount);

    /// <summary>How long a connection waits for an answer in interactive mode (--prompt-timeout, default 30s).</summary>
    public TimeSpan PromptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What an unanswered prompt becomes (--prompt-default allow|deny, default deny).</summary>
    public Decisions.AppVerdict PromptDefault { get; init; } = Decisions.AppVerdict.Deny;

    /// <summary>Backstop interval of the tamper guard's check, besides nftables change events (ms).</summary>
    public int TamperPollMilliseconds { get; init; } = 2000;

    /// <summary>
    /// The dashboard's TCP listener (--web ADDR:PORT, or $OUTGATE_WEB; default 127.0.0.1:9474; port 0 = any free port).
    /// Null with <c>--web off</c>. Only loopback addresses are accepted: the dashboard is for the machine's own admin,
    /// remote access goes through an SSH tunnel (<c>ssh -L 9474:127.0.0.1:9474 host</c>).
    /// </summary>
    public System.Net.IPEndPoint? Web { get; init; } = new(System.Net.IPAddress.Loopback, DefaultWebPort);

    public const int DefaultWebPort = 9474;

    /// <summary>The dashboard's login token: <c>StateDirectory/dashboard-token</c> (0600, made at first start).</summary>
    public string DashboardTokenPath => Path.Combine(StateDirectory, "dashboard-token");

    /// <summary>Event store settings.</summary>
    public EventStoreOptions Events { get; init; } = new();

    /// <summary>Central fleet database (event shipping, fleet queries); off unless configured.</summary>
    public FleetOptions Fleet { get; init; } = new();

    /// <summary>Path of the SQLite event database: <c>StateDirectory/events.db</c>.</summary>
    public string EventDatabasePath => Path.Combine(StateDirectory, "events.db");

    /// <summary>Where the mode set by <c>outgate mode</c> is kept across restarts.</summary>
    public string ModeFilePath => Path.Combine(StateDirectory, "mode");
}
