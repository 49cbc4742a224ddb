using System.CommandLine;
using System.Text.Json;
using Outgate.Cli.Daemon;

namespace Outgate.Cli.Dashboard;

/// <summary>
/// <c>outgate dashboard [--viewer] [--rotate] [--json] [--socket PATH]</c>: prints the web dashboard's URL and a one-click
/// login link carrying the token (<c>http://127.0.0.1:9474/login#token=…</c>; the part after # never leaves the
/// browser). <c>--rotate</c> makes a new token and logs that token's browsers out. <c>--viewer</c> does the same for the
/// read-only token (<c>STATE_DIR/dashboard-viewer-token</c>, made at the first ask): its sessions may look at every page,
/// the fleet page included, but every change is refused. Needs the API socket (root or the outgate group): the admin
/// token is as powerful as that access. Exit codes: <see cref="DaemonExitCodes"/>.
/// </summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var rotate = new Option<bool>("--rotate") { Description = "Make a new login token; the browsers logged in with the old one are logged out (the other role's stay)" };
        var viewer = new Option<bool>("--viewer") { Description = "The read-only token instead: its browsers see every page but cannot change anything" };
        var json = new Option<bool>("--json") { Description = """As JSON: {"url", "loginUrl", "token", "status", "tokenFile", "rotated", "role"}""" };
        var socket = DaemonSocketOption.Create();
        var cmd = new Command("dashboard", "Show the web dashboard's address and a login link (outgated serves it on 127.0.0.1:9474 by default)");
        cmd.Options.Add(viewer);
        cmd.Options.Add(rotate);
        cmd.Options.Add(json);
        cmd.Options.Add(socket);
        cmd.SetAction((parse, ct) => DaemonCommandRunner.RunAsync(parse, "dashboard", socket, async (client, output, ct) =>
        {
            await client.GetStatusAsync(ct); // reachability and permission errors worded like every other daemon command
            using var http = DaemonHttp.Create(client.SocketPath, TimeSpan.FromSeconds(30));
            var readOnly = parse.GetValue(viewer);
            var path = readOnly ? "v1/dashboard/viewer" : "v1/dashboard";
            using var response = parse.GetValue(rotate)
                ? await http.PostAsync(path + "/rotate", null, ct)
                : await http.GetAsync(path, ct);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                throw new DaemonRequestException(404, readOnly ? "this outgated has no read-only viewer login" : "this outgated has no dashboard",
                    "update outgated so it is the same version as outgate");
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new DaemonRequestException((int)response.StatusCode, $"outgated answered {(int)response.StatusCode}: {body}", null);
            var info = JsonSerializer.Deserialize(body, DashboardJsonContext.Default.DashboardInfo)
                ?? throw new DaemonUnavailableException("outgated sent an empty answer to GET /v1/dashboard");
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(info, DashboardJsonContext.Default.DashboardInfo));
                return info.Url is null ? DaemonExitCodes.Daemon : DaemonExitCodes.Ok;
            }
            if (info.Rotated)
                await output.WriteLineAsync(readOnly
                    ? "New viewer token made; viewers logged in with the old one are logged out (admins stay)."
                    : "New token made; browsers logged in with the old one are logged out (viewers stay).");
            if (info.Url is null)
            {
                await output.WriteLineAsync($"Dashboard: {Connections.Printable.Escape(info.Status)}");
                await output.WriteLineAsync("Start outgated with --web 127.0.0.1:PORT (or without --web off) to serve it.");
                return DaemonExitCodes.Daemon;
            }
            await output.WriteLineAsync($"Dashboard: {info.Url}");
            if (readOnly)
            {
                await output.WriteLineAsync($"Read-only: {info.LoginUrl}");
                await output.WriteLineAsync($"Token:     {info.Token}  (viewer: sees every page, changes nothing; kept in {info.TokenFile}; new one: outgate dashboard --viewer --rotate)");
            }
            else
            {
                await output.WriteLineAsync($"Log in:    {info.LoginUrl}");
                await output.WriteLineAsync($"Token:     {info.Token}  (kept in {info.TokenFile}; new one: outgate dashboard --rotate; read-only login: outgate dashboard --viewer)");
            }
            await output.WriteLineAsync("From another machine: ssh -L PORT:127.0.0.1:PORT this-host, then open the link there.");
            return DaemonExitCodes.Ok;
        }, ct));
        return cmd;
    }
}
