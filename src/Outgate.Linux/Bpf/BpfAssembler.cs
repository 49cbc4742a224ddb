using static Outgate.Linux.Bpf.BpfOp;

namespace Outgate.Linux.Bpf;

/// <summary>
/// Writes an eBPF program instruction by instruction, with named forward labels for jumps. Small on purpose: only the
/// instructions our programs use. Registers: r0 return/helper result, r1–r5 helper arguments (clobbered by calls),
/// r6–r9 kept across calls, r10 the read-only frame pointer.
/// </summary>
public sealed class BpfAssembler
{
    public const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, Fp = 10;

    private readonly List<BpfInstruction> _code = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);
    private readonly List<(int At, string Label)> _jumps = [];

    public int Count => _code.Count;

    public BpfAssembler Mov64(int dst, int src) => Emit(Alu64 | Mov | X, dst, src, 0, 0);

    public BpfAssembler MovImm(int dst, int immediate) => Emit(Alu64 | Mov | K, dst, 0, 0, immediate);

    /// <summary>dst = (u32)src: the upper half cleared.</summary>
    public BpfAssembler Mov32(int dst, int src) => Emit(Alu | Mov | X, dst, src, 0, 0);

    public BpfAssembler AddImm(int dst, int immediate) => Emit(Alu64 | Add | K, dst, 0, 0, immediate);

    public BpfAssembler AndImm32(int dst, int immediate) => Emit(Alu | And | K, dst, 0, 0, immediate);

    public BpfAssembler OrImm32(int dst, int immediate) => Emit(Alu | Or | K, dst, 0, 0, immediate);

    public BpfAssembler RshImm(int dst, int immediate) => Emit(Alu64 | Rsh | K, dst, 0, 0, immediate);

    /// <summary>dst = 64-bit constant (two instruction slots).</summary>
    public BpfAssembler LoadImm64(int dst, ulong value)
    {
        Emit(Ld | DW | Imm, dst, 0, 0, unchecked((int)(uint)value));
        return Emit(0, 0, 0, 0, unchecked((int)(uint)(value >> 32)));
    }

    /// <summary>dst = the map behind <paramref name="map"/>'s descriptor (resolved by the kernel at load).</summary>
    public BpfAssembler LoadMap(int dst, BpfMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        Emit(Ld | DW | Imm, dst, PseudoMapFd, 0, (int)map.Handle.Fd);
        return Emit(0, 0, 0, 0, 0);
    }

    /// <summary>dst = *(size *)(src + offset).</summary>
    public BpfAssembler Load(byte size, int dst, int src, short offset) => Emit((byte)(Ldx | Mem | size), dst, src, offset, 0);

    /// <summary>*(size *)(dst + offset) = src.</summary>
    public BpfAssembler Store(byte size, int dst, short offset, int src) => Emit((byte)(Stx | Mem | size), dst, src, offset, 0);

    /// <summary>*(size *)(dst + offset) = immediate.</summary>
    public BpfAssembler StoreImm(byte size, int dst, short offset, int immediate) => Emit((byte)(St | Mem | size), dst, 0, offset, immediate);

    /// <summary>*(u64 *)(dst + offset) += src, atomically (programs on one CPU can preempt each other).</summary>
    public BpfAssembler AtomicAdd64(int dst, short offset, int src) => Emit(Stx | DW | Atomic, dst, src, offset, Add);

    public BpfAssembler Call(int helper) => Emit(Jmp | BpfOp.Call, 0, 0, 0, helper);

    public BpfAssembler Exit() => Emit(Jmp | BpfOp.Exit, 0, 0, 0, 0);

    /// <summary>if (dst op immediate) goto label.</summary>
    public BpfAssembler JumpIf(byte op, int dst, int immediate, string label) => EmitJump((byte)(Jmp | op | K), dst, 0, immediate, label);

    /// <summary>if (dst op src) goto label.</summary>
    public BpfAssembler JumpIfReg(byte op, int dst, int src, string label) => EmitJump((byte)(Jmp | op | X), dst, src, 0, label);

    public BpfAssembler Goto(string label) => EmitJump(Jmp | Ja, 0, 0, 0, label);

    public BpfAssembler Label(string name)
    {
        if (!_labels.TryAdd(name, _code.Count)) throw new InvalidOperationException($"label '{name}' is defined twice");
        return this;
    }

    /// <summary>The finished program, every jump resolved.</summary>
    public BpfInstruction[] Build()
    {
        var code = _code.ToArray();
        foreach (var (at, label) in _jumps)
        {
            if (!_labels.TryGetValue(label, out var target)) throw new InvalidOperationException($"jump to undefined label '{label}'");
            var offset = target - at - 1;
            if (offset < 0) throw new InvalidOperationException($"jump back to '{label}': eBPF programs we write only jump forward");
            code[at] = code[at] with { Offset = checked((short)offset) };
        }
        return code;
    }

    private BpfAssembler EmitJump(byte code, int dst, int src, int immediate, string label)
    {
        _jumps.Add((_code.Count, label));
        return Emit(code, dst, src, 0, immediate);
    }

    private BpfAssembler Emit(int code, int dst, int src, short offset, int immediate)
    {
        _code.Add(BpfInstruction.Of((byte)code, dst, src, offset, immediate));
        return this;
    }
}
