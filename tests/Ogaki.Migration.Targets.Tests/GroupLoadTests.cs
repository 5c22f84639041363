using System.Runtime.CompilerServices;
using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>
/// Consecutive batches loaded together (<see cref="IStandardTarget.LoadBatchesAsync"/>), in real PostgreSQL: one COPY
/// and one transaction for the group, one ledger row and checksum per batch, all or nothing of the group.
/// </summary>
public sealed class GroupLoadTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Batch <paramref name="number"/> of 50 residents (records number*50 ..), input records counted from 1.</summary>
    static LoadBatch Residents(string run, int number, Func<int, Resident>? make = null)
    {
        var records = Enumerable.Range(number * 50, 50).Select(n => (IStandardRecord)(make ?? (i => TestRecords.Resident(i)))(n)).ToList();
        return new LoadBatch(run, StandardSpec.Version, ResidentSpec.Entity, number, number * 50L + 1, number * 50L + 50, records);
    }

    static async Task<List<BatchResult>> LoadTogetherAsync(IStandardTarget target, IEnumerable<LoadBatch> batches)
    {
        var results = new List<BatchResult>();
        await foreach (var r in target.LoadBatchesAsync(batches.ToAsyncEnumerable(), Ct))
            results.Add(r);
        return results;
    }

    [Fact]
    public async Task Batches_loaded_together_keep_the_ledger_rows_and_checksums_they_would_have_alone()
    {
        await using var together = await TestTarget.CreateAsync("postgresql");
        await using var alone = await TestTarget.CreateAsync("postgresql");
        await together.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await alone.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);

        var grouped = await LoadTogetherAsync(together.Target, Enumerable.Range(0, 4).Select(n => Residents("run-g", n)));
        var single = new List<BatchResult>();
        for (var n = 0; n < 4; n++) single.Add(await alone.Target.LoadBatchAsync(Residents("run-g", n), Ct));

        Assert.Equal([0, 1, 2, 3], grouped.Select(r => r.BatchNumber));
        Assert.All(grouped, r => Assert.Equal(50, r.RowsWritten));
        Assert.Equal(single.Select(r => r.Checksum), grouped.Select(r => r.Checksum));
        Assert.Equal(4, grouped.Select(r => r.Checksum).Distinct().Count());
        static object Row(LedgerEntry e) => (e.BatchNumber, e.FirstInput, e.LastInput, e.RowCount, e.Checksum);
        Assert.Equal((await alone.Target.GetLedgerAsync("run-g", Ct)).Select(Row), (await together.Target.GetLedgerAsync("run-g", Ct)).Select(Row));
        var a = await TableChecksum.ComputeAsync(alone.Target, ResidentSpec.Entity, Ct);
        var b = await TableChecksum.ComputeAsync(together.Target, ResidentSpec.Entity, Ct);
        Assert.Equal(200, b.RowCount);
        Assert.Equal(a.Sha256, b.Sha256);

        // Rerun of the same run one batch at a time: every batch is found in the ledger with the same content.
        for (var n = 0; n < 4; n++)
            Assert.True((await together.Target.LoadBatchAsync(Residents("run-g", n), Ct)).Skipped);
        Assert.Equal(200, await together.Target.CountAsync(ResidentSpec.Entity, Ct));
    }

    [Fact]
    public async Task A_failing_batch_rolls_back_its_whole_group_and_the_error_names_the_group_and_the_record()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct); // key in place: a duplicate fails in the COPY
        // The 11th record of batch 2 (input record 111, COPY line 111) repeats the key of record 5 of batch 0.
        var bad = Residents("run-bad", 2, n => n == 110 ? TestRecords.Resident(5) : TestRecords.Resident(n));

        var e = await Assert.ThrowsAsync<TargetLoadException>(() => LoadTogetherAsync(t.Target, [Residents("run-bad", 0), Residents("run-bad", 1), bad]));

        Assert.Equal((0, 2), (e.BatchNumber, e.LastBatchNumber));
        Assert.Contains("Resident batches 0–2 (input records 1–150, 150 rows) of run run-bad, loaded in one transaction, were rolled back", e.Message, StringComparison.Ordinal);
        Assert.Contains("already in the table", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at COPY line 111: batch 2, input record 111)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestRecords.AtenaNo(5), e.Message, StringComparison.Ordinal); // no key value
        Assert.Equal(0, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync("run-bad", Ct));

        // Fixed input, same run: the whole group loads.
        var results = await LoadTogetherAsync(t.Target, [Residents("run-bad", 0), Residents("run-bad", 1), Residents("run-bad", 2)]);
        Assert.All(results, r => Assert.False(r.Skipped));
        Assert.Equal(150, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
    }

    [Fact]
    public async Task A_group_skips_the_batches_the_ledger_holds_and_refuses_one_whose_content_changed()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        await t.Target.LoadBatchAsync(Residents("run-skip", 1), Ct);

        var results = await LoadTogetherAsync(t.Target, [Residents("run-skip", 0), Residents("run-skip", 1), Residents("run-skip", 2)]);

        Assert.Equal([false, true, false], results.Select(r => r.Skipped));
        Assert.Equal([50L, 0L, 50L], results.Select(r => r.RowsWritten));
        Assert.Equal(150, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal([0, 1, 2], (await t.Target.GetLedgerAsync("run-skip", Ct)).Select(l => l.BatchNumber));

        // Batch 3 is new, batch 2 comes again with other content: nothing of the group is committed.
        var changed = Residents("run-skip", 2, n => TestRecords.Resident(n) with { Shimei = "変更　後" });
        var e = await Assert.ThrowsAsync<TargetLoadException>(() => LoadTogetherAsync(t.Target, [Residents("run-skip", 3), changed]));
        Assert.Contains("different content", e.Message, StringComparison.Ordinal);
        Assert.Equal(150, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Equal(3, (await t.Target.GetLedgerAsync("run-skip", Ct)).Count);
    }

    [Fact]
    public async Task A_group_cancelled_while_it_waits_for_its_next_batch_commits_nothing_and_the_target_goes_on()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version, Ct);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async IAsyncEnumerable<LoadBatch> FirstThenWait([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return Residents("run-wait", 0);
            waiting.SetResult();
            await Task.Delay(Timeout.Infinite, ct); // the next batch never comes: the mapping stopped
            yield return Residents("run-wait", 1);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var load = Task.Run(async () =>
        {
            await foreach (var _ in t.Target.LoadBatchesAsync(FirstThenWait(), cts.Token)) { }
        }, Ct);
        await waiting.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => load);
        Assert.Equal(0, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync("run-wait", Ct));
        // The abandoned COPY left no broken connection behind: the same run loads in full.
        var results = await LoadTogetherAsync(t.Target, [Residents("run-wait", 0), Residents("run-wait", 1)]);
        Assert.All(results, r => Assert.False(r.Skipped));
        Assert.Equal(100, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
    }

    [Fact]
    public async Task A_batch_of_another_entity_among_a_group_is_refused_naming_the_groups_own_batches_and_nothing_is_committed()
    {
        await using var t = await TestTarget.CreateAsync("postgresql");
        await t.Target.EnsureSchemaAsync([ResidentSpec.Entity, TaxAssessmentSpec.Entity], StandardSpec.Version, Ct);
        var stray = new LoadBatch("run-mixed", StandardSpec.Version, TaxAssessmentSpec.Entity, 7, 1, 5,
            [.. Enumerable.Range(0, 5).Select(n => (IStandardRecord)TestRecords.TaxAssessment(n))]);

        var e = await Assert.ThrowsAsync<TargetLoadException>(() => LoadTogetherAsync(t.Target, [Residents("run-mixed", 0), Residents("run-mixed", 1), stray]));

        Assert.Equal((0, 1), (e.BatchNumber, e.LastBatchNumber));
        Assert.Contains("Resident batches 0–1 (input records 1–100, 100 rows) of run run-mixed", e.Message, StringComparison.Ordinal);
        Assert.Contains("batch 7 of TaxAssessment in run run-mixed came among them", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await t.Target.CountAsync(ResidentSpec.Entity, Ct));
        Assert.Empty(await t.Target.GetLedgerAsync("run-mixed", Ct));
    }
}
