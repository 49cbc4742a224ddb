using Outgate.Cli;

return await OutgateCommandLine.Build().Parse(args).InvokeAsync();
