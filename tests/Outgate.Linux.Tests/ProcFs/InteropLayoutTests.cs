using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Tests.ProcFs;

public class InteropLayoutTests
{
    [Fact]
    public void Statx_matches_the_kernel_layout()
    {
        Assert.Equal(256, Unsafe.SizeOf<Interop.statx>());
        Assert.Equal(16, Unsafe.SizeOf<Interop.statx_timestamp>());
        Assert.Equal(28, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_mode)));
        Assert.Equal(32, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_ino)));
        Assert.Equal(40, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_size)));
        Assert.Equal(96, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_ctime)));
        Assert.Equal(112, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_mtime)));
        Assert.Equal(136, (int)Marshal.OffsetOf<Interop.statx>(nameof(Interop.statx.stx_dev_major)));
    }

    [Fact]
    public void Statx_of_a_known_file_gives_its_size()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[1234]);
            Assert.Equal(0, Interop.StatX(Interop.AT_FDCWD, path, 0, Interop.STATX_BASIC_STATS, out var st));
            Assert.Equal(1234UL, st.stx_size);
            Assert.Equal(0x8000, st.stx_mode & 0xF000);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
