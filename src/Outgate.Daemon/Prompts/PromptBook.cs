using Outgate.Policy;

namespace Outgate.Daemon.Prompts;

/// <summary>
/// Connections waiting for the user (interactive mode). Identical questions — same program, user,
/// destination, port and protocol — coalesce into one prompt that holds every waiting packet; an
/// answer or the timeout releases them all. Bounded: beyond <see cref="MaxPrompts"/> open prompts
/// or <see cref="MaxWaitingPerPrompt"/> packets on one, new connections get the timeout verdict at
/// once (a flood of prompts must not hold the kernel queue). Thread-safe.
/// </summary>
public sealed class PromptBook(TimeProvider time)
{
    public const int MaxPrompts = 256;
    public const int MaxWaitingPerPrompt = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<PromptKey, Prompt> _byKey = [];
    private readonly Dictionary<long, Prompt> _byId = [];
    private long _nextId;

    public int Count
    {
        get { lock (_lock) return _byId.Count; }
    }

    /// <summary>
    /// Parks <paramref name="packet"/> on the prompt for <paramref name="key"/> (creating it).
    /// Returns null when the book is full (answer the packet with the timeout verdict now).
    /// </summary>
    public Prompt? Park(PromptKey key, ProcessFacts process, QueuedPacketRef packet, TimeSpan timeout)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var prompt))
            {
                if (_byId.Count >= MaxPrompts) return null;
                var now = time.GetUtcNow();
                prompt = new Prompt(++_nextId, key, process, now, now + timeout);
                _byKey[key] = prompt;
                _byId[prompt.Id] = prompt;
            }
            if (prompt.Waiting.Count >= MaxWaitingPerPrompt) return null;
            prompt.Waiting.Add(packet);
            return prompt;
        }
    }

    public IReadOnlyList<Prompt> Pending()
    {
        lock (_lock) return _byId.Values.OrderBy(p => p.Id).ToList();
    }

    /// <summary>Removes the prompt and returns it with its waiting packets; null when unknown, answered or expired.</summary>
    public Prompt? Take(long id)
    {
        lock (_lock)
        {
            if (!_byId.Remove(id, out var prompt)) return null;
            _byKey.Remove(prompt.Key);
            return prompt;
        }
    }

    /// <summary>Removes and returns every open prompt (daemon stopping).</summary>
    public IReadOnlyList<Prompt> TakeAll()
    {
        lock (_lock)
        {
            var all = _byId.Values.ToList();
            _byId.Clear();
            _byKey.Clear();
            return all;
        }
    }

    /// <summary>Removes and returns every prompt whose time is up.</summary>
    public IReadOnlyList<Prompt> TakeExpired()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_byId.Count == 0) return [];
            var expired = _byId.Values.Where(p => p.ExpiresAt <= now).ToList();
            foreach (var p in expired)
            {
                _byId.Remove(p.Id);
                _byKey.Remove(p.Key);
            }
            return expired;
        }
    }
}

/// <summary>What makes two prompts the same question.</summary>
public readonly record struct PromptKey(string? Executable, uint Uid, string Destination, ushort Port, byte Protocol);

/// <summary>A packet held in the kernel queue: its queue number, packet id and mark at queueing time.</summary>
public readonly record struct QueuedPacketRef(ushort Queue, uint Id, uint Mark);

/// <summary>One open question to the user.</summary>
public sealed class Prompt(long id, PromptKey key, ProcessFacts process, DateTimeOffset createdAt, DateTimeOffset expiresAt)
{
    public long Id { get; } = id;
    public PromptKey Key { get; } = key;
    public ProcessFacts Process { get; } = process;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Packets held for this prompt (guarded by the book's lock until taken).</summary>
    public List<QueuedPacketRef> Waiting { get; } = [];
}
