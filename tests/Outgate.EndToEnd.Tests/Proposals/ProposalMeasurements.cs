using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Outgate.Daemon.Events;
using Outgate.Daemon.Options;
using Outgate.Daemon.Proposals;
using Outgate.EndToEnd.Tests.Daemon;

namespace Outgate.EndToEnd.Tests.Proposals;

/// <summary>Numbers for the report (run explicitly: `-- --explicit only --filter-class *ProposalMeasurements`).</summary>
public class ProposalMeasurements(ITestOutputHelper output)
{
    [Fact(Explicit = true)]
    public void Proposal_over_a_million_recorded_decisions()
    {
        using var dir = new TempStateDirectory();
        var store = new EventStore(new DaemonOptions { StateDirectory = dir.Path });
        store.Initialize();
        const int total = 1_000_000;
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        var sw = Stopwatch.StartNew();
        using (var inserter = store.CreateInserter())
        {
            var batch = new List<DaemonEvent>(10_000);
            for (var i = 0; i < total; i++)
            {
                // 200 programs, 5,000 names under 500 parents, 30 ports; every 1000th tagged no-dns.
                var app = i % 200;
                batch.Add(ProposalEvents.Decision($"/usr/bin/app{app}", $"10.{app % 250}.{i % 250}.{i % 7 + 1}", 443 + (i % 30),
                    domain: $"h{i % 10}.p{(i / 10) % 500}.example", tags: i % 1000 == 0 ? "no-dns" : null, unit: app % 10 == 0 ? $"svc{app}.service" : null)
                    with { Time = start.AddSeconds(i * 0.1) });
                if (batch.Count == batch.Capacity) { inserter.Write(batch); batch.Clear(); }
            }

            if (batch.Count > 0) inserter.Write(batch);
        }

        output.WriteLine($"inserted {total} decisions in {sw.Elapsed.TotalSeconds:0.0} s");
        SqliteConnection.ClearAllPools();

        var settings = new ProposalSettings { Since = start.AddMinutes(-1), Now = DateTimeOffset.UtcNow };
        sw.Restart();
        var read = store.ReadSince(settings.Since, EventType.Decision).LongCount();
        var readTime = sw.Elapsed;
        sw.Restart();
        var proposal = PolicyProposer.Propose(store.ReadSince(settings.Since, EventType.Decision), [], settings);
        var proposeTime = sw.Elapsed;
        sw.Restart();
        var toml = ProposalToml.Write(proposal, settings);
        var problem = ProposalEndpoints.RoundTripProblem(toml, proposal);
        var tomlTime = sw.Elapsed;
        output.WriteLine($"read {read} rows: {readTime.TotalSeconds:0.00} s; read + propose: {proposeTime.TotalSeconds:0.00} s → {proposal.Rules.Count} rules, {proposal.Review.Count} review items; "
            + $"TOML {toml.Length / 1024} KiB written + read back in {tomlTime.TotalSeconds:0.00} s; managed heap {GC.GetTotalMemory(false) / (1 << 20)} MiB");
        Assert.Null(problem);
        Assert.Equal(total, proposal.Connections);
    }
}
