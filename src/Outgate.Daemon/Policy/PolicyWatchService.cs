using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Policy;

/// <summary>
/// Reloads the policy when a file under --config-dir changes (an edit by hand, or by the CLI when it
/// cannot reach us), 250 ms after the last change so an editor's save-rename dance is one reload.
/// A bad edit is reported as an event and the previous policy stays in force.
/// </summary>
public sealed partial class PolicyWatchService(DaemonOptions options, LivePolicy policy, EventSink events, TimeProvider time,
    ILogger<PolicyWatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Directory.Exists(options.ConfigDirectory))
        {
            try { Directory.CreateDirectory(options.ConfigDirectory); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return; }
        }
        var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(options.ConfigDirectory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName | NotifyFilters.Size,
        };
        void OnChange(object? sender, FileSystemEventArgs e) => changed.Release();
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += (s, e) => changed.Release();
        watcher.EnableRaisingEvents = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await changed.WaitAsync(stoppingToken);
                // Settle: swallow the burst of events one save makes.
                while (await changed.WaitAsync(TimeSpan.FromMilliseconds(250), stoppingToken)) { }
                var before = policy.Current.Generation;
                var errors = policy.Reload();
                if (errors.Count > 0)
                {
                    LogReloadFailed(logger, string.Join("; ", errors));
                    events.TryWrite(new DaemonEvent
                    {
                        Time = time.GetUtcNow(), Type = EventType.Health, Severity = EventSeverity.Warning,
                        Message = $"policy files changed but are invalid; the previous policy stays in force: {string.Join("; ", errors)}",
                    });
                }
                else if (policy.Current.Generation != before)
                {
                    LogReloaded(logger, policy.Current.Generation, policy.Current.Policy.Rules.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "policy reloaded (generation {Generation}, {Rules} rules)")]
    private static partial void LogReloaded(ILogger logger, long generation, int rules);

    [LoggerMessage(Level = LogLevel.Warning, Message = "policy files changed but are invalid: {Errors}")]
    private static partial void LogReloadFailed(ILogger logger, string errors);
}
