namespace Outgate.Linux.Dns;

/// <summary>Receives one complete DNS message (without the TCP length prefix); the span is valid only during the call.</summary>
public delegate void DnsMessageHandler<TState>(ReadOnlySpan<byte> message, TState state);
