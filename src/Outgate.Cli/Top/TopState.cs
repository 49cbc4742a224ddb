namespace Outgate.Cli.Top;

/// <summary>What a key press asks the live view to do next.</summary>
public enum TopAction { None, Redraw, Quit, Block }

/// <summary>
/// The live view's state and its keys, apart from the terminal so it can be tested: o/i/c/n sort by out rate, in
/// rate, connections, name; <c>/</c> starts a filter (type, Enter applies, Esc cancels); Esc clears the filter;
/// ↑/↓ select; <c>b</c> asks to block the selected application, <c>y</c> confirms (anything else cancels); q quits.
/// </summary>
public sealed class TopState(TopSort sort)
{
    private readonly System.Text.StringBuilder _typing = new();

    public TopSort Sort { get; private set; } = sort;
    public string? Filter { get; private set; }

    /// <summary>The filter being typed after <c>/</c>; null when not typing.</summary>
    public string? Typing { get; private set; }

    /// <summary>Row index of the selection within the shown rows.</summary>
    public int Selected { get; private set; }

    /// <summary>The executable waiting for y/N; null when not asking.</summary>
    public string? Confirming { get; private set; }

    /// <summary>One line for the status bar: the last block result or why a block was refused.</summary>
    public string? Message { get; set; }

    public TopAction Handle(ConsoleKeyInfo key, IReadOnlyList<AppTraffic> rows)
    {
        if (Confirming is { } exe)
        {
            Confirming = null;
            if (key.KeyChar is 'y' or 'Y') return TopAction.Block;
            Message = $"not blocked: {exe}";
            return TopAction.Redraw;
        }
        if (Typing is not null) return HandleTyping(key);
        switch (key.Key)
        {
            case ConsoleKey.UpArrow:
                Selected = Math.Max(0, Selected - 1);
                return TopAction.Redraw;
            case ConsoleKey.DownArrow:
                Selected = Math.Min(Math.Max(0, rows.Count - 1), Selected + 1);
                return TopAction.Redraw;
            case ConsoleKey.Escape:
                Filter = null;
                Message = null;
                return TopAction.Redraw;
        }
        switch (char.ToLowerInvariant(key.KeyChar))
        {
            case 'q': return TopAction.Quit;
            case 'o': Sort = TopSort.Out; return TopAction.Redraw;
            case 'i': Sort = TopSort.In; return TopAction.Redraw;
            case 'c': Sort = TopSort.Connections; return TopAction.Redraw;
            case 'n': Sort = TopSort.Name; return TopAction.Redraw;
            case '/':
                Typing = Filter ?? "";
                _typing.Clear().Append(Typing);
                return TopAction.Redraw;
            case 'b':
                var app = SelectedApp(rows);
                if (app?.Exe is { } path) Confirming = path;
                else Message = app is null ? "nothing selected to block" : $"cannot block {TopRows.Name(app)}: no executable path known (block its unit or container with a rule instead)";
                return TopAction.Redraw;
        }
        return TopAction.None;
    }

    /// <summary>The selected row, with the selection kept inside the rows shown.</summary>
    public AppTraffic? SelectedApp(IReadOnlyList<AppTraffic> rows)
    {
        if (rows.Count == 0) return null;
        Selected = Math.Clamp(Selected, 0, rows.Count - 1);
        return rows[Selected];
    }

    private TopAction HandleTyping(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                Filter = _typing.Length == 0 ? null : _typing.ToString();
                Typing = null;
                Selected = 0;
                return TopAction.Redraw;
            case ConsoleKey.Escape:
                Typing = null;
                Filter = null;
                return TopAction.Redraw;
            case ConsoleKey.Backspace:
                if (_typing.Length > 0) _typing.Length--;
                Typing = _typing.ToString();
                return TopAction.Redraw;
        }
        if (key.KeyChar >= ' ' && _typing.Length < 200)
        {
            _typing.Append(key.KeyChar);
            Typing = _typing.ToString();
            return TopAction.Redraw;
        }
        return TopAction.None;
    }
}
