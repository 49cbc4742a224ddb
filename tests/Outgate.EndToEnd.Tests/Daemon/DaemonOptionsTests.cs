using Outgate.Daemon.Options;

namespace Outgate.EndToEnd.Tests.Daemon;

public class DaemonOptionsTests
{
    private static DaemonCommandLineResult Parse(string[] args, Dictionary<string, string>? env = null) =>
        DaemonCommandLine.Parse(args, name => env is not null && env.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void Defaults_are_the_system_paths_in_learn_mode()
    {
        var r = Parse([]);
        Assert.Empty(r.Errors);
        Assert.Equal("/run/outgate/outgate.sock", r.Options.SocketPath);
        Assert.Equal("/etc/outgate", r.Options.ConfigDirectory);
        Assert.Equal("/var/lib/outgate", r.Options.StateDirectory);
        Assert.Equal("/var/lib/outgate/events.db", r.Options.EventDatabasePath);
        Assert.Null(r.Options.NetworkNamespace);
        Assert.Equal(DaemonMode.Learn, r.Options.Mode);
        Assert.Equal(2_000, r.Options.Events.BatchSize);
        Assert.Empty(DaemonOptionsValidator.Validate(r.Options));
    }

    [Fact]
    public void Environment_variables_give_defaults_and_options_override_them()
    {
        var env = new Dictionary<string, string> { ["OUTGATE_SOCKET"] = "/tmp/a.sock", ["OUTGATE_CONFIG_DIR"] = "/tmp/cfg", ["OUTGATE_STATE_DIR"] = "/tmp/state" };
        var fromEnv = Parse([], env).Options;
        Assert.Equal(("/tmp/a.sock", "/tmp/cfg", "/tmp/state"), (fromEnv.SocketPath, fromEnv.ConfigDirectory, fromEnv.StateDirectory));

        var overridden = Parse(["--socket", "/tmp/b.sock", "--state-dir=/tmp/s2", "--mode", "Enforce"], env).Options;
        Assert.Equal("/tmp/b.sock", overridden.SocketPath);
        Assert.Equal("/tmp/s2", overridden.StateDirectory);
        Assert.Equal("/tmp/cfg", overridden.ConfigDirectory);
        Assert.Equal(DaemonMode.Enforce, overridden.Mode);
    }

    [Fact]
    public void Retention_and_queue_options_are_parsed()
    {
        var r = Parse(["--max-events", "500", "--max-event-age", "12h", "--prune-interval", "250ms", "--event-queue", "1024", "--netns", "ns1"]);
        Assert.Empty(r.Errors);
        Assert.Equal(500, r.Options.Events.MaxRows);
        Assert.Equal(TimeSpan.FromHours(12), r.Options.Events.MaxAge);
        Assert.Equal(TimeSpan.FromMilliseconds(250), r.Options.Events.PruneInterval);
        Assert.Equal(1024, r.Options.Events.ChannelCapacity);
        Assert.Equal("ns1", r.Options.NetworkNamespace);
    }

    [Fact]
    public void Every_command_line_error_is_reported_at_once()
    {
        var r = Parse(["--mode", "permissive", "--max-events", "many", "--max-event-age", "soon", "--bogus", "stray", "--socket"]);
        Assert.Contains(r.Errors, e => e.Contains("unknown --mode 'permissive'") && e.Contains("learn, interactive, enforce, lockdown"));
        Assert.Contains(r.Errors, e => e.Contains("bad --max-events 'many'"));
        Assert.Contains(r.Errors, e => e.Contains("bad --max-event-age 'soon'") && e.Contains("30d"));
        Assert.Contains(r.Errors, e => e.Contains("unknown option '--bogus'"));
        Assert.Contains(r.Errors, e => e.Contains("unexpected argument 'stray'"));
        Assert.Contains(r.Errors, e => e.Contains("--socket needs a value"));
        Assert.Equal(6, r.Errors.Count);
    }

    [Fact]
    public void Validation_collects_every_problem_with_the_bad_value()
    {
        var options = new DaemonOptions
        {
            SocketPath = "run/outgate.sock",
            ConfigDirectory = "",
            StateDirectory = "var/lib",
            NetworkNamespace = "nope",
            Events = new EventStoreOptions { ChannelCapacity = 1, MaxRows = -1, PruneInterval = TimeSpan.Zero },
        };
        var errors = DaemonOptionsValidator.Validate(options, namespaceExists: _ => false);
        Assert.Contains(errors, e => e.Contains("--socket 'run/outgate.sock' is relative"));
        Assert.Contains(errors, e => e.Contains("--config-dir is empty"));
        Assert.Contains(errors, e => e.Contains("--state-dir 'var/lib' is relative"));
        Assert.Contains(errors, e => e.Contains("/run/netns/nope does not exist") && e.Contains("ip netns add nope"));
        Assert.Contains(errors, e => e.Contains("--event-queue 1 is out of range"));
        Assert.Contains(errors, e => e.Contains("--max-events -1 is negative"));
        Assert.Contains(errors, e => e.Contains("--prune-interval"));
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void A_socket_path_longer_than_sun_path_is_refused()
    {
        var errors = DaemonOptionsValidator.Validate(new DaemonOptions { SocketPath = "/tmp/" + new string('x', 120) + ".sock" });
        Assert.Contains(errors, e => e.Contains("unix socket paths are limited to 107"));
    }

    [Fact]
    public void Netns_accepts_names_and_absolute_paths_but_not_relative_paths()
    {
        Assert.Empty(DaemonOptionsValidator.Validate(new DaemonOptions { NetworkNamespace = "og-1" }, _ => true));
        Assert.Empty(DaemonOptionsValidator.Validate(new DaemonOptions { NetworkNamespace = "/proc/1/ns/net" }, _ => true));
        Assert.Contains(DaemonOptionsValidator.Validate(new DaemonOptions { NetworkNamespace = "a/b" }, _ => true), e => e.Contains("is not a namespace name"));
    }

    [Fact]
    public void Control_characters_in_bad_values_are_escaped()
    {
        var r = Parse(["--mode", "x\u001b[2J"]);
        Assert.Contains(r.Errors, e => e.Contains("x\\u001b[2J"));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("90s", 90_000)]
    [InlineData("15m", 900_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("0", 0)]
    public void Durations_parse(string text, long ms)
    {
        Assert.True(DurationSyntax.TryParse(text, out var t));
        Assert.Equal(ms, (long)t.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5w")]
    [InlineData("-5s")]
    public void Bad_durations_do_not_parse(string text) => Assert.False(DurationSyntax.TryParse(text, out _));
}
