namespace Outgate.Cli.Firewall;

/// <summary>
/// Exit codes of the firewall commands (documented in <c>outgate --help</c> and the README):
/// 0 ok; 1 bad input (command line or policy files; nothing was changed); 2 not permitted (not root);
/// 3 nftables unavailable (libnftables1 missing); 4 the kernel refused the ruleset (previous one kept);
/// 5 a file could not be read or written.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int NotPermitted = 2;
    public const int NftablesUnavailable = 3;
    public const int KernelRefused = 4;
    public const int FileError = 5;
}
