namespace Outgate.Cli.Daemon;

/// <summary>How to start outgated: the program to exec and the arguments before the user's (the dll, when it runs under the dotnet host).</summary>
public sealed record OutgatedLaunch(string Program, IReadOnlyList<string> LeadingArguments);
