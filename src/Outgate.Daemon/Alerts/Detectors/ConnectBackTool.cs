namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>What kind of connect-back tool a program is: a shell, an interpreter or a relay tool (nc, socat, ...).</summary>
public enum ConnectBackKind
{
    Shell,
    Interpreter,
    RelayTool,
}

/// <summary>
/// A program that can hand a remote party a command prompt when it dials out (<c>bash -i &gt;&amp; /dev/tcp/...</c>,
/// <c>nc -e /bin/sh</c>, <c>python -c 'import pty...'</c>): its executable path and why it counts.
/// </summary>
public sealed record ConnectBackTool(string Executable, string BaseName, ConnectBackKind Kind)
{
    public string KindName => Kind switch
    {
        ConnectBackKind.Shell => "a shell",
        ConnectBackKind.Interpreter => "an interpreter",
        _ => "a relay tool",
    };

    /// <summary>The reason <c>outgate explain</c> and the event show, with the way out.</summary>
    public string Reason => $"connect-back: {Executable} is {KindName}; allow it with a rule that names it, e.g. outgate allow out app {Executable} to ...";
}
