using BenchmarkDotNet.Running;

if (args is ["queue-load", .. var rest])
    return await Outgate.Benchmarks.Queue.QueueLoadHarness.RunAsync(rest);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
