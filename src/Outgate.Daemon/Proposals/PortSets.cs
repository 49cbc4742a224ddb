using Outgate.Policy;

namespace Outgate.Daemon.Proposals;

/// <summary>
/// Ports seen → ufw port lists: sorted, runs of three or more consecutive ports written as a range, split into several
/// lists when one would exceed ufw's <see cref="PortSpec.MaxListCount"/> entries (a range counting twice).
/// </summary>
public static class PortSets
{
    public static IReadOnlyList<PortSpec> From(IEnumerable<int> ports)
    {
        var sorted = ports.Where(p => p is >= 1 and <= 65535).Distinct().Order().ToList();
        var ranges = new List<PortRange>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            if (j - i >= 2)
            {
                ranges.Add(new PortRange(sorted[i], sorted[j]));
            }
            else
            {
                for (var k = i; k <= j; k++) ranges.Add(new PortRange(sorted[k], sorted[k]));
            }

            i = j + 1;
        }

        var specs = new List<PortSpec>();
        var chunk = new List<PortRange>();
        var count = 0;
        foreach (var range in ranges)
        {
            var weight = range.IsSingle ? 1 : 2;
            if (count + weight > PortSpec.MaxListCount)
            {
                specs.Add(new PortSpec(chunk));
                chunk = [];
                count = 0;
            }

            chunk.Add(range);
            count += weight;
        }

        if (chunk.Count > 0) specs.Add(new PortSpec(chunk));
        return specs;
    }
}
