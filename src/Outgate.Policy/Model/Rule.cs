namespace Outgate.Policy;

/// <summary>
/// One firewall rule, the model behind both ufw syntax and <c>[[rule]]</c> tables.
/// <see langword="null"/> addresses and ports mean "any". Addresses are normalised (host bits cleared,
/// /32 and /128 kept as prefix length 32/128). A rule whose addresses are both any applies to IPv4 and IPv6.
/// </summary>
public sealed record Rule
{
    /// <summary>allow, deny, reject or limit.</summary>
    public required RuleAction Action { get; init; }

    /// <summary>in (default), out or forward.</summary>
    public Direction Direction { get; init; } = Direction.In;

    /// <summary>Interface name (<c>on IFACE</c>); a trailing <c>+</c> is a prefix wildcard. Input interface for in and forward, output interface for out.</summary>
    public string? Interface { get; init; }

    /// <summary>Per-rule logging (<c>log</c>, <c>log-all</c>).</summary>
    public RuleLogging Logging { get; init; } = RuleLogging.None;

    /// <summary>Protocol; <see cref="Protocol.Any"/> with a port means tcp and udp.</summary>
    public Protocol Protocol { get; init; } = Protocol.Any;

    /// <summary>Source network, null for any.</summary>
    public IPNetwork? From { get; init; }

    /// <summary>Source ports, null for any.</summary>
    public PortSpec? FromPort { get; init; }

    /// <summary>Destination network, null for any.</summary>
    public IPNetwork? To { get; init; }

    /// <summary>
    /// Destination named by DNS (<c>to domain *.mozilla.org</c>): the rule applies to addresses a DNS answer for a matching
    /// name returned. At most one of <see cref="To"/>, <see cref="ToDomain"/> and <see cref="ToList"/> is set.
    /// </summary>
    public DomainPattern? ToDomain { get; init; }

    /// <summary>
    /// Absolute path of a list file (<c>to list /etc/outgate/lists/ads.txt</c>): a domain list (hosts, plain or adblock
    /// lines) or an IP/CIDR list, told apart by content (see <see cref="ListKind"/>).
    /// </summary>
    public string? ToList { get; init; }

    /// <summary>Destination ports, null for any.</summary>
    public PortSpec? ToPort { get; init; }

    /// <summary>The program the rule is about; null for a plain packet rule (see <see cref="RuleSubject"/>).</summary>
    public RuleSubject? Subject { get; init; }

    /// <summary>When the rule stops applying (<c>--for 1h</c>); null for always.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Set for "until reboot" rules: the boot id (/proc/sys/kernel/random/boot_id) they were made in; they do not apply in another boot.</summary>
    public string? BootId { get; init; }

    /// <summary>Free text shown in status and as the nft rule comment; no control characters, no <c>'</c> or <c>"</c>.</summary>
    public string? Comment { get; init; }

    /// <summary>The address families the rule applies to (from its addresses and protocol).</summary>
    public AddressFamilies Families => RuleValidator.FamiliesOf(this);

    /// <summary>The ufw command that creates this rule, without the leading <c>ufw</c>, e.g. <c>allow out 443/tcp</c>.</summary>
    public string ToUfwString() => UfwRuleFormatter.ToCommand(this);

    /// <summary>The same command as tokens (the comment one token, unquoted): parse these to get this rule back.</summary>
    public IReadOnlyList<string> ToUfwTokens() => UfwRuleFormatter.ToTokens(this);

    /// <summary>Every problem with this rule (empty when valid): ufw's constraints on ports, protocols, interfaces and families.</summary>
    public IReadOnlyList<string> Validate() => RuleValidator.Validate(this);
}
