using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Outgate.Daemon.Alerts;
using Outgate.Daemon.Dns;
using Outgate.Daemon.Events;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;
using Outgate.Linux.Nftables;

namespace Outgate.Daemon.Guard;

/// <summary>
/// Keeps table inet outgate as the admin last set it. The good state is what the CLI recorded
/// after its last apply (<c>applied.json</c> in the shared state directory: the normalized listing)
/// — so `outgate allow …` is never undone — or, when the table is found changed in any other way
/// (a rule added, flushed, the table deleted by `nft`), the last good snapshot is put back within a
/// second and a critical alert is raised (detector <c>tamper-guard</c>, through <see cref="AlertRaiser"/>). Checks run when the nftables monitor reports a change
/// in the served namespace and, as a backstop, every few seconds.
/// </summary>
public sealed partial class TamperGuardService(
    DaemonOptions options, TargetNamespace target, TamperCounters counters, AlertRaiser alerts, DomainSetRefill refill, TimeProvider time,
    ILogger<TamperGuardService> logger) : BackgroundService
{
    private static readonly NftTableId Table = new("inet", "outgate");

    /// <summary>Detector id of the alerts this raises.</summary>
    public const string Detector = "tamper-guard";
    private readonly SemaphoreSlim _changed = new(0);
    private string? _good;
    private bool _goodKnown;

    /// <summary>Something changed in nftables: check soon.</summary>
    public void Poke() => _changed.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NftClient client;
        try
        {
            client = target.Run(() => new NftClient());
        }
        catch (Exception ex) when (ex is NftUnavailableException or Linux.Netlink.NetlinkException)
        {
            LogUnavailable(logger, ex.Message);
            return;
        }
        using (client)
        {
            var table = new NftOwnedTable(client, Table);
            Accept(table.Snapshot());
            StartMonitor(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _changed.WaitAsync(TimeSpan.FromMilliseconds(options.TamperPollMilliseconds), stoppingToken);
                    // A CLI apply writes applied.json right after its commit: give it that moment.
                    await Task.Delay(150, stoppingToken);
                    while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken);
                    Check(table);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (Exception ex) when (ex is NftCommandException or IOException or System.Text.Json.JsonException)
                {
                    LogCheckFailed(logger, ex.Message);
                }
            }
        }
    }

    private void Check(NftOwnedTable table)
    {
        // An outgate command holds the state lock from before its commit until applied.json is
        // written: judging in between would take a legitimate apply for tampering. Check later.
        if (CliHoldsStateLock())
        {
            Poke();
            return;
        }
        var live = table.Snapshot();
        var liveNormal = NftListing.Normalize(live);
        if (_goodKnown && liveNormal == NftListing.Normalize(_good)) return;
        if (MatchesLastApply(liveNormal))
        {
            Accept(live);
            // A fresh apply starts with empty domain sets: put back what DNS already answered.
            refill.Request();
            return;
        }
        if (!_goodKnown)
        {
            Accept(live);
            return;
        }
        table.Restore(_good);
        refill.Request();
        var now = time.GetUtcNow();
        counters.CountRestore(now);
        var what = live is null ? "deleted" : _good is null ? "created" : "changed";
        LogRestored(logger, what);
        // Through the raiser: counted per detector (outgate_alerts_total) and flood-controlled per kind of change; the
        // restore itself always happens and is counted in TamperCounters.
        alerts.Raise(Detector, "table-" + what, new DaemonEvent
        {
            Time = now, Type = EventType.Alert, Severity = EventSeverity.Critical,
            Message = $"table inet outgate was {what} outside outgate; the last applied table was restored",
            Details = $"table=inet outgate; change={what}; restores={counters.Restored}",
        });
    }

    /// <summary>True when the table is what the CLI's last apply recorded (or absent after `outgate disable`).</summary>
    private bool MatchesLastApply(string liveNormal)
    {
        var applied = Path.Combine(options.StateDirectory, "applied.json");
        if (!File.Exists(applied)) return liveNormal.Length == 0 && File.Exists(Path.Combine(options.StateDirectory, "outgate.conf")) && !Enabled();
        var recorded = (string?)JsonNode.Parse(File.ReadAllText(applied))?["kernel"];
        return recorded == liveNormal;
    }

    /// <summary>True while an outgate command holds STATE_DIR/lock (the CLI's exclusive flock).</summary>
    private bool CliHoldsStateLock()
    {
        var path = Path.Combine(options.StateDirectory, "lock");
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private bool Enabled()
    {
        foreach (var line in File.ReadLines(Path.Combine(options.StateDirectory, "outgate.conf")))
            if (line.Trim().StartsWith("ENABLED=", StringComparison.Ordinal)) return line.Trim()["ENABLED=".Length..].Trim().Equals("yes", StringComparison.OrdinalIgnoreCase);
        return false;
    }

    private void Accept(string? listing)
    {
        _good = listing;
        _goodKnown = true;
    }

    /// <summary>nf_tables change events of the served namespace: any change to our table pokes a check.</summary>
    private void StartMonitor(CancellationToken stoppingToken)
    {
        NftChangeListener listener;
        try
        {
            listener = target.Run(() => NftChangeListener.Open(receiveTimeout: TimeSpan.FromMilliseconds(250)));
        }
        catch (Linux.Netlink.NetlinkException ex)
        {
            LogUnavailable(logger, $"nftables change events: {ex.Message}; checking every {options.TamperPollMilliseconds} ms instead");
            return;
        }
        new Thread(() =>
        {
            using (listener)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    try
                    {
                        listener.Receive(static (in NftChange change, TamperGuardService self) =>
                        {
                            // Set elements change with every DNS answer (the daemon's own domain sets): the
                            // poll backstop still compares static sets, without a full listing per answer.
                            if (change.Kind != NftObjectKind.SetElement && change.IsTable(NftChange.FamilyInet, "outgate"u8)) self.Poke();
                        }, this);
                    }
                    catch (Linux.Netlink.NetlinkException)
                    {
                        stoppingToken.WaitHandle.WaitOne(100);
                    }
                }
            }
        }) { IsBackground = true, Name = "nftables-monitor" }.Start();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "table inet outgate was {What} outside outgate: restored")]
    private static partial void LogRestored(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "tamper guard disabled: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "tamper check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}
