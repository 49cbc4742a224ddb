namespace Outgate.Policy;

/// <summary>Key and table names of the policy files, shared by the reader and the writer.</summary>
internal static class TomlSchema
{
    public const string Logging = "logging";
    public const string DefaultsTable = "defaults";
    public const string RuleTable = "rule";

    public const string Incoming = "incoming";
    public const string Outgoing = "outgoing";
    public const string Routed = "routed";

    public const string Action = "action";
    public const string Direction = "direction";
    public const string Interface = "interface";
    public const string Proto = "proto";
    public const string From = "from";
    public const string FromPort = "from_port";
    public const string To = "to";
    public const string ToPort = "to_port";
    public const string ToDomain = "to_domain";
    public const string ToList = "to_list";
    public const string Log = "log";
    public const string Comment = "comment";

    public const string App = "app";
    public const string Sha256 = "sha256";
    public const string CommandLine = "cmdline";
    public const string Parent = "parent";
    public const string User = "user";
    public const string Group = "group";
    public const string Unit = "unit";
    public const string Cgroup = "cgroup";
    public const string Container = "container";
    public const string Expires = "expires";
    public const string BootId = "boot_id";

    public const string DaemonTable = "daemon";
    public const string FailOpen = "fail_open";

    // Policy-wide switches: top-level keys (also accepted in [daemon]), spelled as the issue and the docs write them.
    public const string DnsRequired = "dns-required";
    public const string BlockDoh = "block-doh";
    public const string DnsGrace = "dns-grace";

    // [alerts] and its sub-tables (outgate.toml only), spelled as AlertSettings' doc comment writes them.
    public const string AlertsTable = "alerts";
    public const string Enabled = "enabled";
    public const string Dedup = "dedup";
    public const string MinSeverity = "min_severity";
    public const string ExtraTools = "extra_tools";
    public const string Block = "block";
    public const string Threshold = "threshold";
    public const string NewDestination = "new_destination";
    public const string Window = "window";
    public const string MaxLabel = "max_label";
    public const string MaxEntropy = "max_entropy";
    public const string UniqueSubdomains = "unique_subdomains";
    public const string TxtQueries = "txt_queries";
    public const string Lists = "lists";
    public const string Attempts = "attempts";
    public const string Target = "target";
    public const string Url = "url";

    public const string ConnectBack = "connect-back";
    public const string NewApp = "new-app";
    public const string Exfiltration = "exfiltration";
    public const string DnsTunnel = "dns-tunnel";
    public const string Blocklist = "blocklist";
    public const string RawIp = "raw-ip";
    public const string DnsPort = "dns-port";
    public const string Beaconing = "beaconing";
    public const string Syslog = "syslog";
    public const string Webhook = "webhook";
    public const string Journal = "journal";
    public const string Desktop = "desktop";

    /// <summary>The sub-tables of [alerts] (<c>[alerts.NAME]</c>) and their keys.</summary>
    public static readonly Dictionary<string, string[]> AlertTables = new(StringComparer.Ordinal)
    {
        [""] = [Dedup, MinSeverity],
        [ConnectBack] = [Enabled, ExtraTools, Block],
        [NewApp] = [Enabled],
        [Exfiltration] = [Enabled, Threshold, NewDestination, Window],
        [DnsTunnel] = [Enabled, MaxLabel, MaxEntropy, UniqueSubdomains, TxtQueries, Window],
        [Blocklist] = [Enabled, Lists],
        [RawIp] = [Enabled],
        [DnsPort] = [Enabled],
        [Beaconing] = [Enabled, Attempts, Window],
        [Syslog] = [Target],
        [Webhook] = [Url],
        [Journal] = [Enabled],
        [Desktop] = [Enabled],
    };

    public static readonly string[] TopLevelKeys = [Logging, DnsRequired, BlockDoh, DnsGrace];
    public static readonly string[] DefaultsKeys = [Incoming, Outgoing, Routed];
    public static readonly string[] RuleKeys = [Action, Direction, Interface, App, Sha256, CommandLine, Parent, User, Group, Unit, Cgroup, Container,
        Proto, From, FromPort, To, ToDomain, ToList, ToPort, Log, Expires, BootId, Comment];
    public static readonly string[] DaemonKeys = [FailOpen, DnsRequired, BlockDoh, DnsGrace];

    /// <summary>The TOML key of each subject field.</summary>
    public static string SubjectKey(SubjectField field) => field switch
    {
        SubjectField.App => App,
        SubjectField.Sha256 => Sha256,
        SubjectField.CommandLine => CommandLine,
        SubjectField.Parent => Parent,
        SubjectField.User => User,
        SubjectField.Group => Group,
        SubjectField.Unit => Unit,
        SubjectField.Cgroup => Cgroup,
        SubjectField.Container => Container,
        _ => PolicyThrow.Unreachable<string>(field),
    };

    public static SubjectField? SubjectFieldOf(string key) => key switch
    {
        App => SubjectField.App,
        Sha256 => SubjectField.Sha256,
        CommandLine => SubjectField.CommandLine,
        Parent => SubjectField.Parent,
        User => SubjectField.User,
        Group => SubjectField.Group,
        Unit => SubjectField.Unit,
        Cgroup => SubjectField.Cgroup,
        Container => SubjectField.Container,
        _ => null,
    };

    /// <summary>Names people plausibly write for a rule key, mapped to the real key (beyond edit-distance typos).</summary>
    public static readonly Dictionary<string, string> RuleKeyAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["port"] = ToPort,
        ["dport"] = ToPort,
        ["sport"] = FromPort,
        ["on"] = Interface,
        ["iface"] = Interface,
        ["protocol"] = Proto,
        ["src"] = From,
        ["dst"] = To,
        ["domain"] = ToDomain,
        ["to-domain"] = ToDomain,
        ["todomain"] = ToDomain,
        ["host"] = ToDomain,
        ["list"] = ToList,
        ["to-list"] = ToList,
        ["tolist"] = ToList,
        ["dir"] = Direction,
        ["policy"] = Action,
        ["logging"] = Log,
        ["exe"] = App,
        ["path"] = App,
        ["program"] = App,
        ["executable"] = App,
        ["binary"] = App,
        ["hash"] = Sha256,
        ["cmd"] = CommandLine,
        ["command"] = CommandLine,
        ["commandline"] = CommandLine,
        ["command_line"] = CommandLine,
        ["uid"] = User,
        ["owner"] = User,
        ["gid"] = Group,
        ["service"] = Unit,
        ["systemd_unit"] = Unit,
        ["slice"] = Cgroup,
        ["expiry"] = Expires,
        ["expire"] = Expires,
        ["until"] = Expires,
        ["bootid"] = BootId,
    };

    public static string DirectionName(Direction direction) => direction switch
    {
        Outgate.Policy.Direction.In => "in",
        Outgate.Policy.Direction.Out => "out",
        Outgate.Policy.Direction.Forward => "forward",
        _ => PolicyThrow.Unreachable<string>(direction),
    };

    public static string LogName(RuleLogging logging) => logging switch
    {
        RuleLogging.None => "off",
        RuleLogging.New => "log",
        RuleLogging.All => "log-all",
        _ => PolicyThrow.Unreachable<string>(logging),
    };

    public static string DefaultsKey(Direction direction) => direction switch
    {
        Outgate.Policy.Direction.In => Incoming,
        Outgate.Policy.Direction.Out => Outgoing,
        Outgate.Policy.Direction.Forward => Routed,
        _ => PolicyThrow.Unreachable<string>(direction),
    };
}
