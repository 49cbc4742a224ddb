using System.CommandLine;

namespace Outgate.Cli.Daemon;

/// <summary>
/// The shared frame of a command that talks to outgated: a client on --socket, and the two ways a
/// call fails turned into one stderr line prefixed with the command and an exit code from
/// <see cref="DaemonExitCodes"/>. Output goes to the invocation's writers so tests can capture it.
/// </summary>
public static class DaemonCommandRunner
{
    public static async Task<int> RunAsync(ParseResult parse, string command, Option<string> socket,
        Func<DaemonClient, TextWriter, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var error = parse.InvocationConfiguration.Error;
        using var client = new DaemonClient(parse.GetValue(socket)!);
        try
        {
            return await body(client, parse.InvocationConfiguration.Output, ct);
        }
        catch (DaemonUnavailableException ex)
        {
            await error.WriteLineAsync($"outgate {command}: {ex.Message}");
            return DaemonExitCodes.Daemon;
        }
        catch (DaemonRequestException ex)
        {
            await error.WriteLineAsync($"outgate {command}: {ex.Message}{(ex.Hint is null ? "" : $" ({ex.Hint})")}");
            return DaemonExitCodes.Usage;
        }
    }

    /// <summary>Prints every problem found in the command line, then where to look; returns <see cref="DaemonExitCodes.Usage"/>.</summary>
    public static int Usage(ParseResult parse, string command, IEnumerable<string> errors)
    {
        var error = parse.InvocationConfiguration.Error;
        foreach (var e in errors) error.WriteLine($"outgate {command}: {e}");
        error.WriteLine($"See `outgate {command} --help`.");
        return DaemonExitCodes.Usage;
    }
}
