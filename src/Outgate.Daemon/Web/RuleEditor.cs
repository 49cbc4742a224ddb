using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Policy;

namespace Outgate.Daemon.Web;

/// <summary>
/// The dashboard's rule editor: runs an <c>outgate allow|deny|reject|limit|route|insert|delete|default|logging|dns-required|block-doh</c>
/// edit through the same code as the CLI (<see cref="UfwGrammar.ParseCommand"/>, <see cref="PolicyFileSet.Apply"/>), under
/// the CLI's lock file <c>STATE_DIR/lock</c>, then reloads the live policy the way <see cref="PolicyWatchService"/> does.
/// Messages are the CLI's, word for word, so the page and the terminal say the same thing.
/// </summary>
public sealed class RuleEditor(DaemonOptions options, LivePolicy live)
{
    public static readonly IReadOnlyList<string> Verbs =
        ["allow", "deny", "reject", "limit", "route", "insert", "delete", "default", "logging", "dns-required", "block-doh"];

    private readonly Lock _lock = new();

    public RuleEditOutcome Edit(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0 || !Verbs.Contains(tokens[0]))
            return RuleEditOutcome.Refused(
                tokens.Count == 0 ? "ERROR: Empty command" : $"ERROR: '{Options.DaemonCommandLine.Escape(tokens[0])}' is not a policy edit",
                $"start with one of: {string.Join(", ", Verbs)} (as after `outgate`)");
        var verb = tokens[0];
        foreach (var t in tokens.Skip(1))
            if (t.StartsWith("--", StringComparison.Ordinal))
                return RuleEditOutcome.Refused($"ERROR: Unknown option '{t}' for '{verb}'",
                    "the dashboard takes the rule only; --dry-run, --confirm-within and --for are for the command line");

        var parsed = UfwGrammar.ParseCommand(tokens);
        if (!parsed.Succeeded)
        {
            var lines = parsed.Errors.Select(e => e.ToString()).ToList();
            if (lines.Count == 0) lines.Add($"ERROR: Invalid syntax: outgate {string.Join(' ', tokens)}");
            return RuleEditOutcome.Refused(lines);
        }
        lock (_lock)
        {
            using var stateLock = StateDirectoryLock.TryAcquire(options.StateDirectory, TimeSpan.FromSeconds(10));
            if (stateLock is null)
                return RuleEditOutcome.Refused($"outgate: another outgate command holds {Path.Combine(options.StateDirectory, StateDirectoryLock.FileName)} (waited 10 s); nothing was changed",
                    "try again when that command has finished");
            var load = PolicyFileSet.Load(options.ConfigDirectory);
            if (!load.Succeeded)
                return RuleEditOutcome.Refused(["outgate: the policy files have errors; nothing was changed and the running ruleset is untouched:", .. load.Errors.Select(e => "  " + e)]);
            var edit = load.FileSet.Apply(parsed.Value!);
            switch (edit.Outcome)
            {
                case PolicyEditOutcome.Invalid:
                    return edit.Errors.Count == 0
                        ? RuleEditOutcome.Refused($"ERROR: {edit.Message}")
                        : RuleEditOutcome.Refused([$"ERROR: {edit.Message}", "The change would make the policy invalid; nothing was changed:", .. edit.Errors.Select(e => "  " + e)]);
                case PolicyEditOutcome.NotFound:
                    return RuleEditOutcome.Refused(edit.Message);
                case PolicyEditOutcome.Unchanged:
                    return new RuleEditOutcome(true, false, edit.Message, [], null);
            }
            if (!edit.Changed) return RuleEditOutcome.Refused($"ERROR: {edit.Message}");
            edit.Commit();
            var errors = live.Reload();
            if (errors.Count > 0)
                return new RuleEditOutcome(true, true, edit.Message, [], $"the files were written but the daemon could not load them: {string.Join("; ", errors)}");
            return new RuleEditOutcome(true, true, edit.Message, [], KernelNote());
        }
    }

    /// <summary>
    /// The daemon decides program/user/unit/container rules itself (in force now); the nftables table is the CLI's
    /// (<c>outgate enable/reload</c>): when the firewall is enabled, say so rather than silently leaving it behind.
    /// </summary>
    private string? KernelNote()
    {
        var state = Path.Combine(options.StateDirectory, "outgate.conf");
        try
        {
            if (File.Exists(state) && File.ReadAllLines(state).Any(l => l.Trim() == "ENABLED=yes"))
                return "in force for the daemon's decisions now; run `sudo outgate reload` to rebuild the kernel table for port and address rules";
        }
        catch (IOException) { }
        return null;
    }

    /// <summary>The policy's rules as the editor lists them.</summary>
    public RulesResponse List()
    {
        var load = PolicyFileSet.Load(options.ConfigDirectory);
        if (!load.Succeeded)
        {
            var current = live.Current.Policy;
            return new RulesResponse(Views(current.Rules, null), current.Defaults.Outgoing.ToString().ToLowerInvariant(),
                current.Defaults.Incoming.ToString().ToLowerInvariant(), load.Errors.Select(e => e.ToString()).ToList());
        }
        var policy = load.FileSet.Policy;
        return new RulesResponse(Views(policy.Rules, load.FileSet.Origins), policy.Defaults.Outgoing.ToString().ToLowerInvariant(),
            policy.Defaults.Incoming.ToString().ToLowerInvariant(), []);
    }

    private static List<RuleView> Views(IReadOnlyList<Rule> rules, IReadOnlyList<RuleOrigin>? origins)
    {
        var now = DateTimeOffset.UtcNow;
        return rules.Select((r, i) => new RuleView(i + 1, r.ToUfwString(), r.Action.ToString().ToLowerInvariant(), r.Comment,
            origins is not null && i < origins.Count ? origins[i].ToString() : null, r.Expires, r.Expires is { } e && e <= now)).ToList();
    }
}

/// <summary>What <see cref="RuleEditor.Edit"/> did; <see cref="Errors"/> are the CLI's lines when it refused.</summary>
public sealed record RuleEditOutcome(bool Ok, bool Changed, string Message, IReadOnlyList<string> Errors, string? Note)
{
    public static RuleEditOutcome Refused(string line, string? hint = null) =>
        new(false, false, line, hint is null ? [line] : [line, "Hint: " + hint], null);

    public static RuleEditOutcome Refused(IReadOnlyList<string> lines) => new(false, false, lines[0], lines, null);
}
