namespace Outgate.Policy.Import;

/// <summary>
/// The files <c>outgate import ufw</c> reads from a ufw configuration: <c>user.rules</c> and <c>user6.rules</c> (either may be
/// missing, not both), <c>ufw.conf</c> (ENABLED, LOGLEVEL), <c>/etc/default/ufw</c> (DEFAULT_*_POLICY, IPV6) and the application
/// profiles in <c>applications.d</c> (only consulted for app rules whose tuple carries no ports).
/// </summary>
public sealed record UfwImportInput
{
    /// <summary><c>user.rules</c>, null when absent.</summary>
    public ImportSourceFile? UserRules { get; init; }

    /// <summary><c>user6.rules</c>, null when absent.</summary>
    public ImportSourceFile? User6Rules { get; init; }

    /// <summary><c>ufw.conf</c>, null when absent.</summary>
    public ImportSourceFile? UfwConf { get; init; }

    /// <summary><c>/etc/default/ufw</c>, null when absent.</summary>
    public ImportSourceFile? DefaultsFile { get; init; }

    /// <summary>Files of <c>applications.d</c>.</summary>
    public IReadOnlyList<ImportSourceFile> ApplicationProfiles { get; init; } = [];
}
