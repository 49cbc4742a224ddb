namespace Outgate.Policy;

/// <summary>
/// The result of an edit, computed in memory: <see cref="FileSet"/> is the policy as it will be after
/// <see cref="Commit"/> (use it for <c>--dry-run</c> or to compile and apply before writing), <see cref="Message"/>
/// is what ufw would print (<c>Rule added</c>, <c>Rule deleted</c>, <c>Skipping adding existing rule</c>,
/// <c>Default outgoing policy changed to 'deny'</c>...).
/// </summary>
public sealed record PolicyEditResult(
    PolicyEditOutcome Outcome,
    string Message,
    PolicyFileSet? FileSet,
    IReadOnlyList<PolicyFileWrite> Writes,
    IReadOnlyList<PolicyError> Errors)
{
    /// <summary>True when the edit changed the policy and validated.</summary>
    [MemberNotNullWhen(true, nameof(FileSet))]
    public bool Changed => Outcome == PolicyEditOutcome.Changed && FileSet is not null;

    /// <summary>
    /// Writes the changed files atomically (temp file in the same directory, fsync, rename), creating the config
    /// directory and <c>rules.d</c> when needed. Does nothing unless <see cref="Changed"/>. Throws <see cref="IOException"/>
    /// or <see cref="UnauthorizedAccessException"/> from the file system.
    /// </summary>
    public void Commit() => PolicyFileWriter.WriteAll(Writes, Changed);
}
