using System.Text;

namespace Outgate.Benchmarks.Domains;

/// <summary>Deterministic blocklist-shaped names (1-3 random labels, a distinct number label, a common TLD); about 27 characters on average.</summary>
internal static class BlocklistNames
{
    private static readonly string[] Tlds = ["com", "net", "org", "io", "de", "ru", "info", "xyz", "co.uk", "com.br"];

    public static string[] Generate(int count, int seed = 7)
    {
        var random = new Random(seed);
        var names = new string[count];
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Clear();
            for (int l = 0, labels = random.Next(1, 4); l < labels; l++)
            {
                for (int c = 0, length = random.Next(3, 13); c < length; c++)
                    text.Append("abcdefghijklmnopqrstuvwxyz0123456789"[random.Next(c == 0 ? 26 : 36)]);
                text.Append('.');
            }
            names[i] = text.Append(i).Append('.').Append(Tlds[i % Tlds.Length]).ToString();
        }
        return names;
    }
}
