namespace Outgate.Policy.Tests.Domains;

/// <summary>Deterministic blocklist-shaped names: 1-3 labels of 3-12 letters/digits under a handful of TLDs.</summary>
internal static class DomainCorpus
{
    private static readonly string[] Tlds = ["com", "net", "org", "io", "de", "ru", "info", "xyz", "co.uk", "com.br"];

    public static string[] Names(int count, int seed = 42)
    {
        var random = new Random(seed);
        var names = new string[count];
        Span<char> label = stackalloc char[12];
        for (var i = 0; i < count; i++)
        {
            var labels = random.Next(1, 4);
            var text = new System.Text.StringBuilder();
            for (var l = 0; l < labels; l++)
            {
                var length = random.Next(3, 13);
                for (var c = 0; c < length; c++) label[c] = "abcdefghijklmnopqrstuvwxyz0123456789"[random.Next(c == 0 ? 26 : 36)];
                text.Append(label[..length]).Append('.');
            }
            names[i] = text.Append(i).Append('.').Append(Tlds[i % Tlds.Length]).ToString(); // the number keeps names distinct
        }
        return names;
    }
}
