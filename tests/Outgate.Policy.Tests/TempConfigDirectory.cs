namespace Outgate.Policy.Tests;

/// <summary>A throw-away configuration directory, removed on dispose.</summary>
internal sealed class TempConfigDirectory : IDisposable
{
    public TempConfigDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "og-policy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Main => System.IO.Path.Combine(Path, PolicyFileSet.MainFileName);

    public string DropIn(string name) => System.IO.Path.Combine(Path, PolicyFileSet.DropInDirectoryName, name);

    public void Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public PolicyFileSet Load()
    {
        var result = PolicyFileSet.Load(Path);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.FileSet!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
