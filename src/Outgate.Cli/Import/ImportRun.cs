using System.CommandLine;
using System.Text.Json;
using Outgate.Cli.Firewall;
using Outgate.Cli.Rules;
using Outgate.Policy;
using Outgate.Policy.Import;

namespace Outgate.Cli.Import;

/// <summary>
/// What both imports do after translating: merge into the policy (validated as a whole), report every note, then print
/// (--dry-run), write the files, or — when the firewall is enabled — apply the new ruleset and write the files only if the
/// kernel took it, exactly like <c>outgate allow</c>. Nothing is written when the input is malformed or the policy invalid.
/// </summary>
public static class ImportRun
{
    public static int Execute(FirewallCommandContext ctx, ParseResult parse, bool json, Func<ImportedPolicy> translate)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        ImportedPolicy imported;
        PolicyFileSet set;
        try
        {
            imported = translate();
            set = ctx.LoadPolicy();
        }
        catch (ImportInputException ex)
        {
            Fail(json, output, error, ex.Message, ex.File, ex.Line);
            return ImportExitCodes.Unreadable;
        }
        catch (FirewallException ex)
        {
            Fail(json, output, error, ex.Message, ctx.Paths.ConfigDir, 0);
            return ImportExitCodes.Unreadable;
        }

        using var stateLock = ctx.DryRun ? null : StateLock.Acquire(ctx.Paths);
        var result = PolicyImport.ApplyTo(set, imported);
        var edit = result.Edit;
        var exit = result.SkippedAny ? ImportExitCodes.Skipped : ImportExitCodes.Ok;
        string? applied = null;
        DateTimeOffset? deadline = null;
        if (!ctx.DryRun && edit.Changed)
        {
            if (FirewallState.IsEnabled(ctx.Paths))
            {
                var ruleset = FirewallCommandContext.Compile(edit.FileSet.Policy);
                deadline = KernelChange.Apply(ctx, ruleset, edit.Commit);
                applied = "the firewall is enabled: the new ruleset was applied";
            }
            else
            {
                edit.Commit();
                applied = "the firewall is disabled: files written only; run `outgate enable` (or `outgate reload`) to apply";
            }
        }

        if (json)
        {
            WriteJson(output, imported, result, ctx.DryRun, exit);
            KernelChange.ReportPending(ctx, deadline);
            return exit;
        }

        foreach (var note in result.Notes)
        {
            error.WriteLine(note);
        }

        if (ctx.DryRun)
        {
            foreach (var write in edit.Writes)
            {
                output.WriteLine($"# --- {write.Path} (would be written) ---");
                output.Write(write.Text);
            }

            output.WriteLine(edit.Writes.Count == 0 ? "# nothing would change" : "# dry run: nothing was written");
        }

        output.WriteLine(edit.Message);
        if (applied is not null)
        {
            output.WriteLine(applied);
        }

        KernelChange.ReportPending(ctx, deadline);

        var skipped = result.Notes.Count(n => n.Kind == ImportNoteKind.Skipped);
        if (skipped > 0)
        {
            error.WriteLine($"{skipped} item{(skipped == 1 ? " was" : "s were")} not imported (listed above); the rest {(ctx.DryRun ? "would be" : "was")} written");
        }

        return exit;
    }

    private static void Fail(bool json, TextWriter output, TextWriter error, string message, string file, int line)
    {
        if (json)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("exitCode", ImportExitCodes.Unreadable);
                writer.WriteStartObject("error");
                writer.WriteString("file", file);
                writer.WriteNumber("line", line);
                writer.WriteString("message", message);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }

        error.WriteLine(message);
        error.WriteLine("Nothing was written.");
    }

    private static void WriteJson(TextWriter output, ImportedPolicy imported, PolicyImportResult result, bool dryRun, int exit)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("exitCode", exit);
            writer.WriteBoolean("dryRun", dryRun);
            writer.WriteNumber("added", result.Added);
            writer.WriteStartArray("rules");
            foreach (var rule in imported.Rules)
            {
                writer.WriteStartObject();
                writer.WriteString("rule", rule.Rule.ToUfwString());
                writer.WriteString("source", rule.Source);
                writer.WriteNumber("line", rule.Line);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("defaults");
            foreach (var (direction, policy) in imported.Defaults.OrderBy(d => d.Key))
            {
                writer.WriteString(direction switch { Direction.In => "incoming", Direction.Out => "outgoing", _ => "routed" }, policy.ToString().ToLowerInvariant());
            }

            writer.WriteEndObject();
            if (imported.Logging is { } level)
            {
                writer.WriteString("logging", level.ToString().ToLowerInvariant());
            }

            writer.WriteStartArray("notes");
            foreach (var note in result.Notes)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", note.Kind == ImportNoteKind.Skipped ? "skipped" : "adjusted");
                writer.WriteString("source", note.Source);
                writer.WriteNumber("line", note.Line);
                writer.WriteString("item", note.Item);
                writer.WriteString("reason", note.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray(dryRun ? "wouldWrite" : "written");
            foreach (var write in result.Edit.Writes)
            {
                writer.WriteStartObject();
                writer.WriteString("path", write.Path);
                if (dryRun)
                {
                    writer.WriteString("text", write.Text);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
