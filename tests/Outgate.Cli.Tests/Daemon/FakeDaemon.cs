using System.Net.Sockets;
using System.Text;

namespace Outgate.Cli.Tests.Daemon;

/// <summary>
/// A canned-answer HTTP/1.1 server on a unix socket in a temp directory, standing in for outgated:
/// each request is recorded and answered with the body registered for its method and path (404 with
/// the daemon's error shape otherwise), then the connection is closed. Just enough HTTP for
/// HttpClient; no Kestrel, so the test project needs no ASP.NET.
/// </summary>
public sealed class FakeDaemon : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (int Status, string Body)> _answers = [];
    private readonly List<RecordedRequest> _requests = [];
    private readonly Task _loop;

    public FakeDaemon()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("og-fake-").FullName;
        SocketPath = Path.Combine(Directory, "outgate.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Directory { get; }
    public string SocketPath { get; }

    public IReadOnlyList<RecordedRequest> Requests { get { lock (_requests) return [.. _requests]; } }

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (without the query) with <paramref name="body"/>.</summary>
    public FakeDaemon On(string method, string path, string body, int status = 200)
    {
        lock (_answers) _answers[$"{method} {path}"] = (status, body);
        return this;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(buffer)) < 0)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0) return;
            buffer.AddRange(chunk.AsSpan(0, n));
        }
        var head = Encoding.ASCII.GetString([.. buffer.Take(headerEnd)]).Split("\r\n");
        var contentLength = head.Skip(1)
            .Select(h => h.Split(':', 2))
            .Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        while (buffer.Count < headerEnd + 4 + contentLength)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0) break;
            buffer.AddRange(chunk.AsSpan(0, n));
        }
        var body = Encoding.UTF8.GetString([.. buffer.Skip(headerEnd + 4)]);
        var requestLine = head[0].Split(' ');
        var target = requestLine[1];
        var path = target.Split('?')[0];
        var query = target.Contains('?') ? target[(target.IndexOf('?') + 1)..] : "";
        lock (_requests) _requests.Add(new RecordedRequest(requestLine[0], path, query, body));

        (int Status, string Body) answer;
        lock (_answers)
            answer = _answers.TryGetValue($"{requestLine[0]} {path}", out var a) ? a : (404, $$"""{"error":"no such endpoint: {{requestLine[0]}} {{path}}"}""");
        var payload = Encoding.UTF8.GetBytes(answer.Body);
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {answer.Status} Canned\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(response, _stop.Token);
        await stream.WriteAsync(payload, _stop.Token);
    }

    private static int IndexOfBlankLine(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>What the CLI sent: method, path, raw query string and body.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body);
