using Ogaki.Migration.Pipeline;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>The streaming dry run when the target fails part-way.</summary>
public class StreamingLoadTests
{
    /// <summary>A SQLite target that fails on one batch of one entity, as a database going away would.</summary>
    sealed class FailingTarget(IStandardTarget inner, string entity, int failBatch) : IStandardTarget
    {
        public int Loaded;

        public string Kind => inner.Kind;
        public string Description => inner.Description;
        public Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default) => inner.EnsureSchemaAsync(entities, specVersion, cancellationToken);
        public Task<long> CountAsync(SpecEntity e, CancellationToken cancellationToken = default) => inner.CountAsync(e, cancellationToken);
        public Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default) => inner.GetLedgerAsync(runId, cancellationToken);
        public Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default) => inner.ResetAsync(cancellationToken);
        public IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity e, CancellationToken cancellationToken = default) => inner.ReadBackAsync(e, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public async Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default)
        {
            if (batch.Entity.Name == entity && batch.BatchNumber == failBatch) throw new IOException("connection reset by peer");
            Interlocked.Increment(ref Loaded);
            return await inner.LoadBatchAsync(batch, cancellationToken);
        }
    }

    [Fact]
    public async Task A_target_failing_mid_stream_stops_the_run_with_an_infrastructure_error_naming_the_batch()
    {
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        await LegacyEstateGenerator.WriteAsync(new EstateOptions { Scale = 0.002, Seed = 5, OutputDirectory = estate }, null, TestContext.Current.CancellationToken);
        var key = new Pseudonymizer("streaming-test-pseudonym-key-01");
        var renderer = new ValueRenderer(key, ReportPrivacy.Default);
        var spill = Directory.CreateDirectory(Path.Combine(tmp.Path, "spill")).FullName;
        var reconciler = new Reconciler(new ReconcileOptions { TempDirectory = spill, SortChunkRows = 100 }, renderer);
        var job = new MigrationJob(IStageProgress.None);
        await using var target = new FailingTarget(TargetFactory.Create("sqlite:" + Path.Combine(tmp.Path, "t.db")), "ResidentHistory", 3);
        var e = await Assert.ThrowsAsync<PipelineException>(() => job.MapAndLoadAsync(estate, null, key, reconciler,
            new ValidationRun(new ValidationOptions(), renderer), target, "failing", 100, TestContext.Current.CancellationToken));
        Assert.Equal(FailureKind.Infrastructure, e.Kind);
        Assert.Contains("ResidentHistory batch 3 (input records 201–300)", e.Message, StringComparison.Ordinal);
        Assert.Contains("connection reset by peer", e.Message, StringComparison.Ordinal);
        Assert.True(target.Loaded > 2, "batches before the failing one were loaded while mapping went on");
        Assert.Empty(Directory.EnumerateFiles(spill)); // the sorted source side (personal data) is cleaned up
    }
}
