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

    /// <summary>
    /// Shells and relay tools dialling out are refused in enforce/interactive mode unless a rule names them. Interpreters are
    /// only reported (severity notice): package managers, updaters and countless tools are scripts, and refusing every
    /// python connection that a port rule allows would break them. <c>extra_tools</c> turns an interpreter into a blocked tool.
    /// </summary>
    public bool Blocks => Kind != ConnectBackKind.Interpreter;

    /// <summary>The reason <c>outgate explain</c> and the event show, with the way out.</summary>
    public string Reason => $"connect-back: {Executable} is {KindName}; allow it with a rule that names it, e.g. outgate allow out app {Executable} to ...";
}
