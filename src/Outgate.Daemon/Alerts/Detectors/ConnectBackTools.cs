using System.Collections.Frozen;

namespace Outgate.Daemon.Alerts.Detectors;

/// <summary>
/// Recognises shells, interpreters and relay tools by the executable's base name: the built-in list plus
/// <c>[alerts.connect-back] extra_tools</c>. Versioned interpreter names count as their family (<c>python3.11</c>,
/// <c>perl5.36</c>, <c>ruby3.1</c>, <c>php8.2</c>, <c>lua5.4</c>, <c>tclsh8.6</c>); <c>openssl</c> counts only as
/// <c>openssl s_client</c> (a TLS relay), not when it hashes or signs. Pure; a few string compares per call.
/// </summary>
public static class ConnectBackTools
{
    private static readonly FrozenDictionary<string, ConnectBackKind> Exact = new Dictionary<string, ConnectBackKind>(StringComparer.Ordinal)
    {
        ["sh"] = ConnectBackKind.Shell, ["bash"] = ConnectBackKind.Shell, ["zsh"] = ConnectBackKind.Shell,
        ["dash"] = ConnectBackKind.Shell, ["ksh"] = ConnectBackKind.Shell, ["mksh"] = ConnectBackKind.Shell,
        ["fish"] = ConnectBackKind.Shell, ["csh"] = ConnectBackKind.Shell, ["tcsh"] = ConnectBackKind.Shell,
        ["ash"] = ConnectBackKind.Shell, ["busybox"] = ConnectBackKind.Shell,
        ["node"] = ConnectBackKind.Interpreter, ["nodejs"] = ConnectBackKind.Interpreter,
        ["nc"] = ConnectBackKind.RelayTool, ["ncat"] = ConnectBackKind.RelayTool, ["netcat"] = ConnectBackKind.RelayTool,
        ["nc.openbsd"] = ConnectBackKind.RelayTool, ["nc.traditional"] = ConnectBackKind.RelayTool,
        ["socat"] = ConnectBackKind.RelayTool, ["telnet"] = ConnectBackKind.RelayTool,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, ConnectBackKind>.AlternateLookup<ReadOnlySpan<char>> ExactBySpan = Exact.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Interpreter families whose executables carry a version: family, family3, family3.11.</summary>
    private static readonly string[] Versioned = ["python", "perl", "ruby", "php", "lua", "tclsh", "wish"];

    /// <summary>
    /// The tool <paramref name="executablePath"/> is, or null when it is none of them. <paramref name="commandLine"/>
    /// only matters for openssl (s_client).
    /// </summary>
    public static ConnectBackTool? Match(string? executablePath, string? commandLine, IReadOnlyList<string> extraTools)
    {
        if (string.IsNullOrEmpty(executablePath)) return null;
        var slash = executablePath.LastIndexOf('/');
        var name = slash >= 0 ? executablePath.AsSpan(slash + 1) : executablePath.AsSpan();
        if (name.IsEmpty) return null;
        return Kind(name, commandLine, extraTools) is { } kind ? new ConnectBackTool(executablePath, name.ToString(), kind) : null;
    }

    /// <summary>The kind of the base name <paramref name="name"/>, or null.</summary>
    public static ConnectBackKind? Kind(ReadOnlySpan<char> name, string? commandLine, IReadOnlyList<string> extraTools)
    {
        // extra_tools first: naming an interpreter there makes it a tool that is blocked, not only reported.
        foreach (var extra in extraTools)
        {
            if (name.SequenceEqual(extra)) return ConnectBackKind.RelayTool;
        }
        if (ExactBySpan.TryGetValue(name, out var kind)) return kind;
        foreach (var family in Versioned)
        {
            if (name.StartsWith(family, StringComparison.Ordinal) && IsVersion(name[family.Length..]))
                return ConnectBackKind.Interpreter;
        }
        if (name.SequenceEqual("openssl") && commandLine is not null && commandLine.Contains("s_client", StringComparison.Ordinal))
            return ConnectBackKind.RelayTool;
        return null;
    }

    /// <summary>"" (no version), "3", "3.11", "5.36": digits, optionally dot-separated groups of digits.</summary>
    private static bool IsVersion(ReadOnlySpan<char> suffix)
    {
        if (suffix.IsEmpty) return true;
        var digits = 0;
        foreach (var c in suffix)
        {
            if (char.IsAsciiDigit(c)) { digits++; continue; }
            if (c == '.' && digits > 0) { digits = 0; continue; }
            return false;
        }
        return digits > 0;
    }
}
