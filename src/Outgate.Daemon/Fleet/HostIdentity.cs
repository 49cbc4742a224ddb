using Outgate.Daemon.Options;

namespace Outgate.Daemon.Fleet;

/// <summary>
/// Who this daemon is in the fleet: a stable id (a UUID created once in <c>STATE_DIR/host-id</c>, so a renamed host
/// keeps its history) and a display name (--host-name, default the kernel host name).
/// </summary>
public sealed class HostIdentity
{
    public const string FileName = "host-id";

    public HostIdentity(DaemonOptions options)
    {
        Name = options.Fleet.HostName ?? Environment.MachineName;
        IdPath = Path.Combine(options.StateDirectory, FileName);
    }

    public string Name { get; }

    public string IdPath { get; }

    /// <summary>Reads STATE_DIR/host-id, creating it with a new UUID the first time.</summary>
    /// <exception cref="IOException">The file cannot be read or written (the message names it).</exception>
    public Guid LoadOrCreateId()
    {
        if (File.Exists(IdPath))
        {
            var text = File.ReadAllText(IdPath).Trim();
            if (Guid.TryParse(text, out var id)) return id;
            throw new IOException($"{IdPath} does not hold a UUID ('{(text.Length > 40 ? text[..40] + "..." : text)}'): delete it to get a new host id (the fleet then sees a new host)");
        }
        var created = Guid.NewGuid();
        Directory.CreateDirectory(Path.GetDirectoryName(IdPath)!);
        var temp = IdPath + ".tmp";
        File.WriteAllText(temp, created.ToString("D") + "\n");
        // Another start may have raced us: keep whichever landed first.
        try { File.Move(temp, IdPath, overwrite: false); }
        catch (IOException) when (File.Exists(IdPath)) { File.Delete(temp); return LoadOrCreateId(); }
        return created;
    }
}
