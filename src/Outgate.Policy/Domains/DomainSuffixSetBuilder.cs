using System.Numerics;
using System.Security.Cryptography;

namespace Outgate.Policy.Domains;

/// <summary>
/// Collects domain names for a <see cref="DomainSuffixSet"/>. Names are validated and lower-cased as they come
/// (see <see cref="DomainNameSyntax"/>) into one growing byte buffer, so adding a million names makes no per-name
/// objects; <see cref="Build"/> then drops duplicates (merging their scopes) into an exact-size copy.
/// </summary>
public sealed class DomainSuffixSetBuilder
{
    private byte[] _buffer;
    private int _length;

    public DomainSuffixSetBuilder(int expectedNames = 1024) => _buffer = new byte[Math.Max(64, expectedNames * 32)];

    /// <summary>Names accepted so far, duplicates included.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an ASCII name (a trailing dot is dropped, letters lower-cased); returns why it was refused, if it was.</summary>
    public DomainNameError Add(ReadOnlySpan<byte> name, DomainMatchScope scope)
    {
        if (_buffer.Length - _length < 2 + DomainNameSyntax.MaxLength)
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, 1024)));
        if (_buffer.Length - _length < 2 + DomainNameSyntax.MaxLength) return DomainNameError.TooLong; // 2 GB of names: nothing sensible left to do

        var error = DomainNameSyntax.Normalize(name, _buffer.AsSpan(_length + 2), out var length);
        if (error != DomainNameError.None) return error;
        _buffer[_length] = (byte)length;
        _buffer[_length + 1] = (byte)scope;
        _length += 2 + length;
        Count++;
        return DomainNameError.None;
    }

    /// <summary>Adds a name given as text; anything outside ASCII is refused (<see cref="DomainNameError.NotAscii"/>).</summary>
    public DomainNameError Add(ReadOnlySpan<char> name, DomainMatchScope scope)
    {
        if (name.Length > DomainNameSyntax.MaxLength + 1) return DomainNameError.TooLong;
        Span<byte> bytes = stackalloc byte[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] >= 0x80) return DomainNameError.NotAscii;
            bytes[i] = (byte)name[i];
        }

        return Add(bytes, scope);
    }

    /// <summary>Builds the set; the builder can keep adding and build again.</summary>
    public DomainSuffixSet Build()
    {
        var slots = GC.AllocateArray<ulong>((int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, Count * 2)), pinned: true);
        var mask = slots.Length - 1;
        // A fresh seed per build: which names cluster in the table cannot be planned from outside.
        var seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var entries = GC.AllocateUninitializedArray<byte>(_length);
        int written = 0, distinct = 0;
        UInt128 labelCounts = 0;
        for (var offset = 0; offset < _length;)
        {
            int length = _buffer[offset];
            var record = _buffer.AsSpan(offset, 2 + length);
            offset += record.Length;
            var name = record[2..];
            var hash = DomainHash.Of(name, seed);
            var fingerprint = (uint)(hash >> 32);
            var slot = (int)hash & mask;
            var duplicate = false;
            for (; slots[slot] != 0; slot = (slot + 1) & mask)
            {
                if ((uint)(slots[slot] >> 32) != fingerprint) continue;
                var existing = (int)(uint)slots[slot] - 1;
                if (entries[existing] == length && entries.AsSpan(existing + 2, length).SequenceEqual(name))
                {
                    entries[existing + 1] |= record[1];
                    duplicate = true;
                    break;
                }
            }

            if (duplicate) continue;
            labelCounts |= UInt128.One << (name.Count((byte)'.') + 1);
            record.CopyTo(entries.AsSpan(written));
            slots[slot] = ((ulong)fingerprint << 32) | (uint)(written + 1);
            written += record.Length;
            distinct++;
        }

        if (written < entries.Length) Array.Resize(ref entries, written);
        return new DomainSuffixSet(entries, slots, seed, distinct, labelCounts);
    }
}
