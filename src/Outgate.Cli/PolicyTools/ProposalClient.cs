using System.Globalization;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// Fetches a proposal from outgated. The shared <see cref="DaemonClient"/> answers the status call first, so "not
/// running" and "permission denied" read exactly as for every other command; the proposal itself may take a while on a
/// large event store and gets its own, longer timeout.
/// </summary>
public static class ProposalClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<(ProposalDocument Document, string Json)> FetchAsync(DaemonClient client, DateTimeOffset since, bool hashes, CancellationToken ct)
    {
        await client.GetStatusAsync(ct);
        var path = "v1/policy/propose?since=" + Uri.EscapeDataString(since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))
            + "&hashes=" + (hashes ? "true" : "false");
        using var http = DaemonHttp.Create(client.SocketPath, System.Threading.Timeout.InfiniteTimeSpan);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        string body;
        int status;
        try
        {
            using var response = await http.GetAsync(path, timeout.Token);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not finish the proposal within {Timeout.TotalMinutes:0} minutes on {client.SocketPath}: try a later --since");
        }
        catch (HttpRequestException ex)
        {
            throw new DaemonUnavailableException($"cannot talk to outgated on {client.SocketPath}: {ex.Message}", ex);
        }

        try
        {
            if (status is < 200 or > 299)
            {
                var error = JsonSerializer.Deserialize(body, ProposalJsonContext.Default.ApiError);
                if (status == 404 && error?.Error?.StartsWith("no such endpoint", StringComparison.Ordinal) == true)
                    throw new DaemonRequestException(404, error.Error, "this outgated is older than this outgate: update it so both are the same version");
                throw new DaemonRequestException(status, error?.Error ?? $"outgated answered {status}", error?.Hint);
            }

            var document = JsonSerializer.Deserialize(body, ProposalJsonContext.Default.ProposalDocument)
                ?? throw new DaemonUnavailableException("outgated sent an empty proposal");
            return (document, body);
        }
        catch (JsonException ex)
        {
            throw new DaemonUnavailableException($"outgated sent an answer this outgate cannot read ({ex.Message}): are outgate and outgated the same version?", ex);
        }
    }
}
