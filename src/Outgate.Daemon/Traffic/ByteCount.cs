using System.Globalization;

namespace Outgate.Daemon.Traffic;

/// <summary>Byte counts for people: decimal units as the policy's thresholds use them (20 MB = 20,000,000 bytes).</summary>
public static class ByteCount
{
    public static string Format(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B") : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
