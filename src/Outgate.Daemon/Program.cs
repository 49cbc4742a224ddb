using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Api;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Daemon.Unix;
using Outgate.Daemon.Web;

// Exit codes: 0 stopped cleanly, 2 bad options, 3 cannot start (socket in use, store, namespace).
var parsed = DaemonCommandLine.Parse(args, Environment.GetEnvironmentVariable);
if (parsed.ShowHelp) { Console.WriteLine(DaemonCommandLine.Usage); return 0; }
if (parsed.ShowVersion) { Console.WriteLine($"outgated {DaemonInfo.Version}"); return 0; }
var options = parsed.Options;
var errors = parsed.Errors.Count > 0 ? parsed.Errors : DaemonOptionsValidator.Validate(options);
if (errors.Count > 0)
{
    foreach (var e in errors) Console.Error.WriteLine("outgated: " + e);
    Console.Error.WriteLine("See `outgated --help`.");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // no line per API request
builder.Services.AddSystemd(); // Type=notify: READY=1 once the socket is bound, STOPPING=1 on SIGTERM
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
builder.Services.AddOutgateDaemon(options);
builder.Services.AddRouting();
// Bound here, not by Kestrel: a dashboard port in use must not stop the firewall (see DashboardListener).
var dashboard = DashboardListener.Bind(options.Web);
builder.Services.AddOutgateDashboard(options, dashboard);
builder.WebHost.ConfigureKestrel(k =>
{
    k.ListenUnixSocket(options.SocketPath);
    if (dashboard.IsRunning) k.ListenHandle(dashboard.Handle);
    k.AddServerHeader = false;
    k.Limits.MaxRequestBodySize = 64 * 1024; // API bodies are small and untrusted
});

var app = builder.Build();
try
{
    app.Services.GetRequiredService<UnixSocketFile>().PrepareForBind();
    app.Services.GetRequiredService<TargetNamespace>().Verify();
    app.Services.GetRequiredService<EventStore>().Initialize();
    var mode = app.Services.GetRequiredService<ModeState>();
    mode.Save(mode.Current);
    if (dashboard.IsRunning)
    {
        try { _ = app.Services.GetRequiredService<DashboardToken>().Value; } // made at start, so `outgate dashboard` finds it
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"outgated: cannot write the dashboard token {options.DashboardTokenPath}: {ex.Message}");
        }
    }
    else if (dashboard.Error is { } webError) Console.Error.WriteLine($"outgated: dashboard not running: {webError}");
    foreach (var error in app.Services.GetRequiredService<Outgate.Daemon.Policy.LivePolicy>().Reload())
        Console.Error.WriteLine($"outgated: policy not loaded, deciding with the built-in default until it is fixed: {error}");
}
catch (Exception ex) when (ex is DaemonStartupException or EventStoreException)
{
    Console.Error.WriteLine("outgated: " + ex.Message);
    return 3;
}

app.UseMiddleware<DashboardGateMiddleware>(); // TCP: token session, CSRF, Host check
app.UseMiddleware<PeerAccessMiddleware>(); // unix socket: SO_PEERCRED
app.MapOutgateApi();
try
{
    await app.RunAsync();
}
catch (IOException ex)
{
    Console.Error.WriteLine($"outgated: cannot listen on {options.SocketPath}: {ex.Message}");
    return 3;
}
return 0;
