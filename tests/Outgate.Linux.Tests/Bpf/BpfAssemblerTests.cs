using Outgate.Linux.Bpf;
using static Outgate.Linux.Bpf.BpfAssembler;
using static Outgate.Linux.Bpf.BpfOp;

namespace Outgate.Linux.Tests.Bpf;

/// <summary>The instruction encoding against what the kernel's headers define, and the label bookkeeping.</summary>
public class BpfAssemblerTests
{
    [Fact]
    public void Instructions_are_eight_bytes_with_registers_in_one_byte()
    {
        Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<BpfInstruction>());
        var i = BpfInstruction.Of(0xbf, dst: 6, src: 1, offset: 0, immediate: 0); // r6 = r1
        Assert.Equal(0x16, i.Registers);
        Assert.Equal((6, 1), (i.Destination, i.Source));
    }

    [Fact]
    public void Encodes_the_opcodes_the_kernel_expects()
    {
        var code = new BpfAssembler()
            .Mov64(R6, R1)                 // BPF_ALU64 | BPF_MOV | BPF_X = 0xbf
            .MovImm(R0, 1)                 // BPF_ALU64 | BPF_MOV | BPF_K = 0xb7
            .Load(W, R2, R6, 32)           // BPF_LDX | BPF_MEM | BPF_W = 0x61
            .Store(DW, Fp, -8, R0)         // BPF_STX | BPF_MEM | BPF_DW = 0x7b
            .StoreImm(B, Fp, -1, 6)        // BPF_ST | BPF_MEM | BPF_B = 0x72
            .AtomicAdd64(R0, 0, R2)        // BPF_STX | BPF_ATOMIC | BPF_DW = 0xdb, imm BPF_ADD
            .Call(14)                      // BPF_JMP | BPF_CALL = 0x85
            .LoadImm64(R2, 0x1122334455667788) // BPF_LD | BPF_IMM | BPF_DW = 0x18, two slots
            .Exit()                        // 0x95
            .Build();
        Assert.Equal([0xbf, 0xb7, 0x61, 0x7b, 0x72, 0xdb, 0x85, 0x18, 0x00, 0x95], code.Select(c => c.Code));
        Assert.Equal((short)-8, code[3].Offset);
        Assert.Equal(14, code[6].Immediate);
        Assert.Equal((0x55667788, 0x11223344), (code[7].Immediate, code[8].Immediate));
    }

    [Fact]
    public void Forward_jumps_land_on_their_label()
    {
        var code = new BpfAssembler()
            .JumpIf(Jne, R2, 1, "out")     // 0x55
            .MovImm(R0, 0)
            .MovImm(R0, 0)
            .Label("out")
            .MovImm(R0, 1)
            .Exit()
            .Build();
        Assert.Equal(0x55, code[0].Code);
        Assert.Equal(2, code[0].Offset); // skips the two instructions after it
    }

    [Fact]
    public void Undefined_twice_defined_and_backward_labels_are_refused()
    {
        Assert.Contains("undefined label 'nowhere'", Assert.Throws<InvalidOperationException>(() => new BpfAssembler().Goto("nowhere").Build()).Message);
        Assert.Contains("defined twice", Assert.Throws<InvalidOperationException>(() => new BpfAssembler().Label("a").Label("a")).Message);
        Assert.Contains("only jump forward", Assert.Throws<InvalidOperationException>(() => new BpfAssembler().Label("top").Goto("top").Build()).Message);
    }
}
