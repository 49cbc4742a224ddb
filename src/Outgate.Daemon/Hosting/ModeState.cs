using Outgate.Daemon.Options;

namespace Outgate.Daemon.Hosting;

/// <summary>
/// The current <see cref="DaemonMode"/>, read on every decision and switched by <c>POST /v1/mode</c>.
/// A switch is saved in the state directory so a restart (also after SIGKILL) comes back in the
/// same mode; an explicit --mode at start wins over the saved one.
/// </summary>
public sealed class ModeState
{
    private readonly string _file;
    private int _mode;

    public ModeState(DaemonOptions options)
    {
        _file = options.ModeFilePath;
        _mode = (int)(!options.ModeGiven && ReadSaved(_file) is { } saved ? saved : options.Mode);
    }

    public DaemonMode Current => (DaemonMode)Volatile.Read(ref _mode);

    /// <summary>Raised after a switch (on the switching thread).</summary>
    public event Action? Changed;

    /// <summary>Switches to <paramref name="mode"/>; returns the previous mode.</summary>
    public DaemonMode Switch(DaemonMode mode)
    {
        var previous = (DaemonMode)Interlocked.Exchange(ref _mode, (int)mode);
        Save(mode);
        Changed?.Invoke();
        return previous;
    }

    /// <summary>Writes the current mode (at start too, so the file always says what runs).</summary>
    public void Save(DaemonMode mode)
    {
        try
        {
            var temp = _file + ".tmp";
            File.WriteAllText(temp, mode.ToName() + "\n");
            File.Move(temp, _file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the switch applies now, it just will not survive a restart.
        }
    }

    private static DaemonMode? ReadSaved(string file)
    {
        try
        {
            return File.Exists(file) && DaemonModes.TryParse(File.ReadAllText(file), out var mode) ? mode : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
