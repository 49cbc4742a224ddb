using System.Globalization;
using Outgate.Cli.Connections;

namespace Outgate.Cli.Daemon;

/// <summary>Small pieces of text shared by the daemon commands' output.</summary>
public static class DaemonText
{
    /// <summary>A short age or time left: <c>45s</c>, <c>3m12s</c>, <c>2h05m</c>, <c>3d4h</c>; negative spans print as <c>0s</c>.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 60 ? $"{span.Minutes}m{span.Seconds:00}s"
            : span.TotalHours < 24 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
            : $"{(int)span.TotalDays}d{span.Hours}h";
    }

    /// <summary><c>10.0.0.2:443/tcp</c>, <c>[fd00::1]:443/tcp</c>, or with the name the program asked for: <c>example.com (10.0.0.2):443/tcp</c>.</summary>
    public static string Destination(string? address, int? port, string? proto, string? domain)
    {
        var host = Printable.Escape(address) is { Length: > 0 } a ? a : "?";
        var endpoint = port is { } p ? (host.Contains(':') ? $"[{host}]:{p}" : $"{host}:{p}") : host;
        if (domain is { Length: > 0 }) endpoint = port is { } p2 ? $"{Printable.Escape(domain)} ({host}):{p2}" : $"{Printable.Escape(domain)} ({host})";
        return proto is { Length: > 0 } pr ? $"{endpoint}/{Printable.Escape(pr)}" : endpoint;
    }

    /// <summary>The user name, else the uid, else "-".</summary>
    public static string User(string? name, uint? uid) =>
        Printable.Escape(name) is { Length: > 0 } n ? n : uid?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>"1 connection", "3 connections".</summary>
    public static string Count(long n, string singular) => n == 1 ? $"1 {singular}" : $"{n.ToString(CultureInfo.InvariantCulture)} {singular}s";
}
