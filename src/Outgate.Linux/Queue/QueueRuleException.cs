namespace Outgate.Linux.Queue;

/// <summary>An nft/iptables command that installs or removes the queue rules failed; the message quotes the command and its error output.</summary>
public sealed class QueueRuleException : IOException
{
    public string Command { get; }
    public int ExitCode { get; }
    public string ErrorOutput { get; }

    public QueueRuleException(string command, int exitCode, string errorOutput)
        : base($"`{command}` failed with exit code {exitCode}: {errorOutput.Trim()}")
    {
        Command = command;
        ExitCode = exitCode;
        ErrorOutput = errorOutput;
    }
}
