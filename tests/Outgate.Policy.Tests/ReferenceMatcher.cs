using System.Net;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Outgate.Policy.Tests;

/// <summary>
/// A deliberately naive second implementation of the matching semantics (big-integer prefix arithmetic, expanded port
/// sets, regex interfaces) to check <see cref="PolicyMatcher"/> against.
/// </summary>
internal static class ReferenceMatcher
{
    public static (Verdict Verdict, int Rule) Decide(FirewallPolicy policy, PacketFacts p)
    {
        var iface = p.Direction == Direction.Out ? p.OutInterface : p.InInterface;
        if (p.Direction != Direction.Forward && iface == "lo")
        {
            return (Verdict.Accept, 0);
        }

        var v6 = p.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (!v6 && p.Protocol == 1 && new[] { 3, 8, 11, 12 }.Contains(p.IcmpType))
        {
            return (Verdict.Accept, 0);
        }

        if (v6 && p.Protocol == 58)
        {
            var ok = p.IcmpType is 1 or 2 or 3 or 4 or 128
                || (p.Direction == Direction.In && p.IcmpType is 134 or 135 or 136 or 137)
                || (p.Direction == Direction.Out && p.IcmpType is 133 or 135 or 136)
                || (p.Direction == Direction.In && p.IcmpType == 130 && InPrefix(p.Source, IPAddress.Parse("fe80::"), 10))
                || (p.Direction == Direction.Out && p.IcmpType is 131 or 143 && InPrefix(p.Source, IPAddress.Parse("fe80::"), 10));
            if (ok)
            {
                return (Verdict.Accept, 0);
            }
        }

        if (p.Protocol == 17 && ((p.Direction == Direction.In && ((p.SourcePort == 67 && p.DestinationPort == 68) || (p.SourcePort == 547 && p.DestinationPort == 546)))
            || (p.Direction == Direction.Out && ((p.SourcePort == 68 && p.DestinationPort == 67) || (p.SourcePort == 546 && p.DestinationPort == 547)))))
        {
            return (Verdict.Accept, 0);
        }

        for (var i = 0; i < policy.Rules.Count; i++)
        {
            var r = policy.Rules[i];
            if (r.Direction != p.Direction)
            {
                continue;
            }

            if (r.Interface is not null && (iface is null || !Regex.IsMatch(iface, "^" + Regex.Escape(r.Interface).Replace("\\+", "+", StringComparison.Ordinal).Replace("+", ".*", StringComparison.Ordinal) + "$")))
            {
                continue;
            }

            var ipv4Only = r.Protocol is Protocol.Igmp or Protocol.Ipv6;
            if (ipv4Only && v6)
            {
                continue;
            }

            if (r.From is { } f && !InPrefix(p.Source, f.BaseAddress, f.PrefixLength))
            {
                continue;
            }

            if (r.To is { } t && !InPrefix(p.Destination, t.BaseAddress, t.PrefixLength))
            {
                continue;
            }

            var ports = r.FromPort is not null || r.ToPort is not null;
            if (r.Protocol == Protocol.Any ? ports && p.Protocol != 6 && p.Protocol != 17 : (int)r.Protocol != p.Protocol)
            {
                continue;
            }

            if (r.FromPort is { } fp && !Expand(fp).Contains(p.SourcePort))
            {
                continue;
            }

            if (r.ToPort is { } tp && !Expand(tp).Contains(p.DestinationPort))
            {
                continue;
            }

            return (r.Action switch { RuleAction.Deny => Verdict.Drop, RuleAction.Reject => Verdict.Reject, _ => Verdict.Accept }, i + 1);
        }

        return (policy.Defaults.For(p.Direction) switch { DefaultPolicy.Deny => Verdict.Drop, DefaultPolicy.Reject => Verdict.Reject, _ => Verdict.Accept }, 0);
    }

    private static HashSet<int> Expand(PortSpec spec) => spec.Ranges.SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)).ToHashSet();

    private static bool InPrefix(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var bits = address.GetAddressBytes().Length * 8;
        var a = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var n = new BigInteger(network.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        return a >> (bits - prefix) == n >> (bits - prefix);
    }
}
