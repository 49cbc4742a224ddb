using System.Runtime.InteropServices;

namespace Outgate.Testing;

/// <summary>
/// Runs code inside a network namespace on a dedicated thread (namespaces are per thread: the
/// thread enters with setns and ends afterwards, so no pool thread is ever left in a namespace).
/// </summary>
public static partial class NamespaceThread
{
    private const int CLONE_NEWNET = 0x40000000;

    public static Task<T> RunAsync<T>(NetworkNamespace ns, Func<T> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using (var fd = File.OpenHandle($"/run/netns/{ns.Name}"))
                {
                    if (setns(fd.DangerousGetHandle().ToInt32(), CLONE_NEWNET) != 0)
                        throw new InvalidOperationException($"setns({ns.Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                tcs.SetResult(work());
            }
            catch (Exception ex)
            {
                tcs.SetException(ex);
            }
        }) { IsBackground = true, Name = $"netns {ns.Name}" };
        thread.Start();
        return tcs.Task;
    }

    public static Task RunAsync(NetworkNamespace ns, Action work) => RunAsync(ns, () => { work(); return 0; });

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}
