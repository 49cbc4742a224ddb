using System.Net;
using Outgate.Daemon.Decisions;
using Outgate.Daemon.Options;
using Outgate.Daemon.Policy;
using Outgate.Daemon.Queue;
using Outgate.Policy;

namespace Outgate.Daemon.Prompts;

/// <summary>
/// Applies a user's answer: releases the prompt's waiting connections with the verdict and, unless
/// the answer is for this once, adds a rule about the program to the policy files (so it shows in
/// <c>outgate status</c> and survives restarts) and reloads the policy.
/// </summary>
public sealed class PromptAnswers(DaemonOptions options, PromptBook book, QueueService queue, LivePolicy policy, TimeProvider time)
{
    private readonly Lock _editLock = new();

    public AnswerOutcome Answer(long id, AppVerdict verdict, RuleLifetime lifetime, AnswerScope scope)
    {
        var prompt = book.Take(id);
        if (prompt is null) return AnswerOutcome.NotFound;
        string? ruleText = null;
        string? note = null;
        if (lifetime.Kind != RuleLifetimeKind.Once)
        {
            if (prompt.Process.ExecutablePath is null)
                note = "the program could not be identified, so no rule was saved: this answer applied once";
            else
            {
                var rule = RuleFor(prompt, verdict, lifetime, scope);
                var error = Save(rule);
                if (error is null) ruleText = rule.ToUfwString();
                else note = $"the rule could not be saved ({error}): this answer applied once";
            }
        }
        queue.Release(prompt, verdict, ruleText is null ? $"prompt {id} answered {Name(verdict)} once" : $"prompt {id} answered: {ruleText}");
        return new AnswerOutcome(true, ruleText, prompt.Waiting.Count, note);
    }

    private Rule RuleFor(Prompt prompt, AppVerdict verdict, RuleLifetime lifetime, AnswerScope scope)
    {
        var now = time.GetUtcNow();
        var host = IPAddress.Parse(prompt.Key.Destination);
        var hasPorts = prompt.Key.Protocol is 6 or 17;
        return new Rule
        {
            Action = verdict == AppVerdict.Deny ? RuleAction.Deny : RuleAction.Allow,
            Direction = Direction.Out,
            Subject = new RuleSubject { App = prompt.Process.ExecutablePath },
            To = scope == AnswerScope.AppAndHost ? new IPNetwork(host, host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128) : null,
            ToPort = scope != AnswerScope.App && hasPorts ? new PortSpec([new PortRange(prompt.Key.Port, prompt.Key.Port)]) : null,
            Protocol = scope != AnswerScope.App && hasPorts ? (prompt.Key.Protocol == 6 ? Protocol.Tcp : Protocol.Udp) : Protocol.Any,
            Expires = lifetime.ExpiresFrom(now),
            BootId = lifetime.Kind == RuleLifetimeKind.UntilReboot ? LivePolicy.CurrentBootId : null,
            Comment = $"prompt {prompt.Id}",
        };
    }

    /// <summary>Adds the rule to the policy files and reloads; returns why not, or null.</summary>
    private string? Save(Rule rule)
    {
        lock (_editLock)
        {
            try
            {
                var loaded = PolicyFileSet.Load(options.ConfigDirectory);
                if (!loaded.Succeeded) return string.Join("; ", loaded.Errors);
                var edit = loaded.FileSet!.AddRule(rule);
                if (edit.Errors.Count > 0) return string.Join("; ", edit.Errors);
                edit.Commit();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidRuleException or FormatException)
            {
                return ex.Message;
            }
            var errors = policy.Reload();
            return errors.Count == 0 ? null : string.Join("; ", errors);
        }
    }

    public static string Name(AppVerdict verdict) => verdict == AppVerdict.Deny ? "deny" : "allow";
}

/// <summary>What a prompt answer's rule covers: the program anywhere, on this host, or on this port.</summary>
public enum AnswerScope
{
    App,
    AppAndHost,
    AppAndPort,
}

/// <summary>The result of <see cref="PromptAnswers.Answer"/>.</summary>
public sealed record AnswerOutcome(bool Found, string? Rule, int Released, string? Note)
{
    public static AnswerOutcome NotFound { get; } = new(false, null, 0, null);
}
