using System.Diagnostics;
using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>Crashes against real servers and files: a loader process SIGKILLed mid-run, the PostgreSQL server stopped mid-batch.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    const long Count = 6000;
    const int BatchSize = 200;
    const int Batches = 30; // Count / BatchSize: enough that a fast target is still loading when the kill lands

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Checksums of the same run loaded without interruption into a fresh SQLite file.</summary>
    static async Task<TableChecksum> ReferenceAsync(long count, int batchSize)
    {
        await using var reference = await TestTarget.CreateAsync("sqlite");
        await reference.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await LoadRun.ResidentsAsync(reference.Target, "reference", count, batchSize, cancellationToken: Ct);
        return await TableChecksum.ComputeAsync(reference.Target, ResidentSpec.Entity, Ct);
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    [InlineData("files")]
    public async Task Loader_killed_with_SIGKILL_at_a_random_point_resumes_to_the_same_content(string kind)
    {
        await using var t = await TestTarget.CreateAsync(kind);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var killAfter = random.Next(1, 9);          // batches committed before the kill
        var extraDelay = random.Next(0, 40);        // then a few ms more, to land inside the next batch
        output.WriteLine($"seed {seed}: kill after batch {killAfter} + {extraDelay} ms");

        var (lines, exitCode) = await RunProbeAndKillAsync(t.Connection, "run-kill", killAfter, extraDelay, group: 1);
        Assert.DoesNotContain("done", lines);
        Assert.NotEqual(0, exitCode);

        // Nothing half-committed: every row belongs to a batch in the ledger.
        await using (var afterKill = t.Reopen())
        {
            var ledger = await afterKill.GetLedgerAsync("run-kill", Ct);
            Assert.InRange(ledger.Count, killAfter + 1, Batches - 1);
            Assert.Equal(ledger.Sum(l => l.RowCount), await afterKill.CountAsync(ResidentSpec.Entity, Ct));
            Assert.Equal(Enumerable.Range(0, ledger.Count), ledger.Select(l => l.BatchNumber));
        }

        // Resume: a new process (here the test) runs the same run id to the end.
        await using var resumed = t.Reopen();
        var results = await LoadRun.ResidentsAsync(resumed, "run-kill", Count, BatchSize, cancellationToken: Ct);
        Assert.Contains(results, r => r.Skipped);
        Assert.Contains(results, r => !r.Skipped);

        await AssertLoadedInFullAsync(resumed, "run-kill");
    }

    /// <summary>The run's table equals the uninterrupted reference load, and its ledger holds every batch once.</summary>
    static async Task AssertLoadedInFullAsync(IStandardTarget target, string runId)
    {
        var expected = await ReferenceAsync(Count, BatchSize);
        var actual = await TableChecksum.ComputeAsync(target, ResidentSpec.Entity, Ct);
        Assert.Equal(Count, actual.RowCount);
        Assert.Equal(expected.Sha256, actual.Sha256);
        var ledger = await target.GetLedgerAsync(runId, Ct);
        Assert.Equal(Enumerable.Range(0, Batches), ledger.Select(l => l.BatchNumber));
        Assert.Equal(Count, ledger.Sum(l => l.RowCount));
    }

    [Fact]
    public async Task Loader_killed_in_the_middle_of_a_group_of_batches_commits_whole_groups_only_and_resumes_to_the_same_content()
    {
        const int group = 4;
        await using var t = await TestTarget.CreateAsync("postgresql");
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var killAfter = group * random.Next(1, 4) - 1;  // the last batch of a group: the next group is under way
        var extraDelay = random.Next(0, 20);
        output.WriteLine($"seed {seed}: kill after batch {killAfter} + {extraDelay} ms");

        var (lines, exitCode) = await RunProbeAndKillAsync(t.Connection, "run-kill-group", killAfter, extraDelay, group);
        Assert.DoesNotContain("done", lines);
        Assert.NotEqual(0, exitCode);

        // A group commits all its batches or none: the ledger ends at a group boundary, every row is in a ledgered batch.
        await using (var afterKill = t.Reopen())
        {
            var ledger = await afterKill.GetLedgerAsync("run-kill-group", Ct);
            Assert.InRange(ledger.Count, killAfter + 1, Batches - 1);
            Assert.Equal(0, ledger.Count % group);
            Assert.Equal(ledger.Sum(l => l.RowCount), await afterKill.CountAsync(ResidentSpec.Entity, Ct));
            Assert.Equal(Enumerable.Range(0, ledger.Count), ledger.Select(l => l.BatchNumber));
        }

        // Resume in groups of another size: the ledger is per batch, so the groups need not line up.
        await using var resumed = t.Reopen();
        var results = await LoadRun.ResidentsAsync(resumed, "run-kill-group", Count, BatchSize, cancellationToken: Ct, group: 3);
        Assert.Equal(Batches, results.Count);
        Assert.Contains(results, r => r.Skipped);
        Assert.Contains(results, r => !r.Skipped);
        await AssertLoadedInFullAsync(resumed, "run-kill-group");
    }

    /// <summary>Runs the load probe and SIGKILLs it <paramref name="extraDelay"/> ms after it reports batch <paramref name="killAfter"/> committed.</summary>
    async Task<(List<string> Lines, int ExitCode)> RunProbeAndKillAsync(string connection, string runId, int killAfter, int extraDelay, int group)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Ogaki.Migration.LoadProbe.dll"));
        psi.ArgumentList.Add("env:OGAKI_PROBE_TARGET"); // the connection (with its password) never goes on a command line
        psi.ArgumentList.Add(runId);
        psi.ArgumentList.Add(Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(group.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.Environment["OGAKI_PROBE_TARGET"] = connection;

        using var child = Process.Start(psi)!;
        var stderr = child.StandardError.ReadToEndAsync(Ct);
        var lines = new List<string>();
        string? line;
        while ((line = await child.StandardOutput.ReadLineAsync(Ct)) is not null)
        {
            lines.Add(line);
            if (line == $"committed {killAfter}")
            {
                await Task.Delay(extraDelay, Ct);
                child.Kill(); // SIGKILL on Linux: no cleanup, no rollback by the process itself
                break;
            }
        }
        await child.WaitForExitAsync(Ct);
        output.WriteLine(string.Join(" | ", lines) + " | stderr: " + await stderr);
        return (lines, child.ExitCode);
    }

    [Fact]
    public async Task PostgreSQL_stopped_in_the_middle_of_a_batch_fails_that_batch_only_and_the_run_resumes()
    {
        using var server = ThrowawayPostgres.Start();
        await using var target = TargetFactory.Create(server.ConnectionString);
        await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        const long count = 2000;
        const int size = 500;
        await target.LoadBatchAsync(LoadRun.Batch("run-stop", 0, count, size), Ct);
        await target.LoadBatchAsync(LoadRun.Batch("run-stop", 1, count, size), Ct);

        // Batch 2 stops the server when the COPY has reached its 250th row.
        var batch2 = LoadRun.Batch("run-stop", 2, count, size);
        var stopping = batch2 with { Records = new CallbackList(batch2.Records, 250, server.StopServer) };
        var ex = await Assert.ThrowsAsync<TargetLoadException>(() => target.LoadBatchAsync(stopping, Ct));
        output.WriteLine(ex.Message);
        Assert.Contains("Resident batch 2 (input records 1001–1500, 500 rows) of run run-stop was rolled back", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.BatchNumber);
        Assert.DoesNotContain("ci_pw", ex.ToString(), StringComparison.Ordinal);

        // While it is down, the next batch fails clearly too.
        var down = await Assert.ThrowsAsync<TargetLoadException>(() => target.LoadBatchAsync(LoadRun.Batch("run-stop", 2, count, size), Ct));
        Assert.Contains("Resident batch 2", down.Message, StringComparison.Ordinal);

        server.StartServer();
        Assert.Equal(1000, await target.CountAsync(ResidentSpec.Entity, Ct));           // nothing of batch 2
        Assert.Equal([0, 1], (await target.GetLedgerAsync("run-stop", Ct)).Select(l => l.BatchNumber));

        var results = await LoadRun.ResidentsAsync(target, "run-stop", count, size, cancellationToken: Ct);
        Assert.Equal([true, true, false, false], results.Select(r => r.Skipped));
        var actual = await TableChecksum.ComputeAsync(target, ResidentSpec.Entity, Ct);
        var expected = await ReferenceAsync(count, size);
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Sha256, actual.Sha256); // and PostgreSQL equals the SQLite reference
    }

    /// <summary>A list whose enumeration runs an action once, when it reaches an index.</summary>
    sealed class CallbackList(IReadOnlyList<IStandardRecord> inner, int at, Action action) : IReadOnlyList<IStandardRecord>
    {
        bool _done;

        public IStandardRecord this[int index] => inner[index];

        public int Count => inner.Count;

        public IEnumerator<IStandardRecord> GetEnumerator()
        {
            for (var i = 0; i < inner.Count; i++)
            {
                if (i == at && !_done)
                {
                    _done = true;
                    action();
                }
                yield return inner[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
