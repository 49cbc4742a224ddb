using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outgate.Cli.Connections;

/// <summary>
/// The `--json` document, schema "outgate.connections/v1" (docs/connections.md). Field names and
/// meanings are stable; new fields may be added, none removed or renamed without a new version.
/// </summary>
public sealed record ConnectionsDocument(
    string Schema,
    DateTimeOffset Time,
    bool Complete,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ConnectionJson> Connections);

public sealed record ConnectionJson(
    string Proto,
    string Family,
    string LocalAddress,
    int LocalPort,
    string RemoteAddress,
    int RemotePort,
    string State,
    uint Uid,
    string? User,
    ulong Inode,
    int? Pid,
    IReadOnlyList<int> Pids,
    string? Program,
    string? Exe,
    string? Cmdline,
    string? Cgroup,
    string? Unit,
    string? ContainerRuntime,
    string? ContainerId,
    string? ContainerName,
    string? Sha256,
    ulong? BytesSent,
    ulong? BytesReceived,
    double? RttMs,
    string? Domain)
{
    public const string SchemaName = "outgate.connections/v1";

    /// <summary>CSV uses the same names in the same order.</summary>
    public static readonly string[] FieldNames =
    [
        "proto", "family", "local_address", "local_port", "remote_address", "remote_port", "state", "uid", "user",
        "inode", "pid", "pids", "program", "exe", "cmdline", "cgroup", "unit", "container_runtime", "container_id",
        "container_name", "sha256", "bytes_sent", "bytes_received", "rtt_ms", "domain",
    ];

    public static ConnectionJson From(ConnectionRow r) => new(
        SocketNames.Protocol(r.Protocol),
        r.IsIPv6 ? "ipv6" : "ipv4",
        r.LocalAddress.ToString(),
        r.LocalPort,
        r.RemoteAddress.ToString(),
        r.RemotePort,
        r.StateName,
        r.Uid,
        r.UserName,
        r.Inode,
        r.Pid,
        r.Pids,
        r.Program,
        r.ExecutablePath,
        r.CommandLine,
        r.CgroupPath,
        r.SystemdUnit,
        r.ContainerRuntime,
        r.ContainerId,
        r.ContainerName,
        r.Sha256,
        r.BytesSent,
        r.BytesReceived,
        r.RttMilliseconds,
        r.Domain);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ConnectionsDocument))]
public sealed partial class ConnectionJsonContext : JsonSerializerContext;
