using System.CommandLine;
using Outgate.Cli.Daemon;
using Outgate.Cli.Rules;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Outgate.Cli.Top;

/// <summary>
/// The interactive <c>outgate top</c>: a Spectre.Console live table refreshed every interval, keys handled by
/// <see cref="TopState"/>. Blocking runs <c>outgate deny out app PATH</c>'s own code path
/// (<see cref="PolicyEditCommands"/>), so the rule, the files and the kernel change are exactly what that command does.
/// </summary>
public sealed class TopScreen(DaemonClient client, ParseResult parse, TimeSpan interval, TopSort sort)
{
    private readonly TopState _state = new(sort);
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
    private TrafficSnapshot? _snapshot;
    private string? _error;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        // Fail before taking over the screen: "not running" must read like every other command's error.
        _snapshot = await client.GetTrafficAsync(ct);
        var quit = false;
        await _console.Live(Render()).AutoClear(true).Overflow(VerticalOverflow.Crop).StartAsync(async live =>
        {
            var next = DateTimeOffset.UtcNow + interval;
            while (!quit && !ct.IsCancellationRequested)
            {
                var redraw = false;
                while (Console.KeyAvailable)
                {
                    var rows = Rows();
                    switch (_state.Handle(Console.ReadKey(intercept: true), rows))
                    {
                        case TopAction.Quit: quit = true; break;
                        case TopAction.Redraw: redraw = true; break;
                        case TopAction.Block:
                            Block(_state.SelectedApp(rows)?.Exe);
                            redraw = true;
                            break;
                    }
                    if (quit) break;
                }
                if (quit) break;
                if (DateTimeOffset.UtcNow >= next)
                {
                    next = DateTimeOffset.UtcNow + interval;
                    try
                    {
                        _snapshot = await client.GetTrafficAsync(ct);
                        _error = null;
                    }
                    catch (DaemonUnavailableException ex)
                    {
                        _error = ex.Message; // keep the last table and say why it is stale; the daemon may come back
                    }
                    redraw = true;
                }
                if (redraw)
                {
                    live.UpdateTarget(Render());
                    live.Refresh();
                }
                try { await Task.Delay(50, ct); }
                catch (OperationCanceledException) { break; }
            }
        });
        return DaemonExitCodes.Ok;
    }

    private List<AppTraffic> Rows() => TopRows.Select(_snapshot?.Apps ?? [], _state.Sort, _state.Filter);

    /// <summary>Adds <c>deny out app PATH</c> as `outgate deny out app PATH` would; its output becomes the status line.</summary>
    private void Block(string? exe)
    {
        if (exe is null) return;
        var (out_, err) = (Console.Out, Console.Error);
        using var captured = new StringWriter();
        int exit;
        try
        {
            Console.SetOut(captured);
            Console.SetError(captured);
            exit = FirewallCommandContext.Run(parse, ctx => PolicyEditCommands.Execute(ctx, "deny", ["out", "app", exe]));
        }
        finally
        {
            Console.SetOut(out_);
            Console.SetError(err);
        }
        var said = string.Join(" ", captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        _state.Message = exit == 0 ? $"blocked {exe}: {said}" : $"could not block {exe} (exit {exit}): {said}";
    }

    private IRenderable Render()
    {
        var rows = Rows();
        var selected = _state.SelectedApp(rows);
        var table = new Table().Border(TableBorder.Simple).Expand();
        for (var i = 0; i < TopRows.Headers.Length; i++)
        {
            var name = TopRows.Headers[i];
            // Names crop with … on a narrow terminal (at 80 columns Spectre still wraps the unit of a rate).
            var column = new TableColumn(i == SortColumn() ? $"[bold underline]{name}[/]" : name).NoWrap();
            if (i is >= 2 and <= 6) column.RightAligned();
            table.AddColumn(column);
        }
        foreach (var app in rows)
        {
            var style = ReferenceEquals(app, selected) ? new Style(Color.Black, Color.Aqua) : Style.Plain;
            table.AddRow(TopRows.Cells(app).Select(c => (IRenderable)new Text(c, style) { Overflow = Overflow.Ellipsis }));
        }
        var header = $"outgate top — {rows.Count} app{(rows.Count == 1 ? "" : "s")}, sort {_state.Sort.ToName()}, every {interval.TotalSeconds:0.#} s"
            + (_state.Filter is { } f ? $", filter \"{f}\"" : "");
        var status = _state.Confirming is { } exe ? $"[yellow]Block {Markup.Escape(exe)} (deny out app {Markup.Escape(exe)})? [[y/N]][/]"
            : _state.Typing is { } typing ? $"filter: {Markup.Escape(typing)}_  (Enter applies, Esc clears)"
            : _error is { } error ? $"[red]{Markup.Escape(error)}[/]"
            : _state.Message is { } message ? Markup.Escape(message)
            : "[grey]o/i/c/n sort  / filter  Esc clear  ↑/↓ select  b block  q quit[/]";
        return new Rows(new Markup(Markup.Escape(header)), table, new Markup(status));
    }

    private int SortColumn() => _state.Sort switch
    {
        TopSort.In => 4,
        TopSort.Connections => 2,
        TopSort.Name => 0,
        _ => 3,
    };
}
