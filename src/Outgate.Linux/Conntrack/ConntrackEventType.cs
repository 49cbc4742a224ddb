namespace Outgate.Linux.Conntrack;

/// <summary>What happened to a conntrack entry.</summary>
public enum ConntrackEventType : byte
{
    /// <summary>IPCTNL_MSG_CT_NEW with NLM_F_CREATE: the entry was confirmed (first packet left).</summary>
    New,
    /// <summary>IPCTNL_MSG_CT_NEW without NLM_F_CREATE: state, mark or status changed.</summary>
    Update,
    /// <summary>IPCTNL_MSG_CT_DELETE: the entry ended; carries the final counters when accounting is on.</summary>
    Destroy,
}
