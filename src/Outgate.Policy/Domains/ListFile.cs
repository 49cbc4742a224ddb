namespace Outgate.Policy.Domains;

/// <summary>Opens a list file for one sequential read; a file that cannot be opened becomes a result, not an exception.</summary>
internal static class ListFile
{
    public static T Read<T>(string path, Func<Stream, string, T> read, Func<string, T> unreadable)
    {
        try
        {
            // bufferSize 1: the list readers keep their own 64 KiB buffer, a second one would only copy.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            return read(stream, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return unreadable($"cannot read the list: {ex.Message}");
        }
    }
}
