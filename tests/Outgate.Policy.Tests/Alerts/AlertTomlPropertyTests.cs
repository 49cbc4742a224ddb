using CsCheck;

namespace Outgate.Policy.Tests.Alerts;

public sealed class AlertTomlPropertyTests
{
    private static readonly Gen<TimeSpan> Window = Gen.OneOf(
        Gen.Int[1, 86_400].Select(s => TimeSpan.FromSeconds(s)),
        Gen.Int[1000, 86_400_000].Select(ms => TimeSpan.FromMilliseconds(ms)));

    private static readonly Gen<long> Size = Gen.OneOf(Gen.Long[1, ByteSizeSyntax.Max], Gen.Int[1, 1_000_000].Select(n => n * 1000L), Gen.Int[1, 1_000_000].Select(n => (long)n << 10));

    private static readonly Gen<string> Tool = Gen.String[Gen.Char["a-zA-Z0-9._+-"], 1, 16];

    private static readonly Gen<string> ListPath = Gen.String[Gen.Char.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)), 1, 30];

    private static readonly Gen<Uri> Syslog =
        from scheme in Gen.OneOf("udp", "tcp")
        from host in Gen.OneOf("127.0.0.1", "logs.example", "[2001:db8::1]", "collector")
        from port in Gen.Int[0, 65535]
        select new Uri(port == 0 ? $"{scheme}://{host}" : $"{scheme}://{host}:{port}");

    private static readonly Gen<Uri> Webhook =
        from scheme in Gen.OneOf("http", "https")
        from path in Gen.OneOf("", "/", "/hook", "/a/b?x=1&y=%20")
        select new Uri($"{scheme}://hooks.example{path}");

    internal static readonly Gen<AlertSettings> Settings =
        from dedup in Gen.OneOf(Gen.Const(TimeSpan.Zero), Window)
        from severity in Gen.OneOf("debug", "info", "notice", "warning", "error", "critical")
        from flags in Gen.Bool.Array[11]
        from tools in Tool.List[0, 4]
        from threshold in Size
        from newDestination in Size
        from exWindow in Window
        from label in Gen.Int[1, 63]
        from entropy in Gen.OneOf(Gen.Double[0.1, 8], Gen.Int[1, 8].Select(i => (double)i))
        from unique in Gen.Int[1, 1_000_000]
        from txt in Gen.Int[1, 1_000_000]
        from dnsWindow in Window
        from lists in ListPath.List[0, 3]
        from attempts in Gen.Int[1, 1_000_000]
        from beaconWindow in Window
        from syslog in Gen.Null(Syslog)
        from webhook in Gen.Null(Webhook)
        select new AlertSettings
        {
            Dedup = dedup,
            MinSeverity = severity,
            ConnectBack = new ConnectBackSettings { Enabled = flags[0], ExtraTools = tools, Block = flags[1] },
            NewApp = new DetectorSwitch { Enabled = flags[2] },
            Exfiltration = new ExfiltrationSettings { Enabled = flags[3], ThresholdBytes = threshold, NewDestinationBytes = newDestination, Window = exWindow },
            DnsTunnel = new DnsTunnelSettings { Enabled = flags[4], MaxLabelLength = label, MaxEntropy = entropy, UniqueSubdomains = unique, TxtQueries = txt, Window = dnsWindow },
            Blocklist = new BlocklistSettings { Enabled = flags[5], Lists = lists },
            RawIp = new DetectorSwitch { Enabled = flags[6] },
            DnsPort = new DetectorSwitch { Enabled = flags[7] },
            Beaconing = new BeaconingSettings { Enabled = flags[8], Attempts = attempts, Window = beaconWindow },
            Sinks = new AlertSinkSettings { Syslog = syslog, Webhook = webhook, Journal = flags[9], Desktop = flags[10] },
        };

    [Fact]
    public void Valid_settings_written_as_toml_read_back_equal()
    {
        Settings.Sample(settings =>
        {
            var text = AlertTomlWriter.Write(settings);
            var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
            Assert.True(result.Succeeded, text + "\n" + string.Join("\n", result.Errors));
            var read = result.FileSet!.Policy.Alerts;
            Assert.Equal(settings, read);
            Assert.Equal(settings.Sinks.Syslog?.OriginalString, read.Sinks.Syslog?.OriginalString);
        }, iter: 2_000);
    }

    [Fact]
    public void Sizes_and_durations_format_back_to_the_same_value()
    {
        Size.Sample(n => ByteSizeSyntax.TryParse(ByteSizeSyntax.Format(n), out var back, out _) && back == n, iter: 20_000);
        Gen.Long[0, 365L * 86_400_000].Sample(ms =>
            AlertDurationSyntax.TryParse(AlertDurationSyntax.Format(TimeSpan.FromMilliseconds(ms)), out var back, out _) && back == TimeSpan.FromMilliseconds(ms), iter: 20_000);
    }

    [Fact]
    public void Garbage_in_alerts_tables_never_throws_and_every_error_is_located()
    {
        var original = AlertTomlWriter.Write(AlertSettings.Default with { Sinks = new AlertSinkSettings { Syslog = new Uri("udp://127.0.0.1:514"), Webhook = new Uri("https://h/x") } });
        var mangled =
            from seed in Settings
            from cut in Gen.Int[0, original.Length]
            from length in Gen.Int[0, 20]
            from insert in Gen.Frequency(
                (4, Gen.OneOf("", "\"", "=", "\n", "[alerts]\n", "[alerts.x]\n", "window = \"9999999d\"\n", "threshold = \"1.5.5MB\"\n", "target = \"udp://[::1\"\n",
                    "max_entropy = nan\n", "max_entropy = inf\n", "dedup = 99999999999999999\n", "extra_tools = [[]]\n", "lists = [\"\\u0000\"]\n", "url = \"http://\"\n", "enabled = 1\n")),
                (1, Gen.String[0, 12]))
            select (Gen.Bool.Single() ? AlertTomlWriter.Write(seed) : original) is var text ? text[..Math.Min(cut, text.Length)] + insert + text[Math.Min(text.Length, cut + length)..] : "";
        mangled.Sample(text =>
        {
            var result = PolicyFileSet.FromFiles("/etc/outgate", [new PolicyFile("/etc/outgate/outgate.toml", text)]);
            Assert.True(result.Succeeded || result.Errors.All(e => e.Line >= 1 && e.Column >= 1 && e.Message.Length > 0 && e.File.Length > 0));
        }, iter: 20_000);
    }
}
