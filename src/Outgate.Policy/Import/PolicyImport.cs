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

        var refused = new List<ImportNote>();
        if (AppendAll(current, imported.Rules, refused) is { } bulk)
        {
            notes.AddRange(refused);
            added = bulk.Added;
            if (added > 0)
            {
                Take(bulk.Edit);
            }
        }
        else
        {
            // Some rule made the policy invalid: add one by one (slow: every edit re-validates) to name the culprits.
            foreach (var item in imported.Rules)
            {
                var edit = current.AddRule(item.Rule);
                switch (edit.Outcome)
                {
                    case PolicyEditOutcome.Invalid:
                        notes.Add(Refused(item, edit.Errors.Select(e => e.Message)));
                        break;
                    case PolicyEditOutcome.Changed when Take(edit):
                        added++;
                        break;
                }
            }
        }

        messages.Add($"{added} rule{(added == 1 ? "" : "s")} added, {imported.Rules.Count - added} already present or refused");
        var writes = order.Select(path => new PolicyFileWrite(path, texts[path])).ToArray();
        var outcome = writes.Length == 0 ? PolicyEditOutcome.Unchanged : PolicyEditOutcome.Changed;
        return new PolicyImportResult(new PolicyEditResult(outcome, string.Join('\n', messages), current, writes, []), notes, added);
    }

    /// <summary>
    /// Appends every new rule to the main file in one splice and validates once, instead of one <see cref="PolicyFileSet.AddRule"/>
    /// per rule (each of which re-reads the whole policy: 1,000 ufw rules took 19 s that way). Rules equal to an existing or an
    /// earlier imported rule (comment and lifetime aside, as <c>outgate allow</c> judges) are left out. Null when the result does
    /// not validate, so the caller can find the culprits one by one.
    /// </summary>
    private static (PolicyEditResult Edit, int Added)? AppendAll(PolicyFileSet set, IReadOnlyList<ImportedRule> rules, List<ImportNote> notes)
    {
        static Rule Key(Rule r) => r with { Comment = null, Expires = null, BootId = null };
        var seen = new HashSet<Rule>(set.Policy.Rules.Select(Key));
        var tables = new StringBuilder();
        var added = 0;
        foreach (var item in rules)
        {
            var problems = item.Rule.Validate();
            if (problems.Count > 0)
            {
                notes.Add(Refused(item, problems));
                continue;
            }

            if (seen.Add(Key(item.Rule)))
            {
                tables.Append(tables.Length == 0 ? "" : "\n").Append(PolicyTomlWriter.RuleTable(item.Rule));
                added++;
            }
        }

        if (added == 0)
        {
            return (new PolicyEditResult(PolicyEditOutcome.Unchanged, "", set, [], []), 0);
        }

        var main = set.Loaded.FirstOrDefault(l => l.IsMain);
        var (path, text) = main is null ? (set.MainPath, PolicyTomlWriter.MainFile(set.Policy with { Rules = [] })) : (main.File.Path, main.File.Text);
        var separator = text.Length == 0 || text.EndsWith("\n\n", StringComparison.Ordinal) ? "" : text.EndsWith('\n') ? "\n" : "\n\n";
        var updated = text + separator + tables;
        var files = set.Files.ToList();
        var index = files.FindIndex(f => f.Path == path);
        if (index >= 0)
        {
            files[index] = new PolicyFile(path, updated);
        }
        else
        {
            files.Insert(0, new PolicyFile(path, updated));
        }

        var reloaded = PolicyFileSet.FromFiles(set.ConfigDirectory, files);
        return reloaded.Succeeded
            ? (new PolicyEditResult(PolicyEditOutcome.Changed, "", reloaded.FileSet, [new PolicyFileWrite(path, updated)], []), added)
            : null;
    }

    private static ImportNote Refused(ImportedRule item, IEnumerable<string> problems)
        => new(item.Source, item.Line, item.Rule.ToUfwString(), $"the policy refused the translated rule: {string.Join("; ", problems)}");
}
