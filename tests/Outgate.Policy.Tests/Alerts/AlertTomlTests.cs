namespace Outgate.Policy.Tests.Alerts;

public sealed class AlertTomlTests
{
    private const string Main = "/etc/outgate/outgate.toml";

    private static PolicyLoadResult Load(string text, params PolicyFile[] dropIns) =>
        PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile(Main, text), .. dropIns]);

    private static AlertSettings Alerts(string text)
    {
        var result = Load(text);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.FileSet!.Policy.Alerts;
    }

    private static PolicyError Error(string text)
    {
        var result = Load(text);
        Assert.False(result.Succeeded, "expected an error for:\n" + text);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void No_alerts_table_means_the_defaults()
    {
        Assert.Equal(AlertSettings.Default, Alerts("[defaults]\noutgoing = \"allow\"\n"));
        Assert.Equal(AlertSettings.Default, Alerts("[alerts]\n"));
    }

    [Fact]
    public void The_documented_example_loads()
    {
        var a = Alerts("""
            [alerts]
            dedup = "10m"
            min_severity = "notice"

            [alerts.connect-back]
            enabled = true
            extra_tools = ["busybox"]
            block = false

            [alerts.new-app]
            enabled = false

            [alerts.exfiltration]
            threshold = "20MB"
            window = "5m"
            new_destination = "512KiB"

            [alerts.dns-tunnel]
            enabled = true
            max_label = 50
            max_entropy = 4.5
            unique_subdomains = 80
            txt_queries = 40
            window = 120

            [alerts.blocklist]
            lists = ["/etc/outgate/lists/bad.txt", "lists/more.txt"]

            [alerts.raw-ip]
            enabled = true

            [alerts.dns-port]
            enabled = false

            [alerts.beaconing]
            attempts = 5
            window = "1h"

            [alerts.syslog]
            target = "udp://192.0.2.10:514"

            [alerts.webhook]
            url = "https://hooks.example/outgate"

            [alerts.journal]
            enabled = false

            [alerts.desktop]
            enabled = false
            """);
        Assert.Equal(TimeSpan.FromMinutes(10), a.Dedup);
        Assert.Equal("notice", a.MinSeverity);
        Assert.Equal(new ConnectBackSettings { Enabled = true, ExtraTools = ["busybox"], Block = false }, a.ConnectBack);
        Assert.False(a.NewApp.Enabled);
        Assert.Equal(new ExfiltrationSettings { ThresholdBytes = 20_000_000, NewDestinationBytes = 512 * 1024, Window = TimeSpan.FromMinutes(5) }, a.Exfiltration);
        Assert.Equal(new DnsTunnelSettings { MaxLabelLength = 50, MaxEntropy = 4.5, UniqueSubdomains = 80, TxtQueries = 40, Window = TimeSpan.FromMinutes(2) }, a.DnsTunnel);
        Assert.Equal(["/etc/outgate/lists/bad.txt", "lists/more.txt"], a.Blocklist.Lists);
        Assert.True(a.RawIp.Enabled);
        Assert.False(a.DnsPort.Enabled);
        Assert.Equal(new BeaconingSettings { Attempts = 5, Window = TimeSpan.FromHours(1) }, a.Beaconing);
        Assert.Equal(new Uri("udp://192.0.2.10:514"), a.Sinks.Syslog);
        Assert.Equal(new Uri("https://hooks.example/outgate"), a.Sinks.Webhook);
        Assert.False(a.Sinks.Journal);
        Assert.False(a.Sinks.Desktop);
    }

    [Fact]
    public void Quoted_table_names_and_a_zero_dedup_are_accepted()
    {
        var a = Alerts("[alerts]\ndedup = 0\n[alerts.\"dns-tunnel\"]\nenabled = false\n");
        Assert.Equal(TimeSpan.Zero, a.Dedup);
        Assert.False(a.DnsTunnel.Enabled);
    }

    [Fact]
    public void Syslog_target_without_port_means_514()
    {
        var a = Alerts("[alerts.syslog]\ntarget = \"tcp://logs.example\"\n");
        Assert.Equal(514, SyslogTargetSyntax.Port(a.Sinks.Syslog!));
        Assert.Equal("logs.example", SyslogTargetSyntax.Host(a.Sinks.Syslog!));
        var v6 = Alerts("[alerts.syslog]\ntarget = \"udp://[2001:db8::1]:1514\"\n");
        Assert.Equal(1514, SyslogTargetSyntax.Port(v6.Sinks.Syslog!));
        Assert.Equal("2001:db8::1", SyslogTargetSyntax.Host(v6.Sinks.Syslog!));
    }

    [Theory]
    // unknown keys and tables, with did-you-mean
    [InlineData("[alerts]\ndedupe = \"5m\"\n", 2, 1, "unknown key 'dedupe'", "did you mean 'dedup'?")]
    [InlineData("[alerts]\nmin-severity = \"error\"\n", 2, 1, "unknown key 'min-severity'", "did you mean 'min_severity'?")]
    [InlineData("[alerts.conect-back]\nenabled = true\n", 1, 1, "unknown table '[alerts.conect-back]'", "did you mean '[alerts.connect-back]'?")]
    [InlineData("[alerts.dns_tunnel]\nenabled = true\n", 1, 1, "unknown table '[alerts.dns_tunnel]'", "did you mean '[alerts.dns-tunnel]'?")]
    [InlineData("[alert]\ndedup = \"5m\"\n", 1, 1, "unknown table 'alert'", "did you mean '[alerts]'?")]
    [InlineData("[alerts.exfiltration]\nthreshhold = \"1MB\"\n", 2, 1, "unknown key 'threshhold'", "did you mean 'threshold'?")]
    [InlineData("[alerts.syslog]\nurl = \"udp://h\"\n", 2, 1, "unknown key 'url'", "the keys of [alerts.syslog] are target")]
    [InlineData("[alerts]\nsyslog = { target = \"udp://h\" }\n", 2, 1, "'syslog' must be its own table", "write [alerts.syslog]")]
    [InlineData("[[alerts]]\ndedup = \"5m\"\n", 1, 1, "[[alerts]] must be a single table", "write [alerts]")]
    // wrong types
    [InlineData("[alerts.new-app]\nenabled = \"yes\"\n", 2, 11, "'enabled' must be true or false, not a string", "write enabled = true")]
    [InlineData("[alerts.dns-tunnel]\nmax_label = \"40\"\n", 2, 13, "'max_label' must be an integer, not a string", "1 to 63")]
    [InlineData("[alerts.dns-tunnel]\nmax_entropy = \"4\"\n", 2, 15, "'max_entropy' must be a number, not a string", "write max_entropy = 4.0")]
    [InlineData("[alerts.connect-back]\nextra_tools = \"busybox\"\n", 2, 15, "'extra_tools' must be an array of strings, not a string", "extra_tools = [\"busybox\"")]
    [InlineData("[alerts.connect-back]\nextra_tools = [\"busybox\", 3]\n", 2, 27, "'extra_tools' holds an integer, not a string", "extra_tools = [")]
    [InlineData("[alerts.exfiltration]\nwindow = true\n", 2, 10, "'window' must be a duration string, not a boolean", "window = \"5m\"")]
    [InlineData("[alerts.exfiltration]\nthreshold = 2.5\n", 2, 13, "'threshold' must be a size, not a float", "\"20MB\"")]
    [InlineData("[alerts]\nmin_severity = 3\n", 2, 16, "'min_severity' must be a string, not an integer", "quote the value")]
    // out of range
    [InlineData("[alerts.dns-tunnel]\nmax_label = 64\n", 2, 13, "'max_label' = 64 is out of range", "give 1 to 63")]
    [InlineData("[alerts.dns-tunnel]\nmax_entropy = 9.5\n", 2, 15, "'max_entropy' = 9.5 is out of range", "give 0.1 to 8")]
    [InlineData("[alerts.beaconing]\nattempts = 0\n", 2, 12, "'attempts' = 0 is out of range", "give 1 to 1000000")]
    [InlineData("[alerts.beaconing]\nwindow = \"2d\"\n", 2, 10, "'window' = 2d is out of range", "give 1s to 1d")]
    [InlineData("[alerts.beaconing]\nwindow = \"0s\"\n", 2, 10, "'window' = 0s is out of range", "give 1s to 1d")]
    [InlineData("[alerts]\ndedup = -5\n", 2, 9, "'dedup' = -5 seconds is out of range", "give 0s to 1d")]
    [InlineData("[alerts.exfiltration]\nthreshold = 0\n", 2, 13, "'threshold' = 0 bytes is out of range", "give 1 byte to 1PB")]
    [InlineData("[alerts.exfiltration]\nthreshold = \"2EB\"\n", 2, 13, "bad 'threshold': unknown size unit 'EB'", "e.g. threshold = \"20MB\"")]
    // bad units and values
    [InlineData("[alerts.exfiltration]\nthreshold = \"20mb\"\n", 2, 13, "bad 'threshold': unknown size unit 'mb' in '20mb': did you mean 'MB'?", "powers of 1000")]
    [InlineData("[alerts.exfiltration]\nwindow = \"5 minutes\"\n", 2, 10, "bad 'window': unknown duration unit 'minutes'", "window = \"5m\"")]
    [InlineData("[alerts.exfiltration]\nwindow = \"soon\"\n", 2, 10, "bad 'window': 'soon' is not a duration", "window = \"5m\"")]
    [InlineData("[alerts]\nmin_severity = \"warn\"\n", 2, 16, "unknown severity 'warn'", "did you mean 'warning'?")]
    [InlineData("[alerts.connect-back]\nextra_tools = [\"/bin/busybox\"]\n", 2, 16, "bad 'extra_tools' entry '/bin/busybox': give the executable's base name", "extra_tools = [")]
    // bad URLs
    [InlineData("[alerts.syslog]\ntarget = \"tls://h:6514\"\n", 2, 10, "syslog target scheme 'tls' is not supported", "e.g. target =")]
    [InlineData("[alerts.syslog]\ntarget = \"192.0.2.10:514\"\n", 2, 10, "is not a syslog target", "e.g. target =")]
    [InlineData("[alerts.syslog]\ntarget = \"logs.example\"\n", 2, 10, "'logs.example' is not a syslog target", "e.g. target =")]
    [InlineData("[alerts.syslog]\ntarget = \"udp://h:514/path\"\n", 2, 10, "must be just udp://host or udp://host:port", "e.g. target =")]
    [InlineData("[alerts.webhook]\nurl = \"ftp://h/x\"\n", 2, 7, "webhook scheme 'ftp' is not supported", "e.g. url =")]
    [InlineData("[alerts.webhook]\nurl = \"hooks.example/x\"\n", 2, 7, "'hooks.example/x' is not a URL", "e.g. url =")]
    public void Bad_alert_settings_give_one_located_error_with_a_hint(string text, int line, int column, string message, string hint)
    {
        var error = Error(text);
        Assert.Equal(Main, error.File);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Hint ?? "", StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Alerts_are_refused_in_drop_in_files()
    {
        var result = Load("", new PolicyFile("/etc/outgate/rules.d/10-x.toml", "[alerts]\ndedup = \"1m\"\n"));
        var error = Assert.Single(result.Errors);
        Assert.Equal("/etc/outgate/rules.d/10-x.toml", error.File);
        Assert.Contains("only allowed in outgate.toml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_key_is_reported_not_just_the_first()
    {
        var result = Load("[alerts]\ndedup = \"x\"\nmin_severity = \"loud\"\n[alerts.beaconing]\nattempts = -1\n");
        Assert.Equal([2, 3, 5], result.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Adding_a_rule_keeps_the_alerts_tables()
    {
        const string text = "[alerts]\ndedup = \"1m\"\n\n[alerts.syslog]\ntarget = \"udp://127.0.0.1:5514\"\n";
        var set = Load(text).FileSet!;
        var edit = set.AddRule(Tokens.Rule("allow out to any port 443 proto tcp"));
        Assert.True(edit.Changed, edit.Message);
        var written = Assert.Single(edit.Writes);
        Assert.StartsWith(text, written.Text!, StringComparison.Ordinal);
        var reloaded = Load(written.Text!).FileSet!;
        Assert.Equal(set.Policy.Alerts, reloaded.Policy.Alerts);
        Assert.Single(reloaded.Policy.Rules);
        var defaults = reloaded.SetDefault(Direction.Out, DefaultPolicy.Deny);
        Assert.Equal(set.Policy.Alerts, Load(defaults.Writes[0].Text!).FileSet!.Policy.Alerts);
        var deleted = Load(defaults.Writes[0].Text!).FileSet!.DeleteRule(1);
        Assert.Equal(set.Policy.Alerts, Load(deleted.Writes[0].Text!).FileSet!.Policy.Alerts);
    }

    [Fact]
    public void A_bundle_carries_the_alerts_tables()
    {
        const string text = "[alerts.webhook]\nurl = \"https://hooks.example/x\"\n\n[[rule]]\naction = \"allow\"\ndirection = \"out\"\nto_port = 443\n";
        var set = Load(text).FileSet!;
        var files = BundleExport.Files(set, DateTimeOffset.UtcNow, null, out _);
        var bundle = PolicyBundle.Parse(PolicyBundle.Create(files, DateTimeOffset.UtcNow, "h").ToBytes(), "test.bundle");
        var main = Assert.Single(bundle.Files);
        Assert.Equal(set.Policy.Alerts, Load(main.Text).FileSet!.Policy.Alerts);
    }
}
