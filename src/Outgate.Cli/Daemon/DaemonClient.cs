using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Outgate.Cli.Daemon;

/// <summary>
/// HTTP over outgated's unix socket. Every failure becomes an exception whose message a person can
/// act on: <see cref="DaemonUnavailableException"/> (not running, no permission) or
/// <see cref="DaemonRequestException"/> (the daemon rejected the request).
/// </summary>
public sealed class DaemonClient : IDisposable
{
    public const string GroupHint = "add yourself to the outgate group: sudo usermod -aG outgate $USER (then log in again), or use sudo";

    private readonly HttpClient _http;

    public DaemonClient(string socketPath)
    {
        SocketPath = socketPath;
        // Streams (events/stream) live as long as the caller wants; other calls pass a timeout token.
        _http = DaemonHttp.Create(socketPath, Timeout.InfiniteTimeSpan, pooledConnectionIdleTimeout: TimeSpan.FromSeconds(30));
    }

    public string SocketPath { get; }

    /// <summary>How long a plain request may take before it is reported as a hung daemon.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public Task<DaemonStatus> GetStatusAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/status", null, CliDaemonJsonContext.Default.DaemonStatus, ct);

    public Task<ModeChange> SetModeAsync(string mode, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "v1/mode",
            JsonContent(new ModeRequest(mode), CliDaemonJsonContext.Default.ModeRequest),
            CliDaemonJsonContext.Default.ModeChange, ct);

    /// <summary>The daemon's address → DNS names map.</summary>
    /// <summary><c>GET /v1/traffic</c>: per-application live rates and totals (<c>outgate top</c>).</summary>
    public Task<Top.TrafficSnapshot> GetTrafficAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/traffic", null, Top.TopJsonContext.Default.TrafficSnapshot, ct);

    public Task<DnsNames> GetDnsNamesAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/dns/names", null, CliDaemonJsonContext.Default.DnsNames, ct);

    public Task<PromptList> GetPromptsAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/prompts", null, CliDaemonJsonContext.Default.PromptList, ct);

    /// <summary>Answers prompt <paramref name="id"/>; a 404 (unknown, answered or expired) arrives as <see cref="DaemonRequestException"/>.</summary>
    public Task<PromptAnswerResult> AnswerPromptAsync(long id, PromptAnswerRequest answer, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"v1/prompts/{id.ToString(CultureInfo.InvariantCulture)}/answer",
            JsonContent(answer, CliDaemonJsonContext.Default.PromptAnswerRequest),
            CliDaemonJsonContext.Default.PromptAnswerResult, ct);

    /// <summary>Why the daemon decided as it did for a recorded event.</summary>
    public Task<Explanation> ExplainEventAsync(long eventId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/explain?event=" + eventId.ToString(CultureInfo.InvariantCulture), null, CliDaemonJsonContext.Default.Explanation, ct);

    /// <summary>What the live policy would decide for <paramref name="connection"/>.</summary>
    public Task<Explanation> ExplainConnectionAsync(HypotheticalConnection connection, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/explain?" + connection.ToQuery(), null, CliDaemonJsonContext.Default.Explanation, ct);

    /// <summary>Makes the daemon re-read the policy files; invalid files arrive as a 422 <see cref="DaemonRequestException"/> and change nothing.</summary>
    public Task<PolicyReloadResult> ReloadPolicyAsync(CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "v1/policy/reload", null, CliDaemonJsonContext.Default.PolicyReloadResult, ct);

    /// <summary>A page of events; with neither <paramref name="since"/> nor <paramref name="after"/>, the newest <paramref name="limit"/>.</summary>
    public Task<EventPage> GetEventsAsync(DateTimeOffset? since, long? after, int? limit, string? type, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, "v1/events" + Query(since, after, limit, type), null, CliDaemonJsonContext.Default.EventPage, ct);

    /// <summary>Events as they are committed, after id <paramref name="after"/> (server-sent events), until cancelled or the daemon stops.</summary>
    public async IAsyncEnumerable<EventRecord> StreamEventsAsync(long? after, string? type, [EnumeratorCancellation] CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/events/stream" + Query(null, after, null, type));
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    var e = JsonSerializer.Deserialize(data.ToString(), CliDaemonJsonContext.Default.EventRecord);
                    data.Clear();
                    if (e is not null) yield return e;
                }
                continue;
            }
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
            }
            // "id:", "event:" and ": comment" lines carry nothing the JSON does not.
        }
    }

    private static string Query(DateTimeOffset? since, long? after, int? limit, string? type)
    {
        var parts = new List<string>();
        if (since is { } s) parts.Add("since=" + Uri.EscapeDataString(s.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        if (after is { } a) parts.Add("after=" + a.ToString(CultureInfo.InvariantCulture));
        if (limit is { } l) parts.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        if (type is { Length: > 0 } t) parts.Add("type=" + Uri.EscapeDataString(t));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static ByteArrayContent JsonContent<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            await EnsureSuccessAsync(response, timeout.Token);
            var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await JsonSerializer.DeserializeAsync(body, type, timeout.Token)
                ?? throw new DaemonUnavailableException($"outgated sent an empty answer to {method} /{path}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new DaemonUnavailableException($"outgated did not answer within {RequestTimeout.TotalSeconds:0} s on {SocketPath}: it may be hung; see `journalctl -u outgated`");
        }
        catch (JsonException ex)
        {
            throw new DaemonUnavailableException($"outgated sent an answer this outgate cannot read ({ex.Message}): are outgate and outgated the same version?", ex);
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        if (!File.Exists(SocketPath))
            throw NotRunning();
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException se)
        {
            throw se.SocketErrorCode switch
            {
                SocketError.AccessDenied => new DaemonUnavailableException($"permission denied on {SocketPath}: only root and the outgate group may use outgated; {GroupHint}", ex),
                SocketError.ConnectionRefused => new DaemonUnavailableException($"outgated is not running (nothing listens on {SocketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`", ex),
                SocketError.AddressNotAvailable or SocketError.HostNotFound => NotRunning(ex),
                _ => new DaemonUnavailableException($"cannot reach outgated on {SocketPath}: {se.Message}", ex),
            };
        }
        catch (HttpRequestException ex) when (!File.Exists(SocketPath))
        {
            throw NotRunning(ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DaemonUnavailableException($"cannot talk to outgated on {SocketPath}: {ex.Message}", ex);
        }
    }

    private DaemonUnavailableException NotRunning(Exception? inner = null) =>
        new($"outgated is not running (no socket at {SocketPath}): start it with `sudo systemctl start outgated` or `sudo outgated`", inner);

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        ApiError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(ct), CliDaemonJsonContext.Default.ApiError);
        }
        catch (JsonException) { }
        var message = error?.Error ?? $"outgated answered {(int)response.StatusCode} {response.ReasonPhrase}";
        if (response.StatusCode == HttpStatusCode.Forbidden)
            throw new DaemonUnavailableException(message + "; " + (error?.Hint ?? GroupHint));
        if (response.StatusCode == HttpStatusCode.NotFound && message.StartsWith("no such endpoint", StringComparison.Ordinal))
            throw new DaemonRequestException(404, message, "this outgated is older than this outgate: update it so both are the same version");
        throw new DaemonRequestException((int)response.StatusCode, message, error?.Hint);
    }

    public void Dispose() => _http.Dispose();
}
