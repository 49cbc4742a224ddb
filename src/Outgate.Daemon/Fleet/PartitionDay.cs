using System.Globalization;

namespace Outgate.Daemon.Fleet;

/// <summary>One day partition of the fleet's events table: <c>events_pYYYYMMDD</c> holding [day 00:00 UTC, next day).</summary>
public readonly record struct PartitionDay(DateOnly Day)
{
    public string TableName => "events_p" + Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public string From => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";

    public string To => Day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 00:00:00+00";

    public string CreateSql => $"CREATE TABLE IF NOT EXISTS {TableName} PARTITION OF events FOR VALUES FROM ('{From}') TO ('{To}')";

    public static PartitionDay Of(DateTimeOffset time) => new(DateOnly.FromDateTime(time.UtcDateTime));

    /// <summary>The distinct days <paramref name="times"/> fall on, in order.</summary>
    public static IReadOnlyList<PartitionDay> Covering(IEnumerable<DateTimeOffset> times) =>
        [.. times.Select(Of).Distinct().OrderBy(d => d.Day)];
}
