using System.Buffers.Binary;
using System.Text;

namespace Outgate.Benchmarks.Dns;

/// <summary>
/// The zone dnsmasq answers in the latency runs, and the queries the client asks: A and AAAA for
/// <c>wwwN.bench.test</c> (one address each), A for <c>cdnN.bench.test</c> (a CNAME to
/// <c>wwwN</c>, so the tracker follows a chain), A for <c>multiN.bench.test</c> (two addresses).
/// Answers carry a 300 s TTL.
/// </summary>
internal static class DnsTestZone
{
    public const int Hosts = 8;
    public const ushort A = 1, AAAA = 28;

    public static string ConfigLines()
    {
        var text = new StringBuilder();
        text.AppendLine("local-ttl=300");
        for (var i = 1; i <= Hosts; i++)
        {
            text.AppendLine($"host-record=www{i}.bench.test,10.216.1.{i},fd00:216::{i:x}");
            text.AppendLine($"cname=cdn{i}.bench.test,www{i}.bench.test");
            text.AppendLine($"address=/multi{i}.bench.test/10.216.2.{i}");
            text.AppendLine($"address=/multi{i}.bench.test/10.216.3.{i}");
        }
        return text.ToString();
    }

    /// <summary>The queries, cycled through by every client thread.</summary>
    public static (string Name, ushort Type)[] Queries() =>
        [.. Enumerable.Range(1, Hosts).SelectMany(i => new (string, ushort)[]
        {
            ($"www{i}.bench.test", A), ($"www{i}.bench.test", AAAA), ($"cdn{i}.bench.test", A), ($"multi{i}.bench.test", A),
        })];

    /// <summary>A recursion-desired query for <paramref name="name"/> with id 0 (patched per send).</summary>
    public static byte[] Query(string name, ushort type)
    {
        var message = new byte[12 + name.Length + 2 + 4];
        message[2] = 0x01; // RD
        message[5] = 1;    // QDCOUNT
        var at = 12;
        foreach (var label in name.Split('.'))
        {
            message[at++] = (byte)label.Length;
            at += Encoding.ASCII.GetBytes(label, message.AsSpan(at));
        }
        message[at++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at + 2), 1); // class IN
        return message;
    }
}
