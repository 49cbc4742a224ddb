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
    public const string Log = "log";
    public const string Comment = "comment";

    public static readonly string[] TopLevelKeys = [Logging];
    public static readonly string[] DefaultsKeys = [Incoming, Outgoing, Routed];
    public static readonly string[] RuleKeys = [Action, Direction, Interface, Proto, From, FromPort, To, ToPort, Log, Comment];

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
        ["dir"] = Direction,
        ["policy"] = Action,
        ["logging"] = Log,
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
