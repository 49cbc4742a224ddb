using Tomlyn.Syntax;

namespace Outgate.Policy;

/// <summary>A parsed policy file: its text, syntax tree and the text spans of its <c>[[rule]]</c> tables in order.</summary>
internal sealed record LoadedPolicyFile(PolicyFile File, DocumentSyntax Document, bool IsMain, IReadOnlyList<TextSpan> RuleSpans);
