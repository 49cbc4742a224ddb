using CsCheck;
using Outgate.Daemon.Events;
using Outgate.Daemon.Fleet;
using Outgate.Daemon.Options;

namespace Outgate.EndToEnd.Tests.Fleet;

/// <summary>The pure parts of fleet shipping: configuration, backoff, partitions, drift, search parsing, backlog alerts.</summary>
public sealed class FleetUnitTests
{
    [Fact]
    public void Fleet_conf_takes_the_first_line_that_is_not_a_comment()
    {
        var value = FleetConfigFile.FirstSetting(["# central database", "", "  Host=db;Username=og  ", "Host=other"], "/etc/outgate/fleet.conf", out var error);
        Assert.Null(error);
        Assert.Equal("Host=db;Username=og", value);
    }

    [Fact]
    public void Fleet_conf_without_a_connection_string_says_what_to_put_in_it()
    {
        Assert.Null(FleetConfigFile.FirstSetting(["# nothing", "   "], "/etc/outgate/fleet.conf", out var error));
        Assert.Contains("/etc/outgate/fleet.conf has no connection string", error);
    }

    [Theory]
    [InlineData(0b110_000_000, 0u, true)]   // 0600 root
    [InlineData(0b110_100_000, 0u, true)]   // 0640 root
    [InlineData(0b110_100_100, 0u, false)]  // 0644: others may read the password
    [InlineData(0b110_110_000, 0u, false)]  // 0660: group may write
    [InlineData(0b110_000_000, 1000u, false)] // a user's file
    public void Fleet_conf_must_be_root_owned_and_closed_to_others(int mode, uint owner, bool accepted)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, FleetConfigFile.FileName);
        File.WriteAllText(path, "Host=127.0.0.1;Username=outgate\n");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
        var value = FleetConfigFile.TryRead(dir.Path, out var error, _ => owner);
        Assert.Equal(accepted, value is not null);
        if (!accepted)
        {
            Assert.NotNull(error);
            Assert.Contains(path, error);
            Assert.Contains(owner != 0 ? "chown root" : "chmod 600", error);
        }
    }

    [Fact]
    public void Missing_fleet_conf_means_no_shipping_and_no_error()
    {
        using var dir = new TempDirectory();
        Assert.Null(FleetConfigFile.TryRead(dir.Path, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Retry_delay_doubles_from_half_a_second_and_stops_at_the_maximum() =>
        Gen.Int[1, 1000].Select(Gen.Double[0, 0.999]).Sample((failures, jitter) =>
        {
            var max = TimeSpan.FromSeconds(30);
            var delay = RetryDelay.After(failures, max, jitter);
            var nominal = Math.Min(500 * Math.Pow(2, Math.Min(failures - 1, 20)), max.TotalMilliseconds);
            return delay.TotalMilliseconds >= nominal * 0.8 - 0.001 && delay.TotalMilliseconds <= nominal * 1.2 + 0.001
                && RetryDelay.After(failures + 1, max, jitter) >= delay;
        });

    [Fact]
    public void A_batch_needs_one_partition_per_utc_day_it_touches()
    {
        var t = new DateTimeOffset(2026, 11, 25, 23, 59, 59, TimeSpan.Zero);
        var days = PartitionDay.Covering([t, t.AddSeconds(1), t.AddSeconds(2), new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.FromHours(2))]);
        Assert.Equal(["events_p20261125", "events_p20261126"], days.Select(d => d.TableName));
        Assert.Equal("CREATE TABLE IF NOT EXISTS events_p20261126 PARTITION OF events FOR VALUES FROM ('2026-11-26 00:00:00+00') TO ('2026-11-27 00:00:00+00')", days[1].CreateSql);
    }

    [Fact]
    public void Every_event_time_falls_inside_its_partition_bounds() =>
        Gen.Long[0, 4_102_444_800_000_000].Sample(us =>
        {
            var time = DateTimeOffset.UnixEpoch.AddTicks(us * 10);
            var day = PartitionDay.Of(time);
            var from = DateTimeOffset.Parse(day.From.Replace("+00", "Z", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            return time >= from && time < from.AddDays(1);
        });

    [Fact]
    public void The_expected_digest_is_the_most_common_one_unless_given()
    {
        Assert.Equal("aa", FleetDrift.Expected(["aa", "bb", "aa", null], null));
        Assert.Equal("aa", FleetDrift.Expected(["bb", "aa"], null)); // tie: ordinally smallest, whatever the row order
        Assert.Equal("cc", FleetDrift.Expected(["aa", "aa"], "cc"));
        Assert.Null(FleetDrift.Expected([null, null], null));
        Assert.True(FleetDrift.Drifted("bb", "aa"));
        Assert.True(FleetDrift.Drifted(null, "aa"));
        Assert.False(FleetDrift.Drifted("AA", "aa"));
        Assert.False(FleetDrift.Drifted(null, null));
    }

    [Fact]
    public void Search_takes_exactly_one_of_domain_dst_exe_and_normalises_domains()
    {
        Assert.Equal(new FleetSearch(FleetSearchField.Domain, "example.com"), FleetSearch.TryParse("*.Example.COM.", null, null, out _));
        Assert.Equal(new FleetSearch(FleetSearchField.Dst, "10.0.0.1"), FleetSearch.TryParse(null, " 10.0.0.1 ", "", out _));
        Assert.Null(FleetSearch.TryParse("a.com", "10.0.0.1", null, out var two));
        Assert.Contains("only one", two);
        Assert.Null(FleetSearch.TryParse(null, null, null, out var none));
        Assert.Contains("domain=, dst= or exe=", none);
        Assert.Null(FleetSearch.TryParse(null, null, "/usr/bin/\u0001x", out var control));
        Assert.Contains("control characters", control);
        Assert.Equal("moc.elpmaxe", FleetSearch.Reverse("example.com"));
        Assert.Equal(@"a\%b\_c\\", FleetSearch.LikeLiteral(@"a%b_c\"));
    }

    [Fact]
    public void Backlog_alerts_when_retention_holds_unshipped_events_or_the_hard_cap_is_near()
    {
        Assert.Null(BacklogLevel.Judge(rows: 900, unshipped: 100, maxRows: 1000, hardCap: 5000));
        Assert.Null(BacklogLevel.Judge(rows: 2000, unshipped: 0, maxRows: 1000, hardCap: 5000));
        Assert.Contains("retention keeps them beyond --max-events 1000", BacklogLevel.Judge(1500, 700, 1000, 5000));
        Assert.Contains("near its bound", BacklogLevel.Judge(4000, 3000, 1000, 5000));
    }

    [Fact]
    public void Daemon_command_line_takes_fleet_db_host_name_and_the_environment()
    {
        var r = DaemonCommandLine.Parse(["--fleet-db", "Host=db;Username=og", "--host-name", "web-1"], _ => null);
        Assert.Empty(r.Errors);
        Assert.Equal("Host=db;Username=og", r.Options.Fleet.ConnectionString);
        Assert.Equal("web-1", r.Options.Fleet.HostName);
        var env = DaemonCommandLine.Parse([], name => name == "OUTGATE_FLEET_DB" ? "Host=env" : null);
        Assert.Equal("Host=env", env.Options.Fleet.ConnectionString);
        var bad = DaemonCommandLine.Parse(["--host-name", "a\u0007b"], _ => null);
        Assert.Contains(bad.Errors, e => e.Contains("bad --host-name", StringComparison.Ordinal));
    }

    [Fact]
    public void Host_id_is_created_once_and_kept()
    {
        using var dir = new TempDirectory();
        var identity = new HostIdentity(new DaemonOptions { StateDirectory = dir.Path, Fleet = new FleetOptions { HostName = "h" } });
        var first = identity.LoadOrCreateId();
        Assert.Equal(first, identity.LoadOrCreateId());
        Assert.Equal(first, new HostIdentity(new DaemonOptions { StateDirectory = dir.Path }).LoadOrCreateId());
        Assert.Equal("h", identity.Name);
    }

    [Fact]
    public void Retention_keeps_unshipped_events_until_the_hard_cap()
    {
        using var dir = new TempDirectory();
        var store = new EventStore(new DaemonOptions { StateDirectory = dir.Path });
        store.Initialize();
        var now = DateTimeOffset.UtcNow;
        using (var inserter = store.CreateInserter())
            inserter.Write([.. Enumerable.Range(0, 100).Select(i => new DaemonEvent { Time = now.AddDays(-60).AddSeconds(i), Type = EventType.Decision })]);
        // Shipped up to 30: age and row limits may take 1..30 only.
        Assert.Equal(30, store.Prune(maxRows: 10, maxAge: TimeSpan.FromDays(30), now, keepAfterId: 30, hardCapRows: 80));
        Assert.Equal(70, store.Count());
        // Past the hard cap of 50 the oldest go even unshipped.
        Assert.Equal(20, store.Prune(maxRows: 10, maxAge: TimeSpan.FromDays(30), now, keepAfterId: 30, hardCapRows: 50));
        Assert.Equal(50, store.Count());
        // No hold: the normal limits again.
        Assert.Equal(50, store.Prune(maxRows: 10, maxAge: TimeSpan.FromDays(30), now));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("og-fleet-").FullName;

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
