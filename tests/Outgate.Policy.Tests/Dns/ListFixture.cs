namespace Outgate.Policy.Tests.Dns;

/// <summary>A temp directory with list files, removed on dispose.</summary>
internal sealed class ListFixture : IDisposable
{
    public ListFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "og-lists-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
