using System.Runtime.CompilerServices;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;

namespace Ogaki.Migration.Validation.Tests;

public class TargetReconcileTests
{
    /// <summary>A loaded target held in memory: read back in key order, as the contract says, optionally failing part-way.</summary>
    sealed class MemoryTarget(Dictionary<string, List<object?[]>> tables, int failAfter = -1)
    {
        public async IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var n = 0;
            foreach (var row in tables.GetValueOrDefault(entity.Name, []).OrderBy(r => r, new RowKeyComparer(entity)))
            {
                await Task.Yield();
                cancellationToken.ThrowIfCancellationRequested();
                if (n++ == failAfter) throw new InvalidOperationException("connection to the target was lost");
                yield return row;
            }
        }

        /// <summary>The read-back the reconciler takes: canonical rows in key order.</summary>
        public IAsyncEnumerable<CanonicalRowBatch> ReadBackCanonical(SpecEntity entity, CancellationToken cancellationToken) =>
            CanonicalRowBatch.FromValuesAsync(entity, ReadBackAsync(entity, cancellationToken), "target", cancellationToken);
    }

    static IEnumerable<TaxAssessment> Taxes(int n) =>
        Enumerable.Range(0, n).Select(i => Samples.Tax((9_000_000 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), 2025, 1000m + i));

    static async IAsyncEnumerable<IStandardRecord> Async(IEnumerable<IStandardRecord> records)
    {
        foreach (var r in records)
        {
            await Task.Yield();
            yield return r;
        }
    }

    [Fact]
    public async Task Mapped_records_in_any_order_reconcile_against_the_read_back()
    {
        var taxes = Taxes(3000).ToList(); // descending keys: the source must be sorted
        var target = new MemoryTarget(new() { ["TaxAssessment"] = taxes.Select(Samples.Row).ToList() });
        var reconciler = new Reconciler(new ReconcileOptions { SortChunkRows = 500 }, Samples.Renderer());
        var r = await reconciler.ReconcileEntityAsync(TaxAssessmentSpec.Entity, RowStreams.FromRecords(Async(taxes), TestContext.Current.CancellationToken), false,
            target.ReadBackAsync(TaxAssessmentSpec.Entity, TestContext.Current.CancellationToken), true, null, TestContext.Current.CancellationToken);
        Assert.Null(r.Error);
        Assert.Equal((3000L, 3000L, 3000L, 0L), (r.Mapped, r.Loaded, r.Matched, r.DiscrepancyCount));
        Assert.Equal(r.SourceDigest, r.TargetDigest);
        var total = r.ControlTotals.Single(t => t.Name == "TaxAssessment.NenZeigaku.sum-by-KazeiNendo");
        Assert.Equal((3000m * 1000m + 2999m * 3000m / 2m, true), (total.Target, total.Matches));
    }

    [Fact]
    public async Task A_source_side_filled_while_streaming_spills_to_disk_and_reconciles_exactly()
    {
        var temp = Directory.CreateTempSubdirectory("ogaki-side-");
        try
        {
            var taxes = Taxes(3000).ToList();
            var loaded = taxes.Select(Samples.Row).ToList();
            loaded[10] = Samples.Row(taxes[10] with { NenZeigaku = 1m }); // altered behind the pipeline's back
            loaded.RemoveAt(20);                                          // deleted
            var target = new MemoryTarget(new() { ["TaxAssessment"] = loaded });
            var reconciler = new Reconciler(new ReconcileOptions { SortChunkRows = 700, TempDirectory = temp.FullName }, Samples.Renderer());
            await using var side = reconciler.CreateSourceSide(TaxAssessmentSpec.Entity);
            foreach (var t in taxes) side.Add(t);
            await side.SpillAsync();
            Assert.Equal(5, temp.GetFiles("ogaki-reconcile-*").Length); // 3000 rows in runs of at most 700, all on disk
            var r = await reconciler.ReconcileReadBackAsync(target.ReadBackCanonical, side, null, TestContext.Current.CancellationToken);
            Assert.Null(r.Error);
            Assert.Equal((3000L, 2999L, 2998L, 1L, 1L), (r.Mapped, r.Loaded, r.Matched, r.MissingInTarget, r.FieldMismatches));
            Assert.Equal(P(taxes[20].AtenaNo!) + "/2025", r.Discrepancies.Single(d => d.Kind == DiscrepancyKind.MissingInTarget).Key);
            Assert.Equal("NenZeigaku", r.Discrepancies.Single(d => d.Kind == DiscrepancyKind.FieldMismatch).Fields.Single().Identifier);
            var total = r.ControlTotals.Single(t => t.Name == "TaxAssessment.NenZeigaku.sum-by-KazeiNendo");
            Assert.False(total.Matches);
            Assert.Equal(taxes.Sum(t => t.NenZeigaku!.Value), total.Source);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
        static string P(string v) => Samples.Pseudonymizer.Pseudonymize(v);
    }

    [Fact]
    public async Task A_discrepancy_names_the_source_record_it_came_from_and_an_ambiguous_key_names_none()
    {
        var taxes = Taxes(50).ToList();
        var loaded = taxes.Select(Samples.Row).ToList();
        loaded[10] = Samples.Row(taxes[10] with { NenZeigaku = 1m });
        loaded.RemoveAt(20);
        loaded.RemoveAt(30);
        var target = new MemoryTarget(new() { ["TaxAssessment"] = loaded });
        var reconciler = new Reconciler(new ReconcileOptions(), Samples.Renderer());
        await using var side = reconciler.CreateSourceSide(TaxAssessmentSpec.Entity);
        for (var i = 0; i < taxes.Count; i++)
        {
            // Record i+1 of ZEIMAST.dat at 700 bytes each; the record deleted second is located twice (as a duplicate key would be).
            side.Locate(taxes[i], new Ogaki.Migration.Adapters.Sdk.SourceLocation("ZEIMAST.dat", i + 1, 700L * i));
            side.Add(taxes[i]);
        }
        var twin = taxes[31] with { NenZeigaku = 5m };
        side.Locate(twin, new Ogaki.Migration.Adapters.Sdk.SourceLocation("ZEIMAST.dat", 99, 69_300));
        side.Add(twin); // a second source row of the key: a duplicate, whose location is not one record's
        var r = await reconciler.ReconcileReadBackAsync(target.ReadBackCanonical, side, null, TestContext.Current.CancellationToken);
        string P(TaxAssessment t) => Samples.Pseudonymizer.Pseudonymize(t.AtenaNo!) + "/2025";
        Assert.Equal(new Ogaki.Migration.Adapters.Sdk.SourceLocation("ZEIMAST.dat", 11, 7000), r.Discrepancies.Single(d => d.Key == P(taxes[10])).Location);
        Assert.Equal(new Ogaki.Migration.Adapters.Sdk.SourceLocation("ZEIMAST.dat", 21, 14_000), r.Discrepancies.Single(d => d.Key == P(taxes[20])).Location);
        var duplicate = r.Discrepancies.Single(d => d.Key == P(taxes[31]));
        Assert.Equal(DiscrepancyKind.Duplicate, duplicate.Kind);
        Assert.Null(duplicate.Location);
    }

    [Fact]
    public async Task Locations_spilled_to_disk_in_key_order_still_name_each_discrepancy_source_record()
    {
        var folder = Directory.CreateTempSubdirectory("ogaki-locate-test").FullName;
        try
        {
            // Taxes come in descending key order, so the location index is sorted on disk, not just kept in arrival order.
            var taxes = Taxes(5000).ToList();
            bool Missing(int i) => i % 7 == 0; // 715 rows, across many output batches
            bool Changed(int i) => i % 500 == 3 && !Missing(i); // 9 rows
            var loaded = taxes.Select((t, i) => (t, i)).Where(x => !Missing(x.i)).Select(x => Samples.Row(Changed(x.i) ? x.t with { NenZeigaku = 1m } : x.t)).ToList();
            var target = new MemoryTarget(new() { ["TaxAssessment"] = loaded });
            // 64 rows per chunk: the rows and their locations spill in many sorted runs.
            var reconciler = new Reconciler(new ReconcileOptions { SortChunkRows = 64, TempDirectory = folder }, Samples.Renderer());
            await using var side = reconciler.CreateSourceSide(TaxAssessmentSpec.Entity);
            for (var i = 0; i < taxes.Count; i++)
            {
                side.Locate(taxes[i], new Ogaki.Migration.Adapters.Sdk.SourceLocation(i < 2500 ? "ZEIMAST.dat" : "ZEIMAST2.dat", i + 1, 700L * i));
                side.Add(taxes[i]);
            }
            await side.SpillAsync();
            Assert.True(Directory.GetFiles(folder).Length >= 2 * (5000 / 64), "rows and locations are on disk, in runs of 64");
            var r = await reconciler.ReconcileReadBackAsync(target.ReadBackCanonical, side, null, TestContext.Current.CancellationToken);
            Assert.Null(r.Error);
            Assert.Equal((715L, 9L), (r.MissingInTarget, r.FieldMismatches));
            var index = taxes.Select((t, i) => (Key: Samples.Pseudonymizer.Pseudonymize(t.AtenaNo!) + "/2025", i)).ToDictionary(x => x.Key, x => x.i);
            Assert.Equal(724, r.Discrepancies.Count);
            foreach (var d in r.Discrepancies)
            {
                var i = index[d.Key];
                Assert.Equal(new Ogaki.Migration.Adapters.Sdk.SourceLocation(i < 2500 ? "ZEIMAST.dat" : "ZEIMAST2.dat", i + 1, 700L * i), d.Location);
            }
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task A_target_failing_part_way_is_an_error_result_not_a_crash()
    {
        var taxes = Taxes(2500).ToList();
        var target = new MemoryTarget(new() { ["TaxAssessment"] = taxes.Select(Samples.Row).ToList() }, failAfter: 1500);
        var reconciler = new Reconciler(new ReconcileOptions(), Samples.Renderer());
        var r = await reconciler.ReconcileEntityAsync(TaxAssessmentSpec.Entity, RowStreams.FromRecords(Async(taxes), TestContext.Current.CancellationToken), false,
            target.ReadBackAsync(TaxAssessmentSpec.Entity, TestContext.Current.CancellationToken), true, null, TestContext.Current.CancellationToken);
        Assert.Equal("InvalidOperationException: connection to the target was lost", r.Error);
        var result = ReconciliationResult.Create("1.1", ReportSample.Run("x"), Samples.Pseudonymizer, ReportPrivacy.Default, [r]);
        Assert.Equal(2500, r.Mapped); // what the source side holds, not the rows merged before the failure
        // The exit code the reports state is the one the CLI returns for a comparison that could not be made.
        Assert.Equal((ReconciliationOutcome.Error, 3), (result.Outcome, result.ExitCode));
    }

    [Fact]
    public async Task Duplicate_on_the_source_side_only_is_reported_with_counts()
    {
        var a = Samples.Installment(Samples.Atena("1000001"), 2025, 1, 5m);
        var r = await new Reconciler(new ReconcileOptions(), Samples.Renderer()).ReconcileEntityAsync(TaxInstallmentSpec.Entity,
            Samples.Stream([a, a]), true, Samples.Stream([]), true, null, TestContext.Current.CancellationToken);
        var d = Assert.Single(r.Discrepancies);
        Assert.Equal((DiscrepancyKind.Duplicate, 2, 0), (d.Kind, d.SourceCount, d.TargetCount));
        Assert.Equal((1L, 0L), (r.Duplicates, r.MissingInTarget));
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var reconciler = new Reconciler(new ReconcileOptions(), Samples.Renderer());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reconciler.ReconcileEntityAsync(TaxInstallmentSpec.Entity,
            Samples.Stream([Samples.Installment("1", 2025, 1, 1m)]), true, Samples.Stream([]), true, null, cts.Token));
    }
}
