namespace Outgate.Linux.Conntrack;

/// <summary>Handles one conntrack event.</summary>
public delegate void ConntrackEventHandler<TState>(in ConntrackEvent conntrackEvent, TState state);
