using System.CommandLine;
using Outgate.Cli.Rules;
using Outgate.Policy.Import;

namespace Outgate.Cli.Import;

/// <summary>
/// <c>outgate import ufw [--from DIR] [--status-file FILE|-] [--json]</c> and <c>outgate import opensnitch DIR [--json]</c>:
/// translate another firewall's rules into the policy in --config-dir (see docs/import.md). <c>--dry-run</c> (global)
/// prints the TOML that would be written.
/// </summary>
public static class ImportCommand
{
    private static readonly Option<bool> Json = new("--json") { Description = "Print the result (rules, skipped items, files written) as one JSON object" };

    public static Command Create()
    {
        var command = new Command("import", "Translate another firewall's rules into the Outgate policy: `import ufw`, `import opensnitch DIR`");
        command.Subcommands.Add(Ufw());
        command.Subcommands.Add(OpenSnitch());
        return command;
    }

    private static Command Ufw()
    {
        var from = new Option<string>("--from")
        {
            Description = "ufw's configuration directory with user.rules, user6.rules, ufw.conf, applications.d (default /etc/ufw; the defaults file is DIR/../default/ufw)",
            HelpName = "dir",
            DefaultValueFactory = _ => "/etc/ufw",
        };
        var statusFile = new Option<string?>("--status-file")
        {
            Description = "Read `ufw status verbose` or `ufw status numbered` output from FILE (- for standard input) instead of ufw's files",
            HelpName = "file",
        };
        var command = new Command("ufw", "Import ufw's rules, default policies and logging level") { from, statusFile, Json };
        command.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
        {
            var dir = parse.GetValue(from)!;
            var status = parse.GetValue(statusFile);
            var fromGiven = parse.GetResult(from) is { Implicit: false };
            return ImportRun.Execute(ctx, parse, parse.GetValue(Json), () => status is null
                ? UfwRulesImporter.Import(ReadUfwDirectory(dir))
                : UfwStatusImporter.Import(status == "-" ? ImportFileReader.ReadStandardInput() : ImportFileReader.Read(status),
                    fromGiven || Directory.Exists(dir) ? ReadProfiles(dir) : []));
        }));
        return command;
    }

    private static Command OpenSnitch()
    {
        var dir = new Argument<string>("dir") { Description = "OpenSnitch's rules directory (normally /etc/opensnitchd/rules)" };
        var command = new Command("opensnitch", "Import OpenSnitch's JSON rules as outgoing rules") { dir, Json };
        command.SetAction(parse => FirewallCommandContext.Run(parse, ctx =>
            ImportRun.Execute(ctx, parse, parse.GetValue(Json), () => OpenSnitchImporter.Import(ReadOpenSnitch(parse.GetValue(dir)!)))));
        return command;
    }

    internal static UfwImportInput ReadUfwDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new ImportInputException(dir, 0, "the directory does not exist", "give ufw's configuration directory with --from (normally /etc/ufw), or --status-file");
        }

        var full = Path.GetFullPath(dir).TrimEnd('/');
        var parent = Path.GetDirectoryName(full) ?? "/";
        return new UfwImportInput
        {
            UserRules = ImportFileReader.ReadOptional(Path.Combine(dir, "user.rules")),
            User6Rules = ImportFileReader.ReadOptional(Path.Combine(dir, "user6.rules")),
            UfwConf = ImportFileReader.ReadOptional(Path.Combine(dir, "ufw.conf")),
            DefaultsFile = ImportFileReader.ReadOptional(Path.Combine(parent, "default", "ufw")),
            ApplicationProfiles = ReadProfiles(dir),
        };
    }

    private static IReadOnlyList<ImportSourceFile> ReadProfiles(string dir)
        => (ImportFileReader.ListFiles(Path.Combine(dir, "applications.d"), "*") ?? []).Select(ImportFileReader.Read).ToArray();

    internal static OpenSnitchImportInput ReadOpenSnitch(string dir)
    {
        var files = ImportFileReader.ListFiles(dir, "*.json")
            ?? throw new ImportInputException(dir, 0, "the directory does not exist", "give OpenSnitch's rules directory, normally /etc/opensnitchd/rules");
        if (files.Count == 0)
        {
            throw new ImportInputException(dir, 0, "no *.json rule files in the directory", "give OpenSnitch's rules directory, normally /etc/opensnitchd/rules");
        }

        return new OpenSnitchImportInput
        {
            RuleFiles = files.Select(ImportFileReader.Read).ToArray(),
            ListFiles = d => d.StartsWith('/') ? ImportFileReader.ListFiles(d, "*") : null,
            Now = DateTimeOffset.UtcNow,
            BootId = Firewall.BootIdFile.TryRead(),
        };
    }
}
