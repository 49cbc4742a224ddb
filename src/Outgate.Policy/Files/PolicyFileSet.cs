namespace Outgate.Policy;

/// <summary>
/// A loaded configuration directory: <c>outgate.toml</c> then <c>rules.d/*.toml</c> in ordinal file-name order.
/// Immutable; every edit returns a new set plus the file writes that produce it, after validating the whole new policy.
/// Edits go through the Tomlyn syntax tree of the affected file and splice text, so comments and layout elsewhere stay byte-identical.
/// </summary>
public sealed partial class PolicyFileSet
{
    /// <summary>Main file name inside the configuration directory.</summary>
    public const string MainFileName = "outgate.toml";

    /// <summary>Drop-in directory name inside the configuration directory.</summary>
    public const string DropInDirectoryName = "rules.d";

    /// <summary>The configuration directory.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The merged policy.</summary>
    public FirewallPolicy Policy { get; }

    /// <summary>Where each rule was written: <c>Origins[i]</c> belongs to <c>Policy.Rules[i]</c>.</summary>
    public IReadOnlyList<RuleOrigin> Origins { get; }

    /// <summary>The files read, in load order (the main file first when it exists).</summary>
    public IReadOnlyList<PolicyFile> Files { get; }

    /// <summary>
    /// Reads and validates <paramref name="configDirectory"/>. A missing directory or missing <c>outgate.toml</c> is not an
    /// error: the result is <see cref="FirewallPolicy.Default"/> (plus any drop-ins). Reports every error of every file.
    /// </summary>
    public static PolicyLoadResult Load(string configDirectory) => PolicyFileLoader.Load(configDirectory);

    /// <summary>
    /// Validates already-read files without touching the disk. <paramref name="files"/> must be in load order; paths are
    /// used for error messages and for writes.
    /// </summary>
    public static PolicyLoadResult FromFiles(string configDirectory, IReadOnlyList<PolicyFile> files) => PolicyFileLoader.FromFiles(configDirectory, files);

    /// <summary>ufw <c>allow ...</c>: append the rule to <c>outgate.toml</c> (created when missing); an equal existing rule is skipped.</summary>
    public PolicyEditResult AddRule(Rule rule) => PolicyEditor.AddRule(this, rule);

    /// <summary>ufw <c>insert N ...</c>: insert before rule <paramref name="position"/> (1-based) in the file that holds it.</summary>
    public PolicyEditResult InsertRule(int position, Rule rule) => PolicyEditor.InsertRule(this, position, rule);

    /// <summary>ufw <c>delete N</c>: remove rule <paramref name="position"/> (1-based) from the file that holds it.</summary>
    public PolicyEditResult DeleteRule(int position) => PolicyEditor.DeleteRule(this, position);

    /// <summary>ufw <c>delete &lt;rule&gt;</c>: remove the first rule equal to <paramref name="rule"/>, comments ignored.</summary>
    public PolicyEditResult DeleteRule(Rule rule) => PolicyEditor.DeleteRule(this, rule);

    /// <summary>ufw <c>default ...</c>: set one direction's default policy in <c>outgate.toml</c>.</summary>
    public PolicyEditResult SetDefault(Direction direction, DefaultPolicy policy) => PolicyEditor.SetDefault(this, direction, policy);

    /// <summary>ufw <c>logging ...</c>: set the logging level in <c>outgate.toml</c>.</summary>
    public PolicyEditResult SetLogging(LogLevel level) => PolicyEditor.SetLogging(this, level);

    /// <summary><c>outgate dns-required on|off</c>: sets <c>dns-required</c> in <c>outgate.toml</c> (see <see cref="FirewallPolicy.DnsRequired"/>).</summary>
    public PolicyEditResult SetDnsRequired(bool on) => PolicyEditor.SetSwitch(this, TomlSchema.DnsRequired, on);

    /// <summary><c>outgate block-doh on|off</c>: sets <c>block-doh</c> in <c>outgate.toml</c> (see <see cref="FirewallPolicy.BlockDoh"/>).</summary>
    public PolicyEditResult SetBlockDoh(bool on) => PolicyEditor.SetSwitch(this, TomlSchema.BlockDoh, on);

    /// <summary>
    /// ufw <c>reset</c>: every existing policy file is moved to <c>&lt;file&gt;.&lt;backupSuffix&gt;</c> (ufw uses a timestamp
    /// like <c>20240131_120000</c>) and a fresh <c>outgate.toml</c> with the default policy is written.
    /// </summary>
    public PolicyEditResult Reset(string backupSuffix) => PolicyEditor.Reset(this, backupSuffix);

    /// <summary>Runs a parsed ufw command (dispatch to the methods above).</summary>
    public PolicyEditResult Apply(UfwCommand command) => command switch
    {
        AddRuleCommand c => AddRule(c.Rule),
        InsertRuleCommand c => InsertRule(c.Position, c.Rule),
        DeleteRuleNumberCommand c => DeleteRule(c.Position),
        DeleteRuleCommand c => DeleteRule(c.Rule),
        SetDefaultCommand c => SetDefault(c.Direction, c.Policy),
        SetLoggingCommand c => SetLogging(c.Level),
        SetDnsRequiredCommand c => SetDnsRequired(c.On),
        SetBlockDohCommand c => SetBlockDoh(c.On),
        _ => PolicyThrow.Unreachable<PolicyEditResult>(command),
    };
}
