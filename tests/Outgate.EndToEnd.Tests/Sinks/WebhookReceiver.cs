using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Outgate.EndToEnd.Tests.Sinks;

/// <summary>An HTTP receiver on 127.0.0.1 (host namespace, where the daemon's own sockets are) that keeps every JSON body POSTed to it.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly List<(string ContentType, JsonNode Body)> _received = [];

    public WebhookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Url = $"http://127.0.0.1:{Port}/hook";
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url { get; }

    public IReadOnlyList<(string ContentType, JsonNode Body)> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var text = await reader.ReadToEndAsync();
                if (context.Request.HttpMethod == "POST" && JsonNode.Parse(text) is { } body)
                    lock (_received) _received.Add((context.Request.ContentType ?? "", body));
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close looks its endpoint up again and binds the port anew, which fails with
        // "Address already in use" when a concurrent test took the port meanwhile.
        try { _listener.Close(); }
        catch (HttpListenerException) { }
        try { await _loop.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
    }
}
