using System.Text.Json;
using Outgate.Testing;

namespace Outgate.EndToEnd.Tests.Connections;

/// <summary>`outgate connections` run as a process inside a namespace with known sockets (see <see cref="ConnectionsFixture"/>).</summary>
public sealed class ConnectionsCommandTests(ConnectionsFixture f) : IClassFixture<ConnectionsFixture>
{
    private void SkipUnlessReady()
    {
        if (f.SkipReason is { } reason) Assert.Skip(reason);
    }

    private async Task<List<JsonElement>> ListAsync(params string[] args)
    {
        var r = await OutgateCli.RunAsync(f.Ns, ["connections", "--json", .. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal("outgate.connections/v1", doc.RootElement.GetProperty("schema").GetString());
        return [.. doc.RootElement.GetProperty("connections").EnumerateArray()];
    }

    private static JsonElement Single(List<JsonElement> rows, string proto, int localPort, string state) =>
        Assert.Single(rows, r => r.GetProperty("proto").GetString() == proto && r.GetProperty("local_port").GetInt32() == localPort && r.GetProperty("state").GetString() == state);

    private static string? S(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    private static ulong InodeOfFd(int pid, ulong inode)
    {
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
            if (new FileInfo(fd).LinkTarget == $"socket:[{inode}]") return inode;
        return 0;
    }

    [Fact]
    public async Task Tcp_listener_is_attributed_to_its_process_with_every_field()
    {
        SkipUnlessReady();
        var rows = await ListAsync();
        var l = Single(rows, "tcp", 18080, "LISTEN");
        Assert.Equal("ipv4", S(l, "family"));
        Assert.Equal("127.0.0.1", S(l, "local_address"));
        Assert.Equal("0.0.0.0", S(l, "remote_address"));
        Assert.Equal(0, l.GetProperty("remote_port").GetInt32());
        Assert.Equal(0u, l.GetProperty("uid").GetUInt32());
        Assert.Equal("root", S(l, "user"));
        Assert.Equal(f.Main.Id, l.GetProperty("pid").GetInt32());
        Assert.Equal("python3", S(l, "program"));
        Assert.Equal(f.PythonExe, S(l, "exe"));
        Assert.Contains("socket.AF_INET", S(l, "cmdline"));
        var inode = l.GetProperty("inode").GetUInt64();
        Assert.NotEqual(0UL, inode);
        Assert.Equal(inode, InodeOfFd(f.Main.Id, inode));
    }

    [Fact]
    public async Task Established_tcp_pair_shows_both_ends_with_bytes_and_rtt()
    {
        SkipUnlessReady();
        var rows = await ListAsync("--established", "--tcp");
        var server = Single(rows, "tcp", 18080, "ESTABLISHED");
        var client = Assert.Single(rows, r => r.GetProperty("remote_port").GetInt32() == 18080 && S(r, "state") == "ESTABLISHED");
        Assert.Equal(server.GetProperty("remote_port").GetInt32(), client.GetProperty("local_port").GetInt32());
        Assert.True(client.GetProperty("bytes_sent").GetUInt64() >= 5000, client.ToString());
        Assert.True(server.GetProperty("bytes_received").GetUInt64() >= 5000, server.ToString());
        Assert.Equal(JsonValueKind.Number, client.GetProperty("rtt_ms").ValueKind);
        Assert.Equal(f.Main.Id, client.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Udp_and_ipv6_sockets_are_listed_with_unconn_and_established_states()
    {
        SkipUnlessReady();
        var rows = await ListAsync();
        Assert.Equal("0.0.0.0", S(Single(rows, "udp", 15353, "UNCONN"), "local_address"));
        var u6 = Single(rows, "udp", 15354, "UNCONN");
        Assert.Equal("ipv6", S(u6, "family"));
        Assert.Equal("::1", S(u6, "local_address"));
        var t6 = Single(rows, "tcp", 18443, "LISTEN");
        Assert.Equal("ipv6", S(t6, "family"));
        var connectedUdp = Assert.Single(rows, r => S(r, "proto") == "udp" && S(r, "state") == "ESTABLISHED");
        Assert.Equal(15353, connectedUdp.GetProperty("remote_port").GetInt32());
        Assert.Equal(f.Main.Id, connectedUdp.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Process_of_another_user_shows_that_user()
    {
        SkipUnlessReady();
        var l = Single(await ListAsync(), "tcp", 18081, "LISTEN");
        Assert.Equal(65534u, l.GetProperty("uid").GetUInt32());
        Assert.Equal("nobody", S(l, "user"));
        Assert.Equal(f.Nobody.Id, l.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Process_in_a_service_cgroup_shows_its_systemd_unit()
    {
        SkipUnlessReady();
        var l = Single(await ListAsync(), "tcp", 18082, "LISTEN");
        Assert.Equal(f.UnitName, S(l, "unit"));
        Assert.EndsWith("/og-test.slice/" + f.UnitName, S(l, "cgroup"));
        Assert.Null(S(l, "container_id"));
    }

    [Fact]
    public async Task Process_in_a_docker_cgroup_shows_the_container()
    {
        SkipUnlessReady();
        var l = Single(await ListAsync(), "tcp", 18083, "LISTEN");
        Assert.Equal("docker", S(l, "container_runtime"));
        Assert.Equal(f.ContainerId[..12], S(l, "container_id"));
    }

    [Fact]
    public async Task Socket_left_by_a_short_lived_process_is_listed_in_time_wait_without_owner()
    {
        SkipUnlessReady();
        var rows = await ListAsync("--state", "time-wait");
        var tw = Assert.Single(rows, r => r.GetProperty("remote_port").GetInt32() == 18080);
        Assert.Equal("TIME_WAIT", S(tw, "state"));
        Assert.Equal(JsonValueKind.Null, tw.GetProperty("pid").ValueKind);
        Assert.All(rows, r => Assert.Equal("TIME_WAIT", S(r, "state")));
    }

    [Fact]
    public async Task Hash_option_adds_the_sha256_of_the_executable()
    {
        SkipUnlessReady();
        var l = Single(await ListAsync("--hash", "--port", "18080", "-l"), "tcp", 18080, "LISTEN");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f.PythonExe)));
        Assert.Equal(expected, S(l, "sha256"));
    }

    public static TheoryData<string[], int[], int[]> Filters => new()
    {
        // args, local ports that must appear, local ports that must not
        { ["-l"], [18080, 18443, 15353, 15354, 18081, 18082, 18083], [] },
        { ["-l", "-t"], [18080, 18443, 18081], [15353, 15354] },
        { ["-l", "-u"], [15353, 15354], [18080, 18443] },
        { ["-l", "-4"], [18080, 15353, 18081, 18082], [18443, 15354, 18083] },
        { ["-l", "-6"], [18443, 15354, 18083], [18080, 15353] },
        { ["-tln"], [18080, 18443], [15353] },
        { ["--port", "18081,18082"], [18081, 18082], [18080, 18443] },
        { ["--port", "18081-18083"], [18081, 18082, 18083], [18080] },
        { ["--user", "nobody"], [18081], [18080, 18082] },
        { ["--user", "65534"], [18081], [18080] },
        { ["--state", "listen", "--remote", "0.0.0.0/0"], [], [18080] },
        { ["--remote", "127.0.0.0/8", "-t"], [], [18080 + 1, 18443] },
        { ["--state", "LISTEN,unconn"], [18080, 15353], [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filters_select_the_expected_sockets(string[] args, int[] present, int[] absent)
    {
        SkipUnlessReady();
        var ports = (await ListAsync(args)).Select(r => r.GetProperty("local_port").GetInt32()).ToHashSet();
        foreach (var p in present) Assert.Contains(p, ports);
        foreach (var p in absent) Assert.DoesNotContain(p, ports);
    }

    [Fact]
    public async Task Pid_and_app_filters_select_the_process()
    {
        SkipUnlessReady();
        var byPid = await ListAsync("--pid", f.Nobody.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([18081], byPid.Select(r => r.GetProperty("local_port").GetInt32()).Distinct());
        var byPath = await ListAsync("--app", f.PythonExe, "-l", "-t", "-4");
        Assert.Contains(byPath, r => r.GetProperty("local_port").GetInt32() == 18080);
        var byName = await ListAsync("--app", "python3", "-l");
        Assert.Contains(byName, r => r.GetProperty("local_port").GetInt32() == 18083);
        Assert.Empty(await ListAsync("--app", "no-such-program"));
    }

    [Fact]
    public async Task Table_and_csv_outputs_list_the_same_sockets()
    {
        SkipUnlessReady();
        var table = await OutgateCli.RunAsync(f.Ns, "connections", "-l", "-t", "-4");
        Assert.Equal(0, table.ExitCode);
        var lines = table.StdOut.TrimEnd().Split('\n');
        Assert.StartsWith("PROTO", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("tcp ", StringComparison.Ordinal) && l.Contains("127.0.0.1:18080") && l.Contains("LISTEN") && l.Contains("python3"));
        var csv = await OutgateCli.RunAsync(f.Ns, "connections", "--csv", "-l", "-t", "-4");
        var csvLines = csv.StdOut.TrimEnd().Split("\r\n");
        Assert.StartsWith("proto,family,local_address,local_port", csvLines[0]);
        Assert.Equal(lines.Length, csvLines.Length);
    }

    [Fact]
    public async Task Watch_streams_the_table_then_only_changes_when_not_a_terminal()
    {
        SkipUnlessReady();
        var ct = TestContext.Current.CancellationToken;
        // The listener starts once the first frame is out (a fixed delay raced a slow start under CI load: the
        // listener was then already in the first frame, not a change).
        var watch = f.Ns.Start(OutgateCli.DotnetPath, OutgateCli.Dll, "connections", "--watch", "0.5", "--count", "20", "-t", "--port", "18099");
        var header = await watch.StandardOutput.ReadLineAsync(ct);
        Assert.StartsWith("PROTO", header);
        await using var _ = await StartListener(18099);
        var rest = await watch.StandardOutput.ReadToEndAsync(ct);
        await watch.WaitForExitAsync(ct);
        Assert.Equal(0, watch.ExitCode);
        Assert.Contains(rest.Split('\n'), l => l.StartsWith("+ ", StringComparison.Ordinal) && l.Contains(":18099"));
    }

    private async Task<IAsyncDisposable> StartListener(int port)
    {
        var p = f.Ns.Start(ConnectionsFixture.Python, "-c", $"import socket,time; s=socket.socket(); s.bind(('127.0.0.1',{port})); s.listen(); print('ready',flush=True); time.sleep(30)");
        await p.StandardOutput.ReadLineAsync();
        return new Killer(p);
    }

    private sealed class Killer(System.Diagnostics.Process p) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() { try { p.Kill(); } catch (InvalidOperationException) { } return ValueTask.CompletedTask; }
    }

    [Fact]
    public async Task Normal_user_sees_sockets_but_is_told_root_shows_all_owners()
    {
        SkipUnlessReady();
        var r = await OutgateCli.RunAsync(f.Ns, ["connections", "--json", "-l", "-t"], asUid: 65534);
        Assert.True(r.ExitCode == 0, r.ToString());
        var doc = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.False(doc.GetProperty("complete").GetBoolean());
        var rows = doc.GetProperty("connections").EnumerateArray().ToList();
        var own = Single(rows, "tcp", 18081, "LISTEN");
        Assert.Equal(f.Nobody.Id, own.GetProperty("pid").GetInt32());
        var roots = Single(rows, "tcp", 18080, "LISTEN");
        Assert.Equal(JsonValueKind.Null, roots.GetProperty("pid").ValueKind);
        Assert.Contains("run as root", r.StdErr);
    }

    [Theory]
    [InlineData(new[] { "--port", "70000" }, "bad port '70000'")]
    [InlineData(new[] { "--remote", "10.0.0.300" }, "bad --remote '10.0.0.300'")]
    [InlineData(new[] { "--state", "dancing" }, "bad --state 'dancing'")]
    [InlineData(new[] { "--pid", "abc" }, "bad --pid 'abc'")]
    [InlineData(new[] { "--frobnicate" }, "'--frobnicate'")]
    [InlineData(new[] { "--json", "--csv" }, "cannot be combined")]
    [InlineData(new[] { "--watch", "0" }, "bad --watch interval '0'")]
    public async Task Bad_input_exits_1_with_a_message_naming_the_problem(string[] args, string expected)
    {
        SkipUnlessReady();
        var r = await OutgateCli.RunAsync(f.Ns, ["connections", .. args]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.StdErr);
        Assert.Equal("", r.StdOut.Trim());
    }
}
