using BenchmarkDotNet.Running;

if (args is ["queue-load", .. var rest])
    return await Outgate.Benchmarks.Queue.QueueLoadHarness.RunAsync(rest);
if (args is ["daemon-load", .. var daemonArgs])
    return await Outgate.Benchmarks.Daemon.DaemonLoadHarness.RunAsync(daemonArgs);
if (args is ["firewall-load", .. var fwArgs])
    return await Outgate.Benchmarks.Firewall.FirewallLoadHarness.RunAsync(fwArgs);
if (args is ["simulate-load", .. var simArgs]) return Outgate.Benchmarks.Simulation.SimulationLoadHarness.Run(simArgs);
if (args is ["dashboard-load", .. var dashArgs] && OperatingSystem.IsLinux())
    return await Outgate.Benchmarks.Dashboard.DashboardLoadHarness.RunAsync(dashArgs);
if (args is ["dns-load", .. var dnsArgs]) return await Outgate.Benchmarks.Dns.DnsBenchmark.RunAsync(dnsArgs);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
