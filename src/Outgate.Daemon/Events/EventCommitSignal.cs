namespace Outgate.Daemon.Events;

/// <summary>
/// Wakes readers (the SSE stream) when the writer committed a batch. Take the task from
/// <see cref="WaitAsync"/> before querying, then await it, so no commit is missed in between.
/// </summary>
public sealed class EventCommitSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync() => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
