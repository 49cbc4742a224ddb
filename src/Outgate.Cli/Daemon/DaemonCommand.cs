using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;

namespace Outgate.Cli.Daemon;

/// <summary>
/// <c>outgate daemon [ARGS...]</c>: becomes outgated with ARGS (execv, so it keeps this PID: signals,
/// systemd's notify socket and the exit code all reach the daemon directly). Everything after
/// <c>daemon</c> is passed through untouched, --config-dir and --socket included. Exit codes: those of
/// outgated; 127 when no outgated is found, 126 when it cannot be run.
/// </summary>
public static class DaemonCommand
{
    public const int ExitNotFound = 127, ExitCannotRun = 126;

    public static Command Create()
    {
        var args = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore, HelpName = "OUTGATED-ARGS", Description = "Passed to outgated as they are, e.g. --netns NAME --socket PATH --mode enforce" };
        var cmd = new Command("daemon", "Run outgated, the daemon, in the foreground with these arguments (`outgate daemon -- --help` for its options)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        cmd.Arguments.Add(args);
        cmd.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var launch = OutgatedLocator.Find();
            if (launch is null)
            {
                error.WriteLine($"outgate daemon: cannot find outgated: it is neither next to outgate ({AppContext.BaseDirectory.TrimEnd('/')}) nor on PATH; install the outgate package, or run it by its full path");
                return ExitNotFound;
            }
            string?[] argv = [launch.Program, .. launch.LeadingArguments, .. PassThrough(parse, cmd), null];
            parse.InvocationConfiguration.Output.Flush();
            error.Flush();
            Interop.Execv(launch.Program, argv);
            var errno = Marshal.GetLastPInvokeError();
            error.WriteLine($"outgate daemon: cannot run {launch.Program}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
            return ExitCannotRun;
        });
        return cmd;
    }

    /// <summary>
    /// The command line after <c>daemon</c>, in order. Read from the tokens rather than the parsed
    /// values because outgate's own recursive options (--config-dir, --state-dir) would otherwise be
    /// taken by outgate and lost to outgated.
    /// </summary>
    public static IReadOnlyList<string> PassThrough(ParseResult parse, Command daemon)
    {
        var tokens = parse.Tokens;
        var start = 0;
        for (var i = 0; i < tokens.Count; i++)
            if (tokens[i].Type == TokenType.Command && tokens[i].Value == daemon.Name) { start = i + 1; break; }
        var passed = new List<string>();
        for (var i = start; i < tokens.Count; i++)
        {
            // `outgate daemon -- --help`: the first "--" only shields outgated's options from outgate.
            if (i == start && tokens[i].Type == TokenType.DoubleDash) continue;
            passed.Add(tokens[i].Value);
        }
        return passed;
    }
}
