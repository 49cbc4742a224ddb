namespace Outgate.Cli.Daemon;

/// <summary>
/// Exit codes shared by every command that talks to outgated (mode, log, prompts, answer, explain):
/// 0 done; 1 bad input, or the daemon refused the request (unknown prompt, bad value); 2 the daemon is
/// not running, not reachable, or refuses this user.
/// </summary>
public static class DaemonExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int Daemon = 2;
}
