namespace Outgate.Linux.ProcFs;

/// <summary>
/// Derives the systemd unit and the container from a cgroup path. Pure string work, no I/O.
/// <code>
/// /system.slice/ssh.service                                        unit ssh.service
/// /user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox-77.scope   unit app-firefox-77.scope
/// /system.slice/docker-&lt;64hex&gt;.scope, /docker/&lt;64hex&gt;                 docker
/// /machine.slice/libpod-&lt;64hex&gt;.scope/container                         podman
/// /kubepods.slice/.../cri-containerd-&lt;64hex&gt;.scope                      containerd
/// /kubepods.slice/.../crio-&lt;64hex&gt;.scope                                cri-o
/// /kubepods/besteffort/pod&lt;uid&gt;/&lt;64hex&gt;                               kubernetes (runtime unknown)
/// /lxc.payload.web/..., /lxc/web/...                                 lxc "web"
/// </code>
/// </summary>
public static class CgroupPathParser
{
    /// <summary>The innermost (last) <c>.service</c>, <c>.scope</c> or <c>.socket</c> component.</summary>
    public static bool TryGetSystemdUnit(string cgroupPath, out string unit)
    {
        unit = "";
        if (string.IsNullOrEmpty(cgroupPath)) return false;
        var rest = cgroupPath.AsSpan();
        ReadOnlySpan<char> found = default;
        foreach (var range in rest.Split('/'))
        {
            var part = rest[range];
            if (part.Length > ".scope".Length &&
                (part.EndsWith(".service", StringComparison.Ordinal) ||
                 part.EndsWith(".scope", StringComparison.Ordinal) ||
                 part.EndsWith(".socket", StringComparison.Ordinal)))
                found = part;
        }
        if (found.IsEmpty) return false;
        unit = found.ToString();
        return true;
    }

    /// <summary>The innermost container in the path (a container inside a container reports the inner one).</summary>
    public static bool TryGetContainer(string cgroupPath, out CgroupContainer container)
    {
        container = default;
        if (string.IsNullOrEmpty(cgroupPath)) return false;
        var path = cgroupPath.AsSpan();
        var found = false;
        ReadOnlySpan<char> previous = default;
        bool underKubepods = false;
        foreach (var range in path.Split('/'))
        {
            var part = path[range];
            if (part.IsEmpty) continue;
            if (part.StartsWith("kubepods", StringComparison.Ordinal)) underKubepods = true;

            if (TryScopeId(part, "docker-", out var id)) { container = new(CgroupContainer.Docker, id, null); found = true; }
            else if (TryScopeId(part, "libpod-", out id) && !part.StartsWith("libpod-conmon-", StringComparison.Ordinal)) { container = new(CgroupContainer.Podman, id, null); found = true; }
            else if (TryScopeId(part, "cri-containerd-", out id) || TryScopeId(part, "nerdctl-", out id)) { container = new(CgroupContainer.Containerd, id, null); found = true; }
            else if (TryScopeId(part, "crio-", out id) && !part.StartsWith("crio-conmon-", StringComparison.Ordinal)) { container = new(CgroupContainer.CriO, id, null); found = true; }
            else if (IsHexId(part))
            {
                if (previous.SequenceEqual("docker")) { container = new(CgroupContainer.Docker, part.ToString(), null); found = true; }
                else if (previous.SequenceEqual("libpod_parent") || previous.StartsWith("libpod-", StringComparison.Ordinal)) { container = new(CgroupContainer.Podman, part.ToString(), null); found = true; }
                else if (underKubepods) { container = new(CgroupContainer.Kubernetes, part.ToString(), null); found = true; }
            }
            else if (part.StartsWith("lxc.payload.", StringComparison.Ordinal) && part.Length > "lxc.payload.".Length)
            {
                var name = part["lxc.payload.".Length..].ToString();
                container = new(CgroupContainer.Lxc, name, name);
                found = true;
            }
            else if (previous.SequenceEqual("lxc") && !part.StartsWith("lxc.", StringComparison.Ordinal))
            {
                var name = part.ToString();
                container = new(CgroupContainer.Lxc, name, name);
                found = true;
            }
            previous = part;
        }
        return found;
    }

    /// <summary>
    /// <c>&lt;prefix&gt;&lt;hex id&gt;.scope</c> (systemd cgroup driver, e.g. <c>docker-0123…cdef.scope</c>)
    /// or <c>&lt;prefix&gt;&lt;hex id&gt;</c> (cgroupfs driver, e.g. <c>/libpod_parent/libpod-0123…cdef</c>).
    /// </summary>
    private static bool TryScopeId(ReadOnlySpan<char> part, string prefix, out string id)
    {
        id = "";
        if (!part.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var hex = part[prefix.Length..];
        if (hex.EndsWith(".scope", StringComparison.Ordinal)) hex = hex[..^".scope".Length];
        if (!IsHexId(hex)) return false;
        id = hex.ToString();
        return true;
    }

    /// <summary>A container id: 64 lowercase hex digits (we also accept 32..128 for runtimes that shorten or extend it).</summary>
    private static bool IsHexId(ReadOnlySpan<char> s)
    {
        if (s.Length is < 32 or > 128) return false;
        foreach (var c in s)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        return true;
    }
}
