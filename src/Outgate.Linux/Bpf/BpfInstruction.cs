using System.Runtime.InteropServices;

namespace Outgate.Linux.Bpf;

/// <summary>One eBPF instruction as the kernel reads it: opcode, dst/src registers, offset, immediate (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly record struct BpfInstruction(byte Code, byte Registers, short Offset, int Immediate)
{
    public static BpfInstruction Of(byte code, int dst, int src, short offset, int immediate) =>
        new(code, (byte)((dst & 0xf) | ((src & 0xf) << 4)), offset, immediate);

    public int Destination => Registers & 0xf;

    public int Source => Registers >> 4;
}

/// <summary>The opcode parts (linux/bpf_common.h, linux/bpf.h).</summary>
public static class BpfOp
{
    public const byte Ld = 0x00, Ldx = 0x01, St = 0x02, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Alu64 = 0x07;
    public const byte W = 0x00, H = 0x08, B = 0x10, DW = 0x18;
    public const byte Imm = 0x00, Mem = 0x60, Atomic = 0xc0;
    public const byte K = 0x00, X = 0x08;
    public const byte Add = 0x00, And = 0x50, Rsh = 0x70, Mov = 0xb0, Or = 0x40;
    public const byte Ja = 0x00, Jeq = 0x10, Jge = 0x30, Jne = 0x50, Jset = 0x40, Call = 0x80, Exit = 0x90;

    /// <summary>src_reg of a 64-bit immediate load that holds a map file descriptor.</summary>
    public const int PseudoMapFd = 1;
}
