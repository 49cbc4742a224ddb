using Outgate.Daemon.Options;
using Outgate.Linux.Netlink;

namespace Outgate.Daemon.Hosting;

/// <summary>
/// The network namespace whose traffic this daemon serves (<c>--netns</c>). The daemon process stays
/// in its own namespace (the proc connector works only in the initial one); pipeline stages create
/// their netfilter and sock_diag sockets through <see cref="Run{T}"/>, which runs the factory on a
/// dedicated thread inside the target namespace. A socket stays bound to the namespace it was
/// created in, so it can be used from any thread afterwards.
/// </summary>
public sealed class TargetNamespace(DaemonOptions options)
{
    /// <summary>The name or path given with --netns; null when serving the daemon's own namespace.</summary>
    public string? Name { get; } = options.NetworkNamespace;

    /// <summary>True when the daemon serves its own namespace (no --netns).</summary>
    public bool IsOwn => Name is null;

    /// <summary>For status output: the namespace name, or "host" for the daemon's own.</summary>
    public string DisplayName => Name ?? "host";

    /// <summary>Runs <paramref name="factory"/> inside the target namespace (directly when it is the daemon's own).</summary>
    /// <exception cref="NetlinkException">The namespace cannot be entered.</exception>
    public T Run<T>(Func<T> factory) => Name is null ? factory() : NetworkNamespaceScope.Run(Name, factory);

    /// <summary>As <see cref="Run{T}"/> without blocking the caller.</summary>
    public Task<T> RunAsync<T>(Func<T> factory) => Name is null ? Task.FromResult(factory()) : NetworkNamespaceScope.RunAsync(Name, factory);

    /// <summary>Enters the namespace once so a missing namespace or capability fails at start, not later.</summary>
    /// <exception cref="DaemonStartupException">It cannot be entered.</exception>
    public void Verify()
    {
        if (Name is null) return;
        try
        {
            Run(() => 0);
        }
        catch (NetlinkException ex)
        {
            throw new DaemonStartupException($"cannot enter network namespace '{Name}' (--netns): {ex.Message}; outgated needs root (CAP_SYS_ADMIN) for --netns", ex);
        }
    }
}
