using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Outgate.Linux.Nftables;

/// <summary>
/// One libnftables context with output and errors buffered. Commands run in the network namespace
/// of the calling thread. Not thread-safe: use one client per thread.
/// </summary>
public sealed class NftClient : IDisposable
{
    private readonly NftContextHandle _ctx;

    /// <param name="json">JSON output (and input) with handles, as DESIGN requires; false gives nft's text output.</param>
    public NftClient(bool json = true)
    {
        try
        {
            _ctx = Interop.Nftables.nft_ctx_new(Interop.Nftables.NFT_CTX_DEFAULT);
        }
        catch (DllNotFoundException ex) { throw new NftUnavailableException(ex); }
        catch (EntryPointNotFoundException ex) { throw new NftUnavailableException(ex); }
        if (_ctx.IsInvalid) throw new InvalidOperationException("nft_ctx_new returned NULL (out of memory?)");
        if (json)
            Interop.Nftables.nft_ctx_output_set_flags(_ctx, Interop.Nftables.NFT_CTX_OUTPUT_JSON | Interop.Nftables.NFT_CTX_OUTPUT_HANDLE);
        if (Interop.Nftables.nft_ctx_buffer_output(_ctx) != 0 || Interop.Nftables.nft_ctx_buffer_error(_ctx) != 0)
            throw new InvalidOperationException("nft_ctx_buffer_output/_error failed");
        IsJson = json;
    }

    /// <summary>True when output is JSON (and JSON input is accepted).</summary>
    public bool IsJson { get; }

    /// <summary>
    /// Runs a buffer of nft commands (nft syntax, or a libnftables JSON document) as one transaction.
    /// Returns nft's output (empty for most changes).
    /// </summary>
    /// <exception cref="NftCommandException">nft refused the buffer; nothing was committed.</exception>
    public string Run(string commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ObjectDisposedException.ThrowIf(_ctx.IsClosed, this);
        var rc = Interop.Nftables.nft_run_cmd_from_buffer(_ctx, commands);
        var output = Marshal.PtrToStringUTF8(Interop.Nftables.nft_ctx_get_output_buffer(_ctx)) ?? "";
        var error = Marshal.PtrToStringUTF8(Interop.Nftables.nft_ctx_get_error_buffer(_ctx)) ?? "";
        if (rc != 0)
            throw new NftCommandException(error.Length > 0 ? error : $"nft_run_cmd_from_buffer returned {rc} without a message", rc);
        return output;
    }

    /// <summary>Runs a libnftables JSON document (<c>{"nftables":[...]}</c>) as one transaction.</summary>
    public string Run(JsonNode document)
    {
        RequireJson();
        return Run(document.ToJsonString());
    }

    /// <summary>Lists one table; null when it does not exist. Never lists other tables.</summary>
    public string? TryListTable(string family, string name)
    {
        NftNames.Validate(family, name);
        try
        {
            return Run($"list table {family} {name}");
        }
        catch (NftCommandException ex) when (ex.NftError.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <summary>True when the table exists in the calling thread's network namespace.</summary>
    public bool TableExists(string family, string name)
    {
        NftNames.Validate(family, name);
        // `list tables` prints names only, no rules of other tables.
        var output = Run("list tables");
        if (!IsJson)
            return output.Split('\n').Any(l => l.Trim() == $"table {family} {name}");
        var doc = JsonNode.Parse(output);
        return doc?["nftables"]?.AsArray().Any(n => n?["table"] is { } t
            && (string?)t["family"] == family && (string?)t["name"] == name) == true;
    }

    private void RequireJson()
    {
        if (!IsJson) throw new InvalidOperationException("this NftClient was created for text output; JSON input needs json: true");
    }

    public void Dispose() => _ctx.Dispose();
}
