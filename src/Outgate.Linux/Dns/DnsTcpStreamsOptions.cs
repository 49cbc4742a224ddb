namespace Outgate.Linux.Dns;

/// <summary>Bounds of <see cref="DnsTcpStreams"/>.</summary>
public sealed record DnsTcpStreamsOptions
{
    /// <summary>Flows followed at once; when full, expired flows go first, then the least recently seen. Default 1024.</summary>
    public int MaxFlows { get; init; } = 1024;

    /// <summary>
    /// Bytes one flow may hold: a partial message plus out-of-order segments waiting for a gap to
    /// fill. Default 65537 (the largest framed message); a flow that needs more is given up
    /// (its messages are not read). Minimum 14.
    /// </summary>
    public int MaxBytesPerFlow { get; init; } = Dns.DnsTcpMessageFramer.MaxFramedLength;

    /// <summary>Out-of-order segments one flow holds while waiting for the missing one. Default 8.</summary>
    public int MaxHeldSegmentsPerFlow { get; init; } = 8;

    /// <summary>A flow with no segment for this long is forgotten. Default 30 s.</summary>
    public TimeSpan IdleExpiry { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFlows);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerFlow, 14);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBytesPerFlow, DnsTcpMessageFramer.MaxFramedLength);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxHeldSegmentsPerFlow);
        if (IdleExpiry <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(IdleExpiry), IdleExpiry, "idle expiry must be positive");
    }
}
