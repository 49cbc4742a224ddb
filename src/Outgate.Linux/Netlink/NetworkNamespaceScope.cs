using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;

namespace Outgate.Linux.Netlink;

/// <summary>
/// Runs work inside another network namespace. The namespace is a property of the thread, so the
/// delegate runs on a fresh dedicated thread that first calls
/// <c>setns(open("/run/netns/NAME"), CLONE_NEWNET)</c>; the thread ends afterwards and never
/// returns to the pool. Sockets created inside stay bound to that namespace when used from
/// any other thread, so the usual pattern is
/// <c>var client = NetworkNamespaceScope.Run("ns1", () =&gt; new SockDiagClient());</c>.
/// </summary>
public static class NetworkNamespaceScope
{
    /// <summary>
    /// Runs <paramref name="action"/> in the namespace <paramref name="namespaceNameOrPath"/>: a name
    /// under /run/netns (as <c>ip netns add</c> creates) or an absolute path such as /proc/PID/ns/net.
    /// Exceptions from the delegate are rethrown here with their stack.
    /// </summary>
    /// <exception cref="NetlinkException">open or setns failed (e.g. EPERM without CAP_SYS_ADMIN).</exception>
    public static T Run<T>(string namespaceNameOrPath, Func<T> action)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespaceNameOrPath);
        ArgumentNullException.ThrowIfNull(action);
        var path = namespaceNameOrPath.StartsWith('/') ? namespaceNameOrPath : Path.Combine("/run/netns", namespaceNameOrPath);

        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(path);
                result = action();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Path.GetFileName(path)}",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>Runs <paramref name="action"/> in the namespace; see <see cref="Run{T}(string, Func{T})"/>.</summary>
    public static void Run(string namespaceNameOrPath, Action action) =>
        Run(namespaceNameOrPath, () => { action(); return 0; });

    /// <summary>As <see cref="Run{T}(string, Func{T})"/> without blocking the caller's thread.</summary>
    public static Task<T> RunAsync<T>(string namespaceNameOrPath, Func<T> action) =>
        Task.Factory.StartNew(() => Run(namespaceNameOrPath, action), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>As <see cref="Run(string, Action)"/> without blocking the caller's thread.</summary>
    public static Task RunAsync(string namespaceNameOrPath, Action action) =>
        RunAsync(namespaceNameOrPath, () => { action(); return 0; });

    private static void Enter(string path)
    {
        SafeFileHandle fd;
        try
        {
            fd = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NetlinkException($"open(\"{path}\")", $"cannot open the network namespace: {ex.Message}");
        }
        using (fd)
        {
            if (Interop.setns(fd, Interop.CLONE_NEWNET) != 0)
                throw new NetlinkException($"setns(\"{path}\", CLONE_NEWNET)", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }
}
