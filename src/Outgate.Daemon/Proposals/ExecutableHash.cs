using System.Security.Cryptography;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// SHA-256 of an executable as it is on disk now. Events record no hash, so a pin in a proposal is the file's hash at
/// proposal time, which may differ from what ran (an upgrade in between): the proposal says so next to the pin.
/// </summary>
public static class ExecutableHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="path"/>, or null with <paramref name="problem"/> saying why not.</summary>
    public static string? TryCompute(string path, out string? problem)
    {
        problem = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is FileNotFoundException or DirectoryNotFoundException
                ? $"{path} no longer exists: not pinned"
                : $"{path} cannot be read ({ex.Message}): not pinned";
            return null;
        }
    }
}
