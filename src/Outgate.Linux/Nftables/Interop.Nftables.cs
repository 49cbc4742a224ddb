using System.Runtime.InteropServices;

namespace Outgate.Linux.Nftables;

/// <summary>
/// libnftables (the library behind the <c>nft</c> tool). Version 1.0.6 on Debian 12 has no
/// <c>nft_ctx_input_set_flags</c>: JSON input is accepted whenever JSON output is on.
/// A context works in the network namespace of the thread that runs the command.
/// </summary>
internal static partial class Interop
{
    internal static partial class Nftables
    {
        internal const string Library = "libnftables.so.1";

        /// <summary><c>NFT_CTX_DEFAULT</c>.</summary>
        internal const uint NFT_CTX_DEFAULT = 0;

        /// <summary><c>NFT_CTX_OUTPUT_HANDLE</c> (1 &lt;&lt; 3): print rule and object handles.</summary>
        internal const uint NFT_CTX_OUTPUT_HANDLE = 1 << 3;

        /// <summary><c>NFT_CTX_OUTPUT_JSON</c> (1 &lt;&lt; 4): JSON output, and JSON input accepted.</summary>
        internal const uint NFT_CTX_OUTPUT_JSON = 1 << 4;

        [LibraryImport(Library)]
        internal static partial NftContextHandle nft_ctx_new(uint flags);

        [LibraryImport(Library)]
        internal static partial void nft_ctx_free(IntPtr ctx);

        [LibraryImport(Library)]
        internal static partial uint nft_ctx_output_get_flags(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial void nft_ctx_output_set_flags(NftContextHandle ctx, uint flags);

        [LibraryImport(Library)]
        internal static partial int nft_ctx_buffer_output(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial int nft_ctx_buffer_error(NftContextHandle ctx);

        /// <summary>Returns a pointer into the context's buffer, valid until the next command; never null while buffering.</summary>
        [LibraryImport(Library)]
        internal static partial IntPtr nft_ctx_get_output_buffer(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial IntPtr nft_ctx_get_error_buffer(NftContextHandle ctx);

        /// <summary>Runs one or more commands (text, or JSON when JSON output is on). 0 on success; on failure nothing of the buffer is committed.</summary>
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int nft_run_cmd_from_buffer(NftContextHandle ctx, string buf);
    }
}
