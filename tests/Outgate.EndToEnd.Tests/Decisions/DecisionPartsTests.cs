using Microsoft.Extensions.Time.Testing;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Options;
using Outgate.Daemon.Prompts;
using Outgate.Daemon.Queue;
using Outgate.Policy;

namespace Outgate.EndToEnd.Tests.Decisions;

/// <summary>The daemon's decision parts that need no kernel: marks, cache, prompt book, options.</summary>
public sealed class DecisionPartsTests
{
    private static readonly ProcessFacts Curl = new() { Pid = 42, ExecutablePath = "/usr/bin/curl", Uid = 1000 };

    [Theory]
    [InlineData(AppVerdict.Allow, 0x0080_0000u, 0x0020_0000u)]
    [InlineData(AppVerdict.Deny, 0x0080_0000u, 0x0040_0000u)]
    [InlineData(AppVerdict.Pass, 0x0080_0000u, 0u)]
    [InlineData(AppVerdict.Allow, 0x0080_00cau, 0x0020_00cau)] // other bits (e.g. a VPN's fwmark) survive
    [InlineData(AppVerdict.Pass, 0x0060_0001u, 0x1u)]
    public void Verdict_marks_replace_only_our_bits(AppVerdict verdict, uint mark, uint expected) =>
        Assert.Equal(expected, VerdictMarks.For(verdict, mark));

    [Fact]
    public void Cached_decisions_go_stale_with_a_new_policy_generation_a_mode_switch_or_expiry()
    {
        var cache = new DecisionCache();
        var key = DecisionKey.Of(Curl, 0x0A000002, 443, 6, false, 2);
        var now = DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var decision = new ConnectionDecision(AppVerdict.Allow, "allow", "rule 1", false, now.AddMinutes(5), []);
        cache.Add(key, 1, 2, decision);
        Assert.True(cache.TryGet(key, 1, 2, now, out var hit));
        Assert.Same(decision, hit);
        Assert.False(cache.TryGet(key, 2, 2, now, out _), "reloaded policy");
        Assert.False(cache.TryGet(key, 1, 3, now, out _), "other mode");
        Assert.False(cache.TryGet(key, 1, 2, now.AddMinutes(6), out _), "the rule expired");
        Assert.False(cache.TryGet(key with { Port = 80 }, 1, 2, now, out _), "other port");
        Assert.False(cache.TryGet(key with { Executable = "/usr/bin/wget" }, 1, 2, now, out _), "other program");
    }

    [Fact]
    public void Prompts_are_never_cached_and_a_full_cache_starts_over()
    {
        var cache = new DecisionCache(capacity: 2);
        var now = DateTimeOffset.UtcNow;
        cache.Add(DecisionKey.Of(Curl, 1, 1, 6, false, 0), 1, 1, new ConnectionDecision(AppVerdict.Pass, "prompt", "asking", true, null, []));
        Assert.Equal(0, cache.Count);
        for (ushort port = 1; port <= 3; port++)
            cache.Add(DecisionKey.Of(Curl, 1, port, 6, false, 0), 1, 1, new ConnectionDecision(AppVerdict.Allow, "allow", "rule 1", false, null, []));
        Assert.True(cache.Count <= 2);
        Assert.True(cache.TryGet(DecisionKey.Of(Curl, 1, 3, 6, false, 0), 1, 1, now, out _), "the newest entry is kept");
    }

    [Fact]
    public void Identical_questions_coalesce_into_one_prompt_and_expire_together()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var book = new PromptBook(time);
        var key = new PromptKey("/usr/bin/curl", 1000, "10.0.0.2", 443, 6);
        var a = book.Park(key, Curl, new QueuedPacketRef(10, 1, 0), TimeSpan.FromSeconds(30));
        var b = book.Park(key, Curl, new QueuedPacketRef(11, 7, 0), TimeSpan.FromSeconds(30));
        var other = book.Park(key with { Port = 80 }, Curl, new QueuedPacketRef(10, 2, 0), TimeSpan.FromSeconds(30));
        Assert.Same(a, b);
        Assert.NotSame(a, other);
        Assert.Equal(2, a!.Waiting.Count);
        Assert.Equal(2, book.Count);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(book.TakeExpired());
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, book.TakeExpired().Count);
        Assert.Equal(0, book.Count);
        Assert.Null(book.Take(a.Id));
    }

    [Fact]
    public void An_answered_prompt_is_gone_and_the_book_is_bounded()
    {
        var book = new PromptBook(TimeProvider.System);
        var first = book.Park(new PromptKey("/bin/a", 0, "10.0.0.1", 1, 6), Curl, new QueuedPacketRef(0, 1, 0), TimeSpan.FromMinutes(1))!;
        Assert.Same(first, book.Take(first.Id));
        Assert.Null(book.Take(first.Id));
        for (var i = 0; i < PromptBook.MaxPrompts; i++)
            Assert.NotNull(book.Park(new PromptKey("/bin/a", 0, "10.0.0.1", (ushort)(i + 1), 6), Curl, new QueuedPacketRef(0, (uint)i, 0), TimeSpan.FromMinutes(1)));
        Assert.Null(book.Park(new PromptKey("/bin/b", 0, "10.0.0.1", 1, 6), Curl, new QueuedPacketRef(0, 9999, 0), TimeSpan.FromMinutes(1)));
        var key = new PromptKey("/bin/a", 0, "10.0.0.1", 1, 6);
        for (var i = 1; i < PromptBook.MaxWaitingPerPrompt; i++) Assert.NotNull(book.Park(key, Curl, new QueuedPacketRef(0, (uint)(10_000 + i), 0), TimeSpan.FromMinutes(1)));
        Assert.Null(book.Park(key, Curl, new QueuedPacketRef(0, 20_000, 0), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Daemon_queue_and_prompt_options_are_parsed_and_bad_values_explained()
    {
        var r = DaemonCommandLine.Parse(["--queue-num", "20", "--queues", "3", "--prompt-timeout", "5s", "--prompt-default", "allow", "--no-kernel"], _ => null);
        Assert.Empty(r.Errors);
        Assert.Equal((20, 3, TimeSpan.FromSeconds(5), AppVerdict.Allow, false), ((int)r.Options.FirstQueue, r.Options.QueueCount, r.Options.PromptTimeout, r.Options.PromptDefault, r.Options.Kernel));
        var bad = DaemonCommandLine.Parse(["--queues", "0", "--prompt-timeout", "2h", "--prompt-default", "maybe", "--queue-num", "x"], _ => null);
        Assert.Equal(4, bad.Errors.Count);
        Assert.Contains(bad.Errors, e => e.Contains("--prompt-default", StringComparison.Ordinal) && e.Contains("allow or deny", StringComparison.Ordinal));
    }

    [Fact]
    public void The_mode_survives_a_restart_unless_one_is_given()
    {
        var dir = Directory.CreateTempSubdirectory("og-mode-").FullName;
        try
        {
            var options = new DaemonOptions { StateDirectory = dir };
            new Outgate.Daemon.Hosting.ModeState(options).Switch(DaemonMode.Enforce);
            Assert.Equal(DaemonMode.Enforce, new Outgate.Daemon.Hosting.ModeState(options).Current);
            Assert.Equal(DaemonMode.Learn, new Outgate.Daemon.Hosting.ModeState(options with { Mode = DaemonMode.Learn, ModeGiven = true }).Current);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
