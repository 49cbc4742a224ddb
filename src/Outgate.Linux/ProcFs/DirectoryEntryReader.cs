using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Iterates the <c>linux_dirent64</c> records that getdents64(2) wrote into a buffer:
/// <code>
/// u64 d_ino | s64 d_off | u16 d_reclen | u8 d_type | char d_name[] (NUL-terminated, padded to 8)
/// offset 0    offset 8    offset 16      offset 18   offset 19
/// </code>
/// A record for "12" in /proc is 24 bytes: 19 header bytes, "12\0", and 2 bytes of padding.
/// </summary>
internal ref struct DirectoryEntryReader
{
    private const int NameOffset = 19;
    private readonly ReadOnlySpan<byte> _buffer;
    private int _offset;

    public DirectoryEntryReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _offset = 0;
    }

    /// <summary>Offset of the current entry's NUL-terminated name within the buffer.</summary>
    public int NameStart { get; private set; }

    /// <summary>The current entry's name, without the NUL.</summary>
    public ReadOnlySpan<byte> Name { get; private set; }

    public byte Type { get; private set; }

    public bool MoveNext()
    {
        if (_offset + NameOffset >= _buffer.Length) return false;
        int recLen = MemoryMarshal.Read<ushort>(_buffer.Slice(_offset + 16, 2));
        if (recLen < NameOffset + 1 || _offset + recLen > _buffer.Length) return false;
        var record = _buffer.Slice(_offset, recLen);
        Type = record[18];
        var name = record[NameOffset..];
        var nul = name.IndexOf((byte)0);
        Name = nul < 0 ? name : name[..nul];
        NameStart = _offset + NameOffset;
        _offset += recLen;
        return true;
    }
}
