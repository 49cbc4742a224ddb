namespace Outgate.Linux.ProcConnector;

/// <summary>Handles one process event.</summary>
public delegate void ProcEventHandler<TState>(in ProcEvent procEvent, TState state);
