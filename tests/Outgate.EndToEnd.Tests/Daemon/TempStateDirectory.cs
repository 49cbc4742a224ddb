namespace Outgate.EndToEnd.Tests.Daemon;

/// <summary>A temporary state directory for in-process event store tests, removed on dispose.</summary>
internal sealed class TempStateDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("og-events-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
