using System.Runtime.InteropServices;

namespace Outgate.Linux.Bpf;

/// <summary>bpf(2) through syscall(2) (glibc has no wrapper), plus the attribute layouts we use.</summary>
internal static unsafe partial class Interop
{
    internal const int BPF_MAP_CREATE = 0;
    internal const int BPF_MAP_LOOKUP_ELEM = 1;
    internal const int BPF_MAP_UPDATE_ELEM = 2;
    internal const int BPF_MAP_DELETE_ELEM = 3;
    internal const int BPF_PROG_LOAD = 5;
    internal const int BPF_RAW_TRACEPOINT_OPEN = 17;
    internal const int BPF_LINK_CREATE = 28;

    internal const int SOL_SOCKET = 1;
    internal const int SO_NETNS_COOKIE = 71;

    internal const int O_RDONLY = 0;
    internal const int O_DIRECTORY = 0x10000;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary>The bpf(2) number of this architecture (the only syscall we call by number).</summary>
    private static long SysBpf => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 280,
        Architecture.X86 => 357,
        var other => throw new PlatformNotSupportedException($"bpf(2) has no known syscall number on {other}"),
    };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, long cmd, void* attr, long size);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int getsockopt(int fd, int level, int optname, void* optval, uint* optlen);

    /// <summary>An object name into its 16-byte attribute field: ASCII, cut to 15 bytes, the rest left zero.</summary>
    internal static void CopyName(byte* field, string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        for (var i = 0; i < Math.Min(bytes.Length, 15); i++) field[i] = bytes[i];
    }

    /// <summary>bpf(cmd, attr): the result, or -1 with errno set.</summary>
    internal static long Bpf<T>(int cmd, ref T attr) where T : unmanaged
    {
        fixed (T* p = &attr) return syscall(SysBpf, cmd, p, sizeof(T));
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MapCreateAttr
    {
        public uint MapType;
        public uint KeySize;
        public uint ValueSize;
        public uint MaxEntries;
        public uint MapFlags;
        public uint InnerMapFd;
        public uint NumaNode;
        public fixed byte MapName[16];
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MapElemAttr
    {
        public uint MapFd;
        private readonly uint _pad;
        public ulong Key;
        public ulong Value;
        public ulong Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct ProgLoadAttr
    {
        public uint ProgType;
        public uint InsnCount;
        public ulong Insns;
        public ulong License;
        public uint LogLevel;
        public uint LogSize;
        public ulong LogBuf;
        public uint KernVersion;
        public uint ProgFlags;
        public fixed byte ProgName[16];
        public uint ProgIfIndex;
        public uint ExpectedAttachType;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct RawTracepointAttr
    {
        public ulong Name;
        public uint ProgFd;
        private readonly uint _pad;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct LinkCreateAttr
    {
        public uint ProgFd;
        public uint TargetFd;
        public uint AttachType;
        public uint Flags;
        private readonly ulong _reserved0;
        private readonly ulong _reserved1;
    }
}
