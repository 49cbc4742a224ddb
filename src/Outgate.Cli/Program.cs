using Outgate.Cli;

// Bare `outgate` shows the commands rather than an error.
var parse = OutgateCommandLine.Build().Parse(args.Length == 0 ? ["--help"] : args);
if (parse.Errors.Count > 0)
{
    // System.CommandLine would print the whole help after the error; a short, specific message is easier to act on.
    var command = string.Join(' ', parse.CommandResult.Command.Name == "outgate" ? ["outgate"] : new[] { "outgate", parse.CommandResult.Command.Name });
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"{command}: {error.Message}");
    Console.Error.WriteLine($"Run `{command} --help` for the options.");
    return 1;
}
return await parse.InvokeAsync();
