using System.Text;
using CsCheck;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

/// <summary>
/// Garbage in: every parser answers false (or a value) and never throws or hangs. Each property
/// runs on a worker with a timeout, so a hang fails the test instead of stalling the run.
/// </summary>
public class ParserFuzzTests
{
    private const long Iterations = 20_000;

    /// <summary>Random bytes biased towards the separators the parsers look for.</summary>
    private static readonly Gen<byte[]> Garbage = Gen.Frequency(
        (1, Gen.Byte.Array[0, 300]),
        (3, Gen.Char["()/:- \n\t\0[]0123456789abcdef.slicescopedockerlibpod-lxc.payload.socket:UidName{}\""].Select(c => (byte)c).Array[0, 200]));

    private static Task Run(Action body, CancellationToken cancellationToken) => Task.Run(body, cancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Stat_parser_never_throws() =>
        Run(() => Garbage.Sample(b => { ProcStatParser.TryParse(b, out _); }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Status_parser_never_throws() =>
        Run(() => Garbage.Sample(b => { ProcStatusParser.TryParseRealUid(b, out _); }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Cgroup_parsers_never_throw() =>
        Run(() => Garbage.Sample(b =>
        {
            if (CgroupFileParser.TrySelectPath(b, out var path))
            {
                Assert.StartsWith("/", path);
                CgroupPathParser.TryGetSystemdUnit(path, out _);
                CgroupPathParser.TryGetContainer(path, out _);
            }
            var s = Encoding.UTF8.GetString(b);
            CgroupPathParser.TryGetSystemdUnit(s, out _);
            CgroupPathParser.TryGetContainer(s, out _);
        }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Passwd_parser_never_throws() =>
        Run(() => Garbage.Sample(b => { PasswdFileParser.Parse(Encoding.UTF8.GetString(b)); }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Command_line_formatter_never_throws() =>
        Run(() => Garbage.Sample(b => { Assert.NotNull(CommandLineFormatter.Format(b)); }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Docker_config_parser_never_throws() =>
        Run(() => Garbage.Sample(b => { DockerConfigParser.TryGetName(b, out _); }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Socket_link_and_pid_parsers_never_throw() =>
        Run(() => Garbage.Sample(b =>
        {
            SocketOwnerIndex.TryParseSocketLink(b, out _);
            SocketOwnerIndex.TryParsePid(b, out _);
        }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Directory_entry_reader_never_throws_or_loops_on_garbage() =>
        Run(() => Garbage.Sample(b =>
        {
            var reader = new DirectoryEntryReader(b);
            var entries = 0;
            while (reader.MoveNext()) Assert.True(++entries <= b.Length / 20 + 1);
        }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Stat_comm_round_trips_whatever_it_contains() =>
        Run(() => Gen.Select(Gen.Int[1, int.MaxValue], Gen.String[Gen.Char["()ab x)(:-"], 0, 20], Gen.Int[0, int.MaxValue], Gen.ULong)
            .Sample((pid, comm, ppid, start) =>
            {
                var text = $"{pid} ({comm}) S {ppid} 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 {start} 0 0 0\n";
                Assert.True(ProcStatParser.TryParse(Encoding.UTF8.GetBytes(text), out var stat));
                Assert.Equal(new ProcStat(pid, comm, 'S', ppid, start), stat);
            }, iter: Iterations), TestContext.Current.CancellationToken);

    [Fact(Timeout = 60_000)]
    public Task Command_line_quoting_round_trips_through_a_posix_shell_split() =>
        Run(() => Gen.String[Gen.Char["ab '\"$\\x"], 0, 8].Array[2, 5].Sample(args =>
        {
            var raw = string.Join('\0', args) + "\0";
            var line = CommandLineFormatter.Format(Encoding.UTF8.GetBytes(raw));
            // Trailing empty arguments vanish with the trailing-NUL trim, like ps does.
            var expected = args.Reverse().SkipWhile(a => a.Length == 0).Reverse().ToArray();
            if (expected.Length <= 1) return;
            Assert.Equal(expected, PosixSplit(line));
        }, iter: Iterations), TestContext.Current.CancellationToken);

    /// <summary>Minimal POSIX word splitting for the quoting the formatter produces (bare words, '…' and \\x).</summary>
    private static string[] PosixSplit(string line)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        bool inWord = false, inQuote = false, escaped = false;
        foreach (var c in line)
        {
            if (escaped) { sb.Append(c); escaped = false; }
            else if (inQuote)
            {
                if (c == '\'') inQuote = false; else sb.Append(c);
            }
            else if (c == '\'') { inQuote = true; inWord = true; }
            else if (c == '\\') { escaped = true; inWord = true; }
            else if (c == ' ') { if (inWord) { words.Add(sb.ToString()); sb.Clear(); inWord = false; } }
            else { sb.Append(c); inWord = true; }
        }
        if (inWord) words.Add(sb.ToString());
        return [.. words];
    }
}
