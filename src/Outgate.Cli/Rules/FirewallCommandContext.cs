using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Outgate.Cli.Firewall;
using Outgate.Policy;

namespace Outgate.Cli.Rules;

/// <summary>What every firewall command needs: the directories, the shared options, and error handling that turns failures into exit codes.</summary>
public sealed class FirewallCommandContext
{
    private FirewallCommandContext(ParseResult parse)
    {
        Paths = ResolvePaths(parse);
        DryRun = parse.GetValue(RuleOptions.DryRun);
        Force = parse.GetValue(RuleOptions.Force);
        ConfirmWithin = ParseWindow(parse.GetValue(RuleOptions.ConfirmWithin));
        Lifetime = RuleLifetimeOption.Parse(parse.GetValue(RuleOptions.For));
    }

    public FirewallPaths Paths { get; }

    /// <summary>
    /// --state-dir, or — when only --config-dir was given (<c>ip netns exec NS outgate --config-dir D enable</c>) —
    /// <c>D/.state</c>, so an instance in a namespace never shares ENABLED, snapshots or pending rollbacks with the
    /// host's /var/lib/outgate or with other namespaces.
    /// </summary>
    private static FirewallPaths ResolvePaths(ParseResult parse)
    {
        var config = parse.GetValue(GlobalOptions.ConfigDir)!;
        var state = parse.GetValue(GlobalOptions.StateDir)!;
        var stateGiven = parse.GetResult(GlobalOptions.StateDir) is { Implicit: false }
            || Environment.GetEnvironmentVariable("OUTGATE_STATE_DIR") is { Length: > 0 };
        var paths = new FirewallPaths(config, state);
        return stateGiven || paths.IsSystemConfig ? paths : paths with { StateDir = Path.Combine(config, ".state") };
    }
    public bool DryRun { get; }
    public bool Force { get; }
    public TimeSpan? ConfirmWithin { get; }

    /// <summary>The <c>--for</c> lifetime of rules this command adds; null when not given.</summary>
    public RuleLifetime? Lifetime { get; }
    public TextWriter Out { get; } = Console.Out;
    public TextWriter Error { get; } = Console.Error;

    /// <summary>Runs a command body; <see cref="FirewallException"/>s and file errors become their message on stderr and an exit code.</summary>
    public static int Run(ParseResult parse, Func<FirewallCommandContext, int> body)
    {
        try
        {
            return body(new FirewallCommandContext(parse));
        }
        catch (FirewallException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"outgate: {ex.Message}");
            Console.Error.WriteLine(Environment.IsPrivilegedProcess ? "Nothing else was changed." : "Try again as root (sudo).");
            return ExitCodes.FileError;
        }
    }

    /// <summary>Loads the policy directory; every error in every file is printed and the command ends with exit code 1.</summary>
    public PolicyFileSet LoadPolicy()
    {
        var load = PolicyFileSet.Load(Paths.ConfigDir);
        if (load.Succeeded) return load.FileSet;
        throw BadPolicy(load.Errors);
    }

    public static FirewallException BadPolicy(IReadOnlyList<PolicyError> errors) =>
        new(ExitCodes.BadInput,
            $"outgate: the policy files have errors; nothing was changed and the running ruleset is untouched:\n{string.Join('\n', errors.Select(e => "  " + e))}");

    public static NftRuleset Compile(FirewallPolicy policy) => FirewallCompiler.Compile(policy);

    /// <summary>Rejects option-like tokens that System.CommandLine left in a token list (it passes unknown --flags through).</summary>
    public static void CheckTokens(string command, IReadOnlyList<string> tokens)
    {
        foreach (var t in tokens)
            if (t.StartsWith("--", StringComparison.Ordinal))
                ThrowUnknownOption(command, t);
    }

    [DoesNotReturn]
    private static void ThrowUnknownOption(string command, string token) =>
        throw new FirewallException(ExitCodes.BadInput, $"ERROR: Unknown option '{token}' for '{command}'\nHint: see `outgate {command} --help`; global options (--dry-run, --confirm-within, --force) are spelled exactly so");

    private static TimeSpan? ParseWindow(string? text)
    {
        if (text is null) return null;
        var t = text.Trim().ToLowerInvariant();
        var unit = t.Length > 0 && char.IsAsciiLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsAsciiLetter(t.Length > 0 ? t[^1] : '0') ? t[..^1] : t;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || unit is not ('s' or 'm' or 'h'))
            throw new FirewallException(ExitCodes.BadInput, $"ERROR: Bad --confirm-within '{text}'\nHint: a positive number of seconds, or with a unit: 90s, 5m, 1h");
        var span = unit switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromSeconds(n) };
        if (span > RollbackGuard.MaxWindow)
            throw new FirewallException(ExitCodes.BadInput, $"ERROR: --confirm-within '{text}' is longer than {RollbackGuard.MaxWindow.TotalHours:F0}h");
        return span;
    }
}
