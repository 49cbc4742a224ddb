using System.Collections.Concurrent;
using Outgate.Daemon.Alerts.Sinks;
using Tmds.DBus.Protocol;

namespace Outgate.EndToEnd.Tests.Health;

/// <summary>
/// org.freedesktop.Notifications on a test session bus: records each Notify call and answers with an id, as a desktop's
/// notification daemon would. Connects as the bus's user the same way the sink does.
/// </summary>
internal sealed class FakeNotificationServer : IPathMethodHandler, IDisposable
{
    private readonly DBusConnection _connection;
    private uint _next = 100;

    private FakeNotificationServer(DBusConnection connection) => _connection = connection;

    public ConcurrentQueue<(string App, string Icon, string Summary, string Body, byte Urgency)> Received { get; } = new();

    public string Path => "/org/freedesktop/Notifications";

    public bool HandlesChildPaths => false;

    public static async Task<FakeNotificationServer> StartAsync(SessionBus bus)
    {
        var connection = new DBusConnection(new DesktopBusOptions(bus.SocketPath, SessionBus.Uid));
        await connection.ConnectAsync();
        var server = new FakeNotificationServer(connection);
        connection.AddMethodHandler(server);
        await connection.RequestNameAsync("org.freedesktop.Notifications");
        return server;
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        if (request.InterfaceAsString != "org.freedesktop.Notifications" || request.MemberAsString != "Notify")
        {
            context.ReplyUnknownMethodError();
            return ValueTask.CompletedTask;
        }
        var reader = request.GetBodyReader();
        var app = reader.ReadString();
        reader.ReadUInt32();
        var icon = reader.ReadString();
        var summary = reader.ReadString();
        var body = reader.ReadString();
        reader.ReadArrayOfString();
        var hints = reader.ReadDictionaryOfStringToVariantValue();
        reader.ReadInt32();
        Received.Enqueue((app, icon, summary, body, hints.TryGetValue("urgency", out var u) ? u.GetByte() : (byte)255));
        using var writer = context.CreateReplyWriter("u");
        writer.WriteUInt32(Interlocked.Increment(ref _next));
        context.Reply(writer.CreateMessage());
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _connection.Dispose();
}
