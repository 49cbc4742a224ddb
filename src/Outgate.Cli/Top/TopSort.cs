namespace Outgate.Cli.Top;

/// <summary>The column <c>outgate top</c> sorts by (keys o, i, c, n; <c>--sort out|in|connections|name</c>).</summary>
public enum TopSort { Out, In, Connections, Name }

public static class TopSorts
{
    public const string Names = "out, in, connections, name";

    public static bool TryParse(string? text, out TopSort sort)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "out": sort = TopSort.Out; return true;
            case "in": sort = TopSort.In; return true;
            case "connections" or "conn": sort = TopSort.Connections; return true;
            case "name": sort = TopSort.Name; return true;
            default: sort = TopSort.Out; return false;
        }
    }

    public static string ToName(this TopSort sort) => sort switch
    {
        TopSort.In => "in",
        TopSort.Connections => "connections",
        TopSort.Name => "name",
        _ => "out",
    };
}
