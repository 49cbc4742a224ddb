namespace Outgate.Policy;

/// <summary>The outcome of loading a configuration directory: the loaded set, or every error in every file.</summary>
public sealed record PolicyLoadResult(PolicyFileSet? FileSet, IReadOnlyList<PolicyError> Errors)
{
    /// <summary>True when every file validated.</summary>
    [MemberNotNullWhen(true, nameof(FileSet))]
    public bool Succeeded => FileSet is not null && Errors.Count == 0;
}
