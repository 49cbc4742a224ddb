using System.Text.Json.Serialization;

namespace Outgate.Daemon.Events;

/// <summary>Severity, ordered as syslog's (RFC 5424) from least to most severe.</summary>
public enum EventSeverity
{
    [JsonStringEnumMemberName("debug")] Debug,
    [JsonStringEnumMemberName("info")] Info,
    [JsonStringEnumMemberName("notice")] Notice,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("critical")] Critical,
}
