using System.CommandLine;

namespace Outgate.Cli.Tests.Daemon;

/// <summary>Runs an `outgate` command line in-process with captured stdout and stderr (the commands write to the invocation's writers, not Console).</summary>
public static class CliRun
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var parse = OutgateCommandLine.Build().Parse(args);
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
