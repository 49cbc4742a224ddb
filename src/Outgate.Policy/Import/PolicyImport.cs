namespace Outgate.Policy.Import;

/// <summary>The outcome of merging an import into a policy directory: the combined edit and the notes it added.</summary>
/// <param name="Edit">
/// The combined edit: <see cref="PolicyEditResult.FileSet"/> is the policy after the import, <see cref="PolicyEditResult.Writes"/>
/// one write per changed file. <see cref="PolicyEditOutcome.Unchanged"/> when everything was already there.
/// </param>
/// <param name="Notes">The importer's notes plus rules the policy refused (already present rules are not noted).</param>
/// <param name="Added">How many rules were added.</param>
public sealed record PolicyImportResult(PolicyEditResult Edit, IReadOnlyList<ImportNote> Notes, int Added)
{
    /// <summary>True when some item was left out.</summary>
    public bool SkippedAny => Notes.Any(n => n.Kind == ImportNoteKind.Skipped);
}

/// <summary>
/// Writes an <see cref="ImportedPolicy"/> into a <see cref="PolicyFileSet"/> through the same edits as <c>outgate default</c>,
/// <c>logging</c> and <c>allow</c>, so comments and layout of the existing files survive and the whole result is validated
/// before anything is proposed for writing. Rules are appended after the existing ones, in import order.
/// </summary>
public static class PolicyImport
{
    public static PolicyImportResult ApplyTo(PolicyFileSet set, ImportedPolicy imported)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(imported);
        var notes = imported.Notes.ToList();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        var current = set;
        var added = 0;
        var messages = new List<string>();

        bool Take(PolicyEditResult edit)
        {
            if (!edit.Changed)
            {
                return false;
            }

            foreach (var write in edit.Writes)
            {
                if (!texts.ContainsKey(write.Path))
                {
                    order.Add(write.Path);
                }

                texts[write.Path] = write.Text!;
            }

            current = edit.FileSet;
            return true;
        }

        foreach (var (direction, policy) in imported.Defaults.OrderBy(d => d.Key))
        {
            var edit = current.SetDefault(direction, policy);
            if (edit.Outcome == PolicyEditOutcome.Invalid)
            {
                notes.Add(new ImportNote("defaults", 0, $"{direction} {policy}", edit.Message));
            }
            else if (Take(edit))
            {
                messages.Add(edit.Message.Split('\n')[0]);
            }
        }

        if (imported.Logging is { } level && Take(current.SetLogging(level)))
        {
            messages.Add($"Logging set to '{UfwStatusWriter.LevelName(level)}'");
        }

        foreach (var item in imported.Rules)
        {
            var edit = current.AddRule(item.Rule);
            switch (edit.Outcome)
            {
                case PolicyEditOutcome.Invalid:
                    notes.Add(new ImportNote(item.Source, item.Line, item.Rule.ToUfwString(),
                        $"the policy refused the translated rule: {string.Join("; ", edit.Errors.Select(e => e.Message))}"));
                    break;
                case PolicyEditOutcome.Changed when Take(edit):
                    added++;
                    break;
            }
        }

        messages.Add($"{added} rule{(added == 1 ? "" : "s")} added, {imported.Rules.Count - added} already present or refused");
        var writes = order.Select(path => new PolicyFileWrite(path, texts[path])).ToArray();
        var outcome = writes.Length == 0 ? PolicyEditOutcome.Unchanged : PolicyEditOutcome.Changed;
        return new PolicyImportResult(new PolicyEditResult(outcome, string.Join('\n', messages), current, writes, []), notes, added);
    }
}
