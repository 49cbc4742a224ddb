namespace Outgate.Policy.Tests;

public sealed class DnsSwitchStatusTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-26T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verbose_status_names_dns_required_and_block_doh_only_when_on()
    {
        var off = UfwStatusFormatter.Format(new FirewallPolicy(), UfwStatusView.Verbose, active: true, Now, null);
        Assert.DoesNotContain("DNS required", off, StringComparison.Ordinal);
        Assert.DoesNotContain("DoH", off, StringComparison.Ordinal);

        var on = UfwStatusFormatter.Format(new FirewallPolicy { DnsRequired = true, BlockDoh = true, DnsGrace = TimeSpan.FromSeconds(5) },
            UfwStatusView.Verbose, active: true, Now, null);
        Assert.Contains("DNS required: on (grace 5s)", on, StringComparison.Ordinal);
        Assert.Contains("Public DoH/DoT resolvers: blocked", on, StringComparison.Ordinal);
        Assert.StartsWith("Status: active\nLogging:", on, StringComparison.Ordinal);
    }
}
