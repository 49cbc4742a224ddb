using System.Diagnostics;

namespace Outgate.Linux.Queue;

/// <summary>Runs nft / iptables (optionally through <c>ip netns exec NAME</c>), bounded to 30 s, no shell involved.</summary>
internal static class ToolProcess
{
    internal readonly record struct Result(int ExitCode, string StdOut, string StdErr, string Command);

    internal static async Task<Result> RunAsync(string? networkNamespace, string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(networkNamespace is null ? file : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
            foreach (var a in (string[])["netns", "exec", networkNamespace, file]) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var command = string.Join(' ', psi.ArgumentList.Prepend(psi.FileName));
        using var process = Process.Start(psi) ?? throw new QueueRuleException(command, -1, "could not start the process");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new Result(process.ExitCode, await stdout, await stderr, command);
    }

    internal static async Task<Result> RunCheckedAsync(string? networkNamespace, string file, IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var result = await RunAsync(networkNamespace, file, args, stdin, cancellationToken);
        if (result.ExitCode != 0) throw new QueueRuleException(result.Command + (stdin is null ? "" : " <<< " + stdin.ReplaceLineEndings("; ")), result.ExitCode, result.StdErr);
        return result;
    }
}
