namespace Outgate.Cli.Import;

/// <summary>Exit codes of <c>outgate import</c> (they differ from the firewall commands': the brief of issue 8 fixes them).</summary>
public static class ImportExitCodes
{
    /// <summary>Everything was translated (notes about adjusted items may have been printed).</summary>
    public const int Ok = 0;

    /// <summary>Some items were skipped (each reported with its source line); the rest was written.</summary>
    public const int Skipped = 1;

    /// <summary>The input could not be read or is malformed, or the existing policy has errors; nothing was written.</summary>
    public const int Unreadable = 2;
}
