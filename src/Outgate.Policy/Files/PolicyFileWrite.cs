namespace Outgate.Policy;

/// <summary>
/// One file operation of an edit. <see cref="Text"/> is the new content (written to a temp file, then renamed over
/// <see cref="Path"/>); when <see cref="BackupPath"/> is set the old file is first moved there (reset), and a null
/// <see cref="Text"/> then means the file is only moved away.
/// </summary>
public sealed record PolicyFileWrite(string Path, string? Text, string? BackupPath = null);
