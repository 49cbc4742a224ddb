namespace Outgate.Policy;

/// <summary>Atomic file replacement: temp file in the same directory, flushed to disk, renamed over the target.</summary>
internal static class PolicyFileWriter
{
    public static void WriteAll(IReadOnlyList<PolicyFileWrite> writes, bool changed)
    {
        if (!changed)
        {
            return;
        }

        foreach (var write in writes)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(write.Path))!;
            Directory.CreateDirectory(directory);
            if (write.BackupPath is { } backup && File.Exists(write.Path))
            {
                File.Move(write.Path, backup, overwrite: false);
            }

            if (write.Text is { } text)
            {
                var temp = Path.Combine(directory, $".{Path.GetFileName(write.Path)}.{Guid.NewGuid():N}.tmp");
                try
                {
                    using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    {
                        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                        stream.Write(bytes);
                        stream.Flush(flushToDisk: true);
                    }

                    File.Move(temp, write.Path, overwrite: true);
                }
                finally
                {
                    if (File.Exists(temp))
                    {
                        File.Delete(temp);
                    }
                }
            }
        }
    }
}
