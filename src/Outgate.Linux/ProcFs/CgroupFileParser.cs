using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Picks the path that best identifies a process from /proc/&lt;pid&gt;/cgroup, whose lines are
/// <c>hierarchy-id:controllers:path</c>:
/// <code>
/// 0::/system.slice/ssh.service                          (cgroup v2, unified)
/// 1:name=systemd:/user.slice/user-1000.slice/session-3.scope  (v1, systemd's own hierarchy)
/// 4:memory:/docker/0123...cdef                          (v1 controller)
/// </code>
/// Preference: a v2 path other than "/", then the name=systemd path, then the first other v1
/// path other than "/", then "/" (hybrid hosts keep the v2 tree empty).
/// </summary>
public static class CgroupFileParser
{
    public static bool TrySelectPath(ReadOnlySpan<byte> content, out string path)
    {
        path = "";
        if (!TrySelectPathUtf8(content, out var chosen)) return false;
        path = Encoding.UTF8.GetString(chosen);
        return true;
    }

    /// <summary>The same choice as a slice of <paramref name="content"/>, without allocating (for comparing with a path already known).</summary>
    public static bool TrySelectPathUtf8(ReadOnlySpan<byte> content, out ReadOnlySpan<byte> path)
    {
        path = default;
        ReadOnlySpan<byte> unified = default, systemd = default, other = default;
        bool haveUnified = false, haveSystemd = false, haveOther = false, any = false;
        while (!content.IsEmpty)
        {
            var nl = content.IndexOf((byte)'\n');
            var line = nl < 0 ? content : content[..nl];
            content = nl < 0 ? default : content[(nl + 1)..];
            if (line.IsEmpty) continue;
            var c1 = line.IndexOf((byte)':');
            if (c1 <= 0) continue;
            var c2 = line[(c1 + 1)..].IndexOf((byte)':');
            if (c2 < 0) continue;
            var id = line[..c1];
            var controllers = line.Slice(c1 + 1, c2);
            var p = line[(c1 + 1 + c2 + 1)..];
            if (p.IsEmpty || p[0] != (byte)'/') continue;
            any = true;
            if (id.SequenceEqual("0"u8) && controllers.IsEmpty)
            {
                if (!haveUnified) { unified = p; haveUnified = true; }
            }
            else if (controllers.SequenceEqual("name=systemd"u8))
            {
                if (!haveSystemd) { systemd = p; haveSystemd = true; }
            }
            else if (!haveOther && !p.SequenceEqual("/"u8))
            {
                other = p;
                haveOther = true;
            }
        }
        if (!any) return false;
        path =
            haveUnified && !unified.SequenceEqual("/"u8) ? unified :
            haveSystemd && !systemd.SequenceEqual("/"u8) ? systemd :
            haveOther ? other :
            "/"u8;
        return true;
    }
}
