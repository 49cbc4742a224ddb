namespace Outgate.Policy;

/// <summary>A half-open range of character offsets [Start, End) in a file's text.</summary>
internal readonly record struct TextSpan(int Start, int End);
