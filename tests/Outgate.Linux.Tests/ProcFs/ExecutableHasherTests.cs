using System.Security.Cryptography;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class ExecutableHasherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("og-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_the_content()
    {
        var path = Path.Combine(_dir, "a");
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);
        File.WriteAllBytes(path, content);

        var hash = new ExecutableHasher().TryHashSha256(path);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), hash);
    }

    [Fact]
    public void Empty_file_has_the_well_known_empty_hash()
    {
        var path = Path.Combine(_dir, "empty");
        File.WriteAllBytes(path, []);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", new ExecutableHasher().TryHashSha256(path));
    }

    [Fact]
    public void Unchanged_file_is_hashed_once_and_a_rewrite_is_noticed()
    {
        var path = Path.Combine(_dir, "b");
        File.WriteAllText(path, "version 1");
        var hasher = new ExecutableHasher();

        var first = hasher.TryHashSha256(path);
        Assert.Equal(first, hasher.TryHashSha256(path));
        Assert.Equal(1, hasher.FilesHashed);

        // Same size, same inode, mtime forced back: ctime still moves, so the cache must miss.
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "version 2");
        File.SetLastWriteTimeUtc(path, mtime);

        var second = hasher.TryHashSha256(path);
        Assert.NotEqual(first, second);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("version 2"u8)), second);
        Assert.Equal(2, hasher.FilesHashed);
    }

    [Fact]
    public void Symlinks_are_followed_and_share_the_cache_entry()
    {
        var path = Path.Combine(_dir, "c");
        File.WriteAllText(path, "x");
        var link = Path.Combine(_dir, "c-link");
        File.CreateSymbolicLink(link, path);
        var hasher = new ExecutableHasher();

        Assert.Equal(hasher.TryHashSha256(path), hasher.TryHashSha256(link));
        Assert.Equal(1, hasher.FilesHashed);
    }

    [Fact]
    public void Missing_files_directories_and_gone_processes_give_null()
    {
        var hasher = new ExecutableHasher();
        Assert.Null(hasher.TryHashSha256(Path.Combine(_dir, "nope")));
        Assert.Null(hasher.TryHashSha256(_dir));
        Assert.Null(hasher.TryHashProcessExecutable(0));
        Assert.Null(hasher.TryHashProcessExecutable(int.MaxValue));
    }

    [Fact]
    public void Own_process_executable_hashes_like_the_file_on_disk()
    {
        var hasher = new ExecutableHasher();
        var exe = File.ResolveLinkTarget("/proc/self/exe", returnFinalTarget: true)!.FullName;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(exe))), hasher.TryHashProcessExecutable(Environment.ProcessId));
    }

    [Fact]
    public async Task Concurrent_callers_agree()
    {
        var path = Path.Combine(_dir, "d");
        File.WriteAllBytes(path, new byte[1_000_000]);
        var hasher = new ExecutableHasher();
        var hashes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => hasher.TryHashSha256(path), TestContext.Current.CancellationToken)));
        Assert.Single(hashes.Distinct());
        Assert.NotNull(hashes[0]);
    }
}
