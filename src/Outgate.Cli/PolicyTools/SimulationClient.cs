using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.PolicyTools;

/// <summary>
/// Talks to outgated's simulation endpoints over its unix socket. Errors become <see cref="DaemonUnavailableException"/>
/// (cannot reach it) or <see cref="DaemonRequestException"/> (it refused; a rejected candidate's file errors are in the message).
/// </summary>
public sealed class SimulationClient(string socketPath) : IDisposable
{
    private readonly HttpClient _http = DaemonHttp.Create(socketPath, TimeSpan.FromMinutes(5));

    /// <summary>A simulation reads the whole event store: minutes on a very large one, not the 30 s of ordinary requests.</summary>
    public TimeSpan Timeout { get => _http.Timeout; init => _http.Timeout = value; }

    public Task<SimulationReport> SimulateAsync(SimulationRequest request, CancellationToken ct) =>
        PostAsync("v1/policy/simulate", request, SimulationJsonContext.Default.SimulationRequest, SimulationJsonContext.Default.SimulationReport, ct);

    public Task<DiffEffect> DiffAsync(DiffSimulationRequest request, CancellationToken ct) =>
        PostAsync("v1/policy/diff", request, SimulationJsonContext.Default.DiffSimulationRequest, SimulationJsonContext.Default.DiffEffect, ct);

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
            throw new DaemonUnavailableException($"outgated is not running (no socket at {socketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`");
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, requestType));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(path, content, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            throw new DaemonUnavailableException($"permission denied on {socketPath}: only root and the outgate group may use outgated; {DaemonClient.GroupHint}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DaemonUnavailableException($"cannot reach outgated on {socketPath}: {ex.Message}; is it running (`outgate daemon status`)?", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not answer within {Timeout.TotalSeconds:0} s on {socketPath}; try a shorter --since", ex);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                SimulationErrorBody? error = null;
                try { error = JsonSerializer.Deserialize(body, SimulationJsonContext.Default.SimulationErrorBody); }
                catch (JsonException) { }
                if (response.StatusCode == HttpStatusCode.NotFound)
                    throw new DaemonRequestException(404, error?.Error ?? "outgated does not know /" + path, "this outgated is older than this outgate: update it so both are the same version");
                var message = error?.Errors is { Count: > 0 } lines ? string.Join("\n", lines) : error?.Error ?? $"outgated answered {(int)response.StatusCode} {response.ReasonPhrase}";
                throw new DaemonRequestException((int)response.StatusCode, message, error?.Hint);
            }
            try
            {
                return JsonSerializer.Deserialize(body, responseType) ?? throw new DaemonUnavailableException($"outgated sent an empty answer to POST /{path}");
            }
            catch (JsonException ex)
            {
                throw new DaemonUnavailableException($"outgated sent an answer this outgate cannot read ({ex.Message}): are outgate and outgated the same version?", ex);
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
