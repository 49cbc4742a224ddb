using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Outgate.Linux.Tests.ProcFs;

/// <summary>
/// Runs code with another filesystem uid on a thread of its own. The fsuid is per thread in the
/// kernel (glibc does not broadcast setfsuid to other threads) and dropping it from 0 also drops
/// CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so root sees files the way that user would: the way to
/// test "not root" paths inside a root test run without a second process.
/// </summary>
internal static partial class FsUid
{
    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial int SetFsUid(uint fsuid);

    public static T Run<T>(uint uid, Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            SetFsUid(uid);
            try
            {
                if (SetFsUid(uid) != uid) throw new InvalidOperationException($"setfsuid({uid}) did not take effect");
                result = body();
            }
            catch (Exception ex)
            {
                error = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                SetFsUid(0);
            }
        });
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }
}
