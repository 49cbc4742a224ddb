using Npgsql;
using Outgate.Daemon.Options;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// The configured fleet database, if any: the connection string from --fleet-db / $OUTGATE_FLEET_DB, else
/// CONFIG_DIR/fleet.conf, resolved once at start. <see cref="DataSource"/> is null when none is configured or the
/// configuration was refused (<see cref="ConfigError"/> says why).
/// </summary>
public sealed class FleetDatabase : IAsyncDisposable
{
    public FleetDatabase(DaemonOptions options)
    {
        var connectionString = options.Fleet.ConnectionString;
        string? error = null;
        Source = connectionString is null ? null : "--fleet-db";
        if (connectionString is null)
        {
            connectionString = FleetConfigFile.TryRead(options.ConfigDirectory, out error);
            Source = connectionString is null ? null : Path.Combine(options.ConfigDirectory, FleetConfigFile.FileName);
        }
        if (connectionString is not null)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString)
                {
                    ApplicationName = "outgated",
                };
                // Short connect timeout: a shipper retries on its own schedule, and an API call must not hang for 15 s.
                if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = 5;
                if (!connectionString.Contains("Command Timeout", StringComparison.OrdinalIgnoreCase)) builder.CommandTimeout = 60;
                DataSource = NpgsqlDataSource.Create(builder);
                Target = $"{builder.Host}:{builder.Port}/{builder.Database}";
            }
            catch (ArgumentException ex)
            {
                error = $"the fleet database connection string from {Source} is not valid: {ex.Message}";
            }
        }
        ConfigError = error;
    }

    /// <summary>Pooled connections to the fleet database; null when shipping is off.</summary>
    public NpgsqlDataSource? DataSource { get; }

    /// <summary>Where the connection string came from (the option or the file); null when none.</summary>
    public string? Source { get; }

    /// <summary>host:port/database, without credentials, for status and errors.</summary>
    public string? Target { get; }

    /// <summary>Why a present configuration is not used (fleet.conf owned by someone else, too open, unparsable).</summary>
    public string? ConfigError { get; }

    public bool IsConfigured => DataSource is not null;

    public ValueTask DisposeAsync() => DataSource?.DisposeAsync() ?? ValueTask.CompletedTask;
}
