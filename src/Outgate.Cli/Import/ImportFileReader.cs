using Outgate.Policy.Import;

namespace Outgate.Cli.Import;

/// <summary>Reads import inputs from disk, bounded in size, into <see cref="ImportSourceFile"/>s (file system errors become <see cref="ImportInputException"/>).</summary>
public static class ImportFileReader
{
    /// <summary>Most rule files read from one directory.</summary>
    public const int MaxFiles = 10_000;

    /// <summary>The file, or null when it does not exist.</summary>
    public static ImportSourceFile? ReadOptional(string path) => File.Exists(path) ? Read(path) : null;

    public static ImportSourceFile Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ImportSourceFile.FromBytes(path, ReadBounded(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImportInputException(path, 0, $"cannot read the file: {ex.Message}", "check the path; ufw's and OpenSnitch's files are readable by root only (sudo)");
        }
    }

    /// <summary>Standard input (<c>--status-file -</c>).</summary>
    public static ImportSourceFile ReadStandardInput()
    {
        using var stream = Console.OpenStandardInput();
        return ImportSourceFile.FromBytes("<stdin>", ReadBounded(stream));
    }

    /// <summary>Regular files of <paramref name="directory"/> matching <paramref name="pattern"/>, sorted, or null when the directory is missing.</summary>
    public static IReadOnlyList<string>? ListFiles(string directory, string pattern)
    {
        try
        {
            if (!Directory.Exists(directory))
            {
                return null;
            }

            var files = Directory.EnumerateFiles(directory, pattern)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Take(MaxFiles + 1)
                .Select(Path.GetFullPath)
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length > MaxFiles)
            {
                throw new ImportInputException(directory, 0, $"more than {MaxFiles} files", "point at the rules directory itself");
            }

            return files;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImportInputException(directory, 0, $"cannot list the directory: {ex.Message}", "check the path; run as root (sudo) if it is root's");
        }
    }

    private static byte[] ReadBounded(Stream stream)
    {
        // One byte more than the limit, so FromBytes can say the file is too large without reading all of it.
        var size = stream.CanSeek ? Math.Max(64 * 1024, Math.Min(stream.Length + 1, ImportSourceFile.MaxBytes + 1)) : ImportSourceFile.MaxBytes + 1;
        var buffer = new byte[size];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer[..total];
    }
}
