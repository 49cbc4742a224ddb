using Outgate.Cli.Top;

namespace Outgate.Cli.Tests.Top;

public class TopStateTests
{
    private static readonly AppTraffic[] Rows =
    [
        new("/usr/bin/curl", "alice", null, null, [1], 1, 0, 0, 0, 0, []),
        new(null, "root", "backup.service", null, [2], 1, 0, 0, 0, 0, []),
    ];

    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);
    private static ConsoleKeyInfo Key(ConsoleKey key) => new('\0', key, false, false, false);

    [Theory]
    [InlineData('o', TopSort.Out)]
    [InlineData('i', TopSort.In)]
    [InlineData('c', TopSort.Connections)]
    [InlineData('n', TopSort.Name)]
    public void Sort_keys_switch_the_column(char key, TopSort sort)
    {
        var state = new TopState(TopSort.Name == sort ? TopSort.Out : TopSort.Name);
        Assert.Equal(TopAction.Redraw, state.Handle(Char(key), Rows));
        Assert.Equal(sort, state.Sort);
    }

    [Fact]
    public void Slash_types_a_filter_that_enter_applies_and_escape_clears()
    {
        var state = new TopState(TopSort.Out);
        state.Handle(Char('/'), Rows);
        foreach (var c in "curx") state.Handle(Char(c), Rows);
        state.Handle(Key(ConsoleKey.Backspace), Rows);
        Assert.Equal("cur", state.Typing);
        Assert.Null(state.Filter);
        Assert.Equal(TopAction.Redraw, state.Handle(Char('q'), Rows)); // q is text while typing, not quit
        state.Handle(Key(ConsoleKey.Enter), Rows);
        Assert.Equal("curq", state.Filter);
        Assert.Null(state.Typing);
        state.Handle(Key(ConsoleKey.Escape), Rows);
        Assert.Null(state.Filter);
    }

    [Fact]
    public void Arrows_move_the_selection_within_the_rows()
    {
        var state = new TopState(TopSort.Out);
        state.Handle(Key(ConsoleKey.UpArrow), Rows);
        Assert.Equal(0, state.Selected);
        state.Handle(Key(ConsoleKey.DownArrow), Rows);
        state.Handle(Key(ConsoleKey.DownArrow), Rows);
        Assert.Equal(1, state.Selected);
    }

    [Fact]
    public void B_asks_first_and_only_y_blocks()
    {
        var state = new TopState(TopSort.Out);
        state.Handle(Char('b'), Rows);
        Assert.Equal("/usr/bin/curl", state.Confirming);
        Assert.Equal(TopAction.Redraw, state.Handle(Char('n'), Rows));
        Assert.Null(state.Confirming);
        Assert.Equal("not blocked: /usr/bin/curl", state.Message);

        state.Handle(Char('b'), Rows);
        Assert.Equal(TopAction.Block, state.Handle(Char('y'), Rows));
    }

    [Fact]
    public void B_on_an_app_without_an_executable_says_why_it_cannot_block()
    {
        var state = new TopState(TopSort.Out);
        state.Handle(Key(ConsoleKey.DownArrow), Rows);
        state.Handle(Char('b'), Rows);
        Assert.Null(state.Confirming);
        Assert.StartsWith("cannot block backup.service: no executable path known", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Q_quits() => Assert.Equal(TopAction.Quit, new TopState(TopSort.Out).Handle(Char('q'), Rows));

    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("2", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m", 60000)]
    public void Intervals_read_with_or_without_a_unit(string text, int milliseconds)
    {
        Assert.True(TopInterval.TryParse(text, out var interval));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), interval);
    }

    [Theory]
    [InlineData("")]
    [InlineData("50ms")]
    [InlineData("-1")]
    [InlineData("61m")]
    [InlineData("fast")]
    public void Intervals_outside_100ms_to_1h_are_refused(string text) => Assert.False(TopInterval.TryParse(text, out _));
}
