namespace Outgate.Policy;

/// <summary>Reads <c>outgate.toml</c> and <c>rules.d/*.toml</c> and validates them, collecting every error with its position.</summary>
internal static class PolicyFileLoader
{
    public static PolicyLoadResult Load(string configDirectory)
    {
        var files = new List<PolicyFile>();
        var errors = new List<PolicyError>();
        var main = Path.Combine(configDirectory, PolicyFileSet.MainFileName);
        TryRead(main, files, errors);
        var dropIns = Path.Combine(configDirectory, PolicyFileSet.DropInDirectoryName);
        if (Directory.Exists(dropIns))
        {
            var names = Directory.GetFiles(dropIns, "*.toml").Order(StringComparer.Ordinal);
            foreach (var name in names)
            {
                TryRead(name, files, errors);
            }
        }

        var result = FromFiles(configDirectory, files);
        return errors.Count == 0 ? result : new(null, [.. errors, .. result.Errors]);
    }

    public static PolicyLoadResult FromFiles(string configDirectory, IReadOnlyList<PolicyFile> files, IReadOnlyList<LoadedPolicyFile>? previous = null)
    {
        var errors = new List<PolicyError>();
        var rules = new List<Rule>();
        var origins = new List<RuleOrigin>();
        var loaded = new List<LoadedPolicyFile>();
        var mainPath = Path.Combine(configDirectory, PolicyFileSet.MainFileName);
        var defaults = new Defaults();
        var logging = LogLevel.Low;
        var failOpen = false;
        DnsSwitches? dns = null;
        AlertSettings? alerts = null;
        foreach (var file in files)
        {
            var isMain = file.Path == mainPath;
            var reused = previous?.FirstOrDefault(p => p.IsMain == isMain && p.File.Path == file.Path && (ReferenceEquals(p.File.Text, file.Text) || p.File.Text == file.Text));
            if (reused is null)
            {
                var fileRules = new List<Rule>();
                var fileOrigins = new List<RuleOrigin>();
                var (fileDefaults, fileLogging) = (new Defaults(), LogLevel.Low);
                var reader = new PolicyFileReader(file, isMain, errors);
                var spans = reader.Read(fileRules, fileOrigins, ref fileDefaults, ref fileLogging, out var document);
                reused = new LoadedPolicyFile(file, document, isMain, spans, fileRules, fileOrigins, fileDefaults, fileLogging, reader.FailOpen, reader.Dns, reader.Alerts);
            }

            if (isMain)
            {
                (defaults, logging, failOpen, dns, alerts) = (reused.Defaults, reused.Logging, reused.FailOpen, reused.Dns, reused.Alerts);
            }

            rules.AddRange(reused.Rules);
            origins.AddRange(reused.Origins);
            loaded.Add(reused);
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var policy = new FirewallPolicy
        {
            Defaults = defaults,
            Logging = logging,
            FailOpen = failOpen,
            DnsRequired = dns?.DnsRequired ?? false,
            BlockDoh = dns?.BlockDoh ?? false,
            DnsGrace = dns?.DnsGrace ?? FirewallPolicy.DefaultDnsGrace,
            Alerts = alerts ?? AlertSettings.Default,
            Rules = rules,
        };
        return new(new PolicyFileSet(configDirectory, policy, origins, loaded), []);
    }

    private static void TryRead(string path, List<PolicyFile> files, List<PolicyError> errors)
    {
        try
        {
            files.Add(new PolicyFile(path, File.ReadAllText(path)));
        }
        catch (FileNotFoundException)
        {
            // A missing main file means the default policy.
        }
        catch (DirectoryNotFoundException)
        {
            // A missing configuration directory means the default policy.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new PolicyError(path, 1, 1, $"cannot read the file: {ex.Message}", "check that it exists and is readable (run as root?)"));
        }
    }
}
