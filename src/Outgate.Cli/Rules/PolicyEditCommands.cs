using System.CommandLine;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary>
/// The ufw verbs that edit the policy: <c>allow|deny|reject|limit|route|insert|delete|default|logging</c>,
/// and Outgate's own switches <c>dns-required on|off</c> and <c>block-doh on|off</c>.
/// Each parses its tokens with <see cref="UfwGrammar"/>, edits the TOML files through
/// <see cref="PolicyFileSet"/>, and — when the firewall is enabled — applies the new ruleset first
/// and writes the files only if the kernel took it.
/// </summary>
public static class PolicyEditCommands
{
    public static Command Allow() => Create("allow", "Add a rule that allows traffic, e.g. `allow out 443/tcp`, `allow out on tun0 to any port 53 proto udp`");
    public static Command Deny() => Create("deny", "Add a rule that drops traffic, e.g. `deny out to 10.0.0.0/8`");
    public static Command Reject() => Create("reject", "Add a rule that rejects traffic (RST / ICMP unreachable)");
    public static Command Limit() => Create("limit", "Add a rule that allows traffic but rate-limits new connections (6 in 30 s per source)");
    public static Command Route() => Create("route", "Add a rule for forwarded traffic, e.g. `route allow in on eth1 out on eth2`");
    public static Command Insert() => Create("insert", "Insert a rule before rule N: `insert N allow out 443`");
    public static Command Delete() => Create("delete", "Delete rule N (see `status numbered`) or the rule written out: `delete allow out 443`");
    public static Command Default() => Create("default", "Set a default policy: `default allow|deny|reject incoming|outgoing|routed`");
    public static Command Logging() => Create("logging", "Set the logging level: `logging off|on|low|medium|high|full`");
    public static Command DnsRequired() => Create("dns-required", "Refuse new connections to addresses no DNS answer gave (DNS, loopback and allow rules' explicit addresses excepted): `dns-required on|off`");
    public static Command BlockDoh() => Create("block-doh", "Refuse 443/853 to the shipped list of public DNS-over-HTTPS/TLS resolvers, so apps cannot bypass domain rules: `block-doh on|off`");

    private static Command Create(string verb, string description)
    {
        var tokens = new Argument<string[]>("tokens") { Arity = ArgumentArity.ZeroOrMore, Description = "ufw-style rule tokens" };
        var cmd = new Command(verb, description) { tokens };
        cmd.SetAction(parse => FirewallCommandContext.Run(parse, ctx => Execute(ctx, verb, parse.GetValue(tokens) ?? [])));
        return cmd;
    }

    internal static int Execute(FirewallCommandContext ctx, string verb, string[] tokens)
    {
        FirewallCommandContext.CheckTokens(verb, tokens);
        var parsed = UfwGrammar.ParseCommand([verb, .. tokens]);
        if (!parsed.Succeeded)
        {
            foreach (var e in parsed.Errors) ctx.Error.WriteLine(e);
            if (parsed.Errors.Count == 0) ctx.Error.WriteLine($"ERROR: Invalid syntax: outgate {verb} {string.Join(' ', tokens)}");
            return ExitCodes.BadInput;
        }
        var command = RuleLifetimeOption.Apply(parsed.Value, ctx.Lifetime, DateTimeOffset.UtcNow, BootIdFile.TryRead);
        using var stateLock = ctx.DryRun ? null : StateLock.Acquire(ctx.Paths);
        var edit = ctx.LoadPolicy().Apply(command);
        switch (edit.Outcome)
        {
            case PolicyEditOutcome.Invalid:
                if (edit.Errors.Count == 0) throw new FirewallException(ExitCodes.BadInput, $"ERROR: {edit.Message}");
                throw new FirewallException(ExitCodes.BadInput,
                    $"ERROR: {edit.Message}\nThe change would make the policy invalid; nothing was changed:\n{string.Join('\n', edit.Errors.Select(e => "  " + e))}");
            case PolicyEditOutcome.NotFound:
                ctx.Error.WriteLine(edit.Message);
                return ExitCodes.BadInput;
            case PolicyEditOutcome.Unchanged:
                ctx.Out.WriteLine(edit.Message);
                return ExitCodes.Ok;
        }
        if (!edit.Changed) throw new FirewallException(ExitCodes.BadInput, $"ERROR: {edit.Message}");
        if (ctx.DryRun)
        {
            ctx.Out.Write(FirewallCommandContext.Compile(edit.FileSet.Policy).Text);
            ctx.Out.WriteLine(edit.Message);
            return ExitCodes.Ok;
        }
        DateTimeOffset? deadline = null;
        if (FirewallState.IsEnabled(ctx.Paths))
        {
            var ruleset = FirewallCommandContext.Compile(edit.FileSet.Policy);
            deadline = KernelChange.Apply(ctx, ruleset, edit.Commit);
        }
        else
        {
            edit.Commit();
            if (ctx.ConfirmWithin is not null)
                ctx.Error.WriteLine("note: the firewall is disabled, so nothing was applied and --confirm-within has nothing to guard");
        }
        ctx.Out.WriteLine(edit.Message);
        KernelChange.ReportPending(ctx, deadline);
        return ExitCodes.Ok;
    }
}
