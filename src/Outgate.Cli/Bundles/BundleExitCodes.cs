namespace Outgate.Cli.Bundles;

/// <summary>
/// Exit codes of <c>outgate apply</c> (docs/bundles.md): 0 applied, or (<c>--check</c>) nothing would change;
/// 1 (<c>--check</c> only) the bundle differs from the current policy files; 2 the bundle is unreadable, was edited or
/// truncated, or holds an invalid policy (nothing was changed). Kernel and file failures while applying keep the firewall
/// commands' codes (3 nftables unavailable, 4 kernel refused, 5 file error; see <see cref="Firewall.ExitCodes"/>).
/// </summary>
public static class BundleExitCodes
{
    public const int Ok = 0;
    public const int WouldChange = 1;
    public const int Invalid = 2;
}
