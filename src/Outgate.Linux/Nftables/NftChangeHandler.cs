namespace Outgate.Linux.Nftables;

/// <summary>Handles one ruleset change notification; its spans are valid only during the call.</summary>
public delegate void NftChangeHandler<TState>(in NftChange change, TState state);
