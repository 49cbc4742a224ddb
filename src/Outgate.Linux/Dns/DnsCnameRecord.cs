namespace Outgate.Linux.Dns;

/// <summary>A CNAME answer: <paramref name="Name"/> is an alias of <paramref name="Target"/> for <paramref name="Ttl"/> seconds.</summary>
public sealed record DnsCnameRecord(string Name, string Target, uint Ttl);
