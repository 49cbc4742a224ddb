using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary>
/// A parsed, valid policy file: its text, syntax tree, the text spans of its <c>[[rule]]</c> tables, the rules they hold
/// and (main file only) the defaults, logging, daemon and alert settings it sets. Kept so an edit re-parses only the file it changes.
/// </summary>
internal sealed record LoadedPolicyFile(
    PolicyFile File,
    DocumentSyntax Document,
    bool IsMain,
    IReadOnlyList<TextSpan> RuleSpans,
    IReadOnlyList<Rule> Rules,
    IReadOnlyList<RuleOrigin> Origins,
    Defaults Defaults,
    LogLevel Logging,
    bool FailOpen = false,
    DnsSwitches? Dns = null,
    AlertSettings? Alerts = null);

/// <summary>The main file's <c>dns-required</c>, <c>block-doh</c> and <c>dns-grace</c> (top level or in [daemon]).</summary>
internal sealed record DnsSwitches(bool DnsRequired, bool BlockDoh, TimeSpan DnsGrace);
