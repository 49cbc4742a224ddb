using System.Runtime.CompilerServices;
using Outgate.Policy.Import;

namespace Outgate.Policy.Tests.Import;

/// <summary>Finds the fixtures next to this source file (they are not copied to the output directory).</summary>
internal static class ImportFixtures
{
    public static string Directory { get; } = Locate();

    public static string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);

    public static ImportSourceFile Read(string relative) => ImportSourceFile.FromBytes(PathOf(relative), File.ReadAllBytes(PathOf(relative)));

    public static ImportSourceFile? ReadOptional(string relative) => File.Exists(PathOf(relative)) ? Read(relative) : null;

    public static UfwImportInput Ufw(string machine) => new()
    {
        UserRules = ReadOptional($"ufw/{machine}/etc/ufw/user.rules"),
        User6Rules = ReadOptional($"ufw/{machine}/etc/ufw/user6.rules"),
        UfwConf = ReadOptional($"ufw/{machine}/etc/ufw/ufw.conf"),
        DefaultsFile = ReadOptional($"ufw/{machine}/etc/default/ufw"),
        ApplicationProfiles = System.IO.Directory.Exists(PathOf($"ufw/{machine}/etc/ufw/applications.d"))
            ? System.IO.Directory.GetFiles(PathOf($"ufw/{machine}/etc/ufw/applications.d")).Order(StringComparer.Ordinal)
                .Select(f => ImportSourceFile.FromBytes(f, File.ReadAllBytes(f))).ToArray()
            : [],
    };

    /// <summary>The OpenSnitch rules with LISTDIR replaced by the fixture list directory.</summary>
    public static OpenSnitchImportInput OpenSnitch(string directory = "opensnitch/rules") => new()
    {
        RuleFiles = System.IO.Directory.GetFiles(PathOf(directory), "*.json").Order(StringComparer.Ordinal)
            .Select(f => ImportSourceFile.FromText(f, File.ReadAllText(f).Replace("LISTDIR", PathOf("opensnitch/lists/ads"), StringComparison.Ordinal)))
            .ToArray(),
        ListFiles = d => System.IO.Directory.Exists(d) ? System.IO.Directory.GetFiles(d).Order(StringComparer.Ordinal).ToArray() : null,
        Now = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero),
        BootId = "6f1c2e3a-1111-4222-8333-944455556666",
    };

    private static string Locate([CallerFilePath] string source = "") => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(source)!, "testdata");
}
