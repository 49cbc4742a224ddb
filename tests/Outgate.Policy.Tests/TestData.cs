namespace Outgate.Policy.Tests;

/// <summary>Locates <c>testdata/</c> in the source tree (golden files are updated there with OUTGATE_UPDATE_GOLDEN=1).</summary>
internal static class TestData
{
    public static string Directory { get; } = Find();

    public static string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "testdata");
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Outgate.Policy.Tests.csproj")) && System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("testdata/ next to Outgate.Policy.Tests.csproj not found");
    }
}
