using Outgate.Daemon.Options;

namespace Outgate.Daemon.Hosting;

/// <summary>The current <see cref="DaemonMode"/>, read on every decision and switched by <c>POST /v1/mode</c>.</summary>
public sealed class ModeState(DaemonOptions options)
{
    private int _mode = (int)options.Mode;

    public DaemonMode Current => (DaemonMode)Volatile.Read(ref _mode);

    /// <summary>Switches to <paramref name="mode"/>; returns the previous mode.</summary>
    public DaemonMode Switch(DaemonMode mode) => (DaemonMode)Interlocked.Exchange(ref _mode, (int)mode);
}
