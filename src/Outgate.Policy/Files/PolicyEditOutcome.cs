namespace Outgate.Policy;

/// <summary>What an edit did.</summary>
public enum PolicyEditOutcome
{
    /// <summary>The policy changed; <see cref="PolicyEditResult.Commit"/> writes it.</summary>
    Changed,
    /// <summary>Nothing to do (ufw: "Skipping adding existing rule", default already set). Nothing to write.</summary>
    Unchanged,
    /// <summary>The rule to delete does not exist or the number is out of range (ufw exits 1).</summary>
    NotFound,
    /// <summary>The new policy would not validate; <see cref="PolicyEditResult.Errors"/> says why. Nothing is written.</summary>
    Invalid,
}
