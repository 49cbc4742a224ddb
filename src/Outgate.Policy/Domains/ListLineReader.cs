namespace Outgate.Policy.Domains;

/// <summary>
/// Streams a list file line by line as bytes: a 64 KiB buffer reused for the whole file, no string per line, no
/// regex. A line is handed out trimmed of spaces, tabs and '\r'; a UTF-8 byte-order mark on the first line is
/// dropped. A line longer than the buffer is handed out empty with <see cref="LineTooLong"/> set.
/// </summary>
internal sealed class ListLineReader(Stream stream)
{
    private const int BufferSize = 64 * 1024;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _skippingLongLine;

    /// <summary>1-based number of the line last returned.</summary>
    public int LineNumber { get; private set; }

    public bool LineTooLong { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        LineTooLong = false;
        while (true)
        {
            var window = _buffer.AsSpan(_start, _end - _start);
            var newline = window.IndexOf((byte)'\n');
            if (newline >= 0 || (_endOfStream && !window.IsEmpty) || (_endOfStream && _skippingLongLine))
            {
                var raw = newline >= 0 ? window[..newline] : window;
                _start += newline >= 0 ? newline + 1 : window.Length;
                LineNumber++;
                if (_skippingLongLine)
                {
                    _skippingLongLine = false;
                    LineTooLong = true;
                    raw = default;
                }

                if (LineNumber == 1 && raw.StartsWith("\uFEFF"u8)) raw = raw[3..];
                line = raw.Trim(" \t\r"u8);
                return true;
            }

            if (_endOfStream)
            {
                line = default;
                return false;
            }

            if (_start > 0)
            {
                window.CopyTo(_buffer);
                _end = window.Length;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                _skippingLongLine = true; // drop what we have and keep reading to the end of this line
                _end = 0;
            }

            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) _endOfStream = true;
            _end += read;
        }
    }
}
