namespace Outgate.Daemon.Options;

/// <summary>
/// The outcome of <see cref="DaemonCommandLine.Parse"/>: options (when <see cref="Errors"/> is
/// empty), every error found, or a request for help or the version.
/// </summary>
public sealed record DaemonCommandLineResult(DaemonOptions Options, IReadOnlyList<string> Errors, bool ShowHelp, bool ShowVersion);
