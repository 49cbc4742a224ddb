namespace Outgate.EndToEnd.Tests.Domains;

/// <summary>
/// The names dnsmasq serves in every <see cref="DomainLab"/> and the server address (last octet /
/// last IPv6 group, on the server namespace's veth) each maps to. All TTLs are 1 s.
/// </summary>
internal static class TestZone
{
    public const string Domain = "test";

    /// <summary>A 10.S.0.11, AAAA fd00:S::11.</summary>
    public const string Allowed = "allowed.test";
    public const int AllowedHost = 11;

    /// <summary>A 10.S.0.12 only: "another name on the same port".</summary>
    public const string Other = "other.test";
    public const int OtherHost = 12;

    /// <summary>www.test CNAME edge.test CNAME final.test (A .13, AAAA ::13).</summary>
    public const string Alias = "www.test";
    public const string Middle = "edge.test";
    public const string Final = "final.test";
    public const int FinalHost = 13;

    /// <summary>From a hosts file: A .14 .15 .16, AAAA ::14 ::15.</summary>
    public const string Multi = "multi.test";
    public static readonly int[] MultiHosts = [14, 15, 16];
    public static readonly int[] MultiHostsV6 = [14, 15];

    /// <summary>Two names, one address (.17).</summary>
    public const string SharedA = "shared-a.test";
    public const string SharedB = "shared-b.test";
    public const int SharedHost = 17;

    /// <summary>x1.cdn.test (.18) is below cdn.test; the apex cdn.test (.19) is not.</summary>
    public const string CdnChild = "x1.cdn.test";
    public const int CdnChildHost = 18;
    public const string CdnApex = "cdn.test";
    public const int CdnApexHost = 19;

    /// <summary>From its own hosts file: .20 at start, rewritten to .21 by the churn test.</summary>
    public const string Churn = "churn.test";
    public const int ChurnOldHost = 20;
    public const int ChurnNewHost = 21;
    public const string ChurnHostsFile = "churn.hosts";

    /// <summary>For the app + domain rule (.22).</summary>
    public const string Api = "api.test";
    public const int ApiHost = 22;

    /// <summary>Listed in the blocklist in three formats (.23 .24 .25) and one unlisted (.26).</summary>
    public const string Ads = "ads.test";
    public const string Tracker = "tracker.test";
    public const string Evil = "evil.test";
    public const string Fine = "fine.test";
    public const int AdsHost = 23, TrackerHost = 24, EvilHost = 25, FineHost = 26;

    /// <summary>
    /// The server's own main address (.2), for UDP services: the lab's UDP echo answers from the
    /// main address, so a query to an extra address would get a reply conntrack cannot match.
    /// </summary>
    public const string Ntp = "ntp.test";
    public const int NtpHost = 2;

    /// <summary>Every host number above: each becomes an extra IPv4 and IPv6 address of the server.</summary>
    public static readonly int[] AllHosts = [.. Enumerable.Range(11, 16)];

    /// <summary>Hosts files given to dnsmasq (--addn-hosts): several A/AAAA per name, and the churn name.</summary>
    public static IReadOnlyDictionary<string, string> HostsFiles(Func<int, string> v4, Func<int, string> v6) => new Dictionary<string, string>
    {
        ["multi.hosts"] = string.Concat(MultiHosts.Select(h => $"{v4(h)} {Multi}\n")) + string.Concat(MultiHostsV6.Select(h => $"{v6(h)} {Multi}\n")),
        [ChurnHostsFile] = $"{v4(ChurnOldHost)} {Churn}\n",
    };

    /// <summary>The churn hosts file after the change: the name now answers the new address only.</summary>
    public static string ChurnedHostsFile(Func<int, string> v4) => $"{v4(ChurnNewHost)} {Churn}\n";

    /// <summary>dnsmasq options for the rest of the zone.</summary>
    public static IEnumerable<string> DnsmasqOptions(Func<int, string> v4, Func<int, string> v6) =>
    [
        $"--host-record={Allowed},{v4(AllowedHost)},{v6(AllowedHost)}",
        $"--host-record={Other},{v4(OtherHost)}",
        $"--host-record={Final},{v4(FinalHost)},{v6(FinalHost)}",
        $"--cname={Middle},{Final}",
        $"--cname={Alias},{Middle}",
        $"--host-record={SharedA},{v4(SharedHost)}",
        $"--host-record={SharedB},{v4(SharedHost)}",
        $"--host-record={CdnChild},{v4(CdnChildHost)}",
        $"--host-record={CdnApex},{v4(CdnApexHost)}",
        $"--host-record={Api},{v4(ApiHost)}",
        $"--host-record={Ads},{v4(AdsHost)}",
        $"--host-record={Tracker},{v4(TrackerHost)}",
        $"--host-record={Evil},{v4(EvilHost)}",
        $"--host-record={Fine},{v4(FineHost)}",
        $"--host-record={Ntp},{v4(NtpHost)}",
    ];

    /// <summary>A blocklist in the three accepted formats: hosts line, plain name, adblock rule; plus comments.</summary>
    public const string Blocklist = """
        # test blocklist: one entry per accepted format
        0.0.0.0 ads.test
        tracker.test
        ||evil.test^
        """;
}
