using System.Runtime.InteropServices;

namespace Outgate.Daemon.Queue;

/// <summary>
/// Pins a queue thread to the CPU whose packets its queue receives. With <c>--queue-cpu-fanout</c> the kernel queues a
/// packet to queue <c>first + cpu % count</c>, so a connecting program on CPU n waits on queue n's thread: on that same
/// CPU the wake-up is local, the program's cache is warm and the verdict's re-injection (the rest of the TCP handshake)
/// runs where the program will resume, instead of bouncing between CPUs through inter-processor interrupts.
/// </summary>
internal static partial class QueueThreadAffinity
{
    private const int SetBytes = 128; // cpu_set_t: 1,024 CPUs

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false (and unpinned) when that CPU is not one the daemon may use.</summary>
    public static bool TryPinCurrentThread(int cpu)
    {
        if (cpu is < 0 or >= SetBytes * 8) return false;
        Span<byte> mask = stackalloc byte[SetBytes];
        if (sched_getaffinity(0, SetBytes, ref MemoryMarshal.GetReference(mask)) != 0) return false;
        if ((mask[cpu / 8] & (1 << (cpu % 8))) == 0) return false;
        mask.Clear();
        mask[cpu / 8] = (byte)(1 << (cpu % 8));
        return sched_setaffinity(0, SetBytes, ref MemoryMarshal.GetReference(mask)) == 0;
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int sched_getaffinity(int pid, nint size, ref byte mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint size, ref byte mask);
}
