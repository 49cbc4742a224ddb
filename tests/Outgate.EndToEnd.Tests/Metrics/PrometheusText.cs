using System.Globalization;
using System.Text.RegularExpressions;

namespace Outgate.EndToEnd.Tests.Metrics;

/// <summary>The samples of a Prometheus text exposition: name, labels, value (comments skipped).</summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> samples, string text)
    {
        Samples = samples;
        Text = text;
    }

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples { get; }

    public string Text { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = Sample().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>();
            foreach (Match l in Label().Matches(m.Groups["labels"].Value)) labels[l.Groups[1].Value] = l.Groups[2].Value;
            var value = m.Groups["value"].Value switch { "+Inf" => double.PositiveInfinity, "NaN" => double.NaN, var v => double.Parse(v, CultureInfo.InvariantCulture) };
            samples.Add((m.Groups["name"].Value, labels, value));
        }
        return new PrometheusText(samples, text);
    }

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include <paramref name="labels"/> ("k=v").</summary>
    public double Value(string name, params string[] labels)
    {
        var matches = Find(name, labels).ToList();
        Assert.True(matches.Count == 1, $"expected one sample {name}{{{string.Join(',', labels)}}}, found {matches.Count} in:\n{Text}");
        return matches[0];
    }

    public IEnumerable<double> Find(string name, params string[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is var kv && s.Labels.TryGetValue(kv[0], out var v) && v == kv[1])).Select(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
