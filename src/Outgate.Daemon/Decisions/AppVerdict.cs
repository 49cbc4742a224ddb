namespace Outgate.Daemon.Decisions;

/// <summary>
/// What the daemon tells the kernel about one new connection, as mark bits
/// (<see cref="Outgate.Policy.DaemonMarks"/>): allow or deny it, or pass it on to the static rules
/// of table inet outgate (no rule about the program applies, so the ufw-style rules decide).
/// </summary>
public enum AppVerdict
{
    Pass,
    Allow,
    Deny,
}
