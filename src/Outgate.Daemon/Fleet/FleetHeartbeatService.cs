using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;
using Outgate.Daemon.Hosting;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// Every <see cref="FleetOptions.HeartbeatInterval"/>, writes this host's row in the fleet database: last heartbeat,
/// mode, policy digests and version, so `outgate fleet hosts` shows who is alive and who drifted. Also creates
/// tomorrow's partition ahead of time, so the first events after midnight do not wait for DDL.
/// </summary>
public sealed class FleetHeartbeatService(
    FleetDatabase database, ShipperState state, ModeState mode, PolicyDigests digests, DaemonOptions options, HostIdentity identity, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.DataSource is not { } dataSource) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The shipper creates the schema and the host id; beat once it has connected.
            var ready = state.ShippedId >= 0 && state.HostId != Guid.Empty;
            if (ready)
            {
                try
                {
                    await BeatAsync(dataSource, stoppingToken);
                    state.Heartbeat(null, time.GetUtcNow());
                }
                catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
                {
                    state.Heartbeat(ex.Message, time.GetUtcNow());
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    state.Heartbeat("heartbeat timed out", time.GetUtcNow());
                }
            }
            try { await Task.Delay(ready ? options.Fleet.HeartbeatInterval : TimeSpan.FromMilliseconds(250), time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task BeatAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var today = PartitionDay.Of(time.GetUtcNow());
        await FleetSchema.EnsurePartitionsAsync(connection, [today, new PartitionDay(today.Day.AddDays(1))], ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO hosts (host_id, name, last_heartbeat, mode, policy_digest, applied_digest, version)
            VALUES ($1, $2, now(), $3, $4, $5, $6)
            ON CONFLICT (host_id) DO UPDATE SET name = EXCLUDED.name, last_heartbeat = now(), mode = EXCLUDED.mode,
                policy_digest = EXCLUDED.policy_digest, applied_digest = EXCLUDED.applied_digest, version = EXCLUDED.version
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = state.HostId, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = identity.Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = mode.Current.ToName() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)digests.Files() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)digests.Applied() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = DaemonInfo.Version });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
