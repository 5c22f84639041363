using System.Collections.Concurrent;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>The streaming dry run when the target fails part-way, and the target made ready while the mapping starts.</summary>
public class StreamingLoadTests
{
    /// <summary>A SQLite target that fails on one batch of one entity, as a database going away would.</summary>
    sealed class FailingTarget(IStandardTarget inner, string entity, int failBatch) : IStandardTarget
    {
        public int Loaded;

        /// <summary>What was asked of the target, in order: schema, begin, load.</summary>
        public ConcurrentQueue<string> Events { get; } = new();

        public string Kind => inner.Kind;
        public string Description => inner.Description;

        public Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default)
        {
            Events.Enqueue("schema");
            return inner.EnsureSchemaAsync(entities, specVersion, cancellationToken);
        }

        public Task BeginLoadAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default)
        {
            Events.Enqueue("begin");
            return inner.BeginLoadAsync(entities, cancellationToken);
        }

        public Task<long> CountAsync(SpecEntity e, CancellationToken cancellationToken = default) => inner.CountAsync(e, cancellationToken);
        public Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default) => inner.GetLedgerAsync(runId, cancellationToken);
        public Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default) => inner.ResetAsync(cancellationToken);
        public IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity e, CancellationToken cancellationToken = default) => inner.ReadBackAsync(e, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        public async Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default)
        {
            if (batch.Entity.Name == entity && batch.BatchNumber == failBatch) throw new IOException("connection reset by peer");
            Events.Enqueue("load");
            Interlocked.Increment(ref Loaded);
            return await inner.LoadBatchAsync(batch, cancellationToken);
        }
    }

    [Fact]
    public async Task A_target_failing_mid_stream_stops_the_run_with_an_infrastructure_error_naming_the_batch()
    {
        using var tmp = new TempFolder();
        var (estate, reconciler, validation, key, spill) = await SmallEstateAsync(tmp);
        var job = new MigrationJob(IStageProgress.None);
        await using var target = new FailingTarget(TargetFactory.Create("sqlite:" + Path.Combine(tmp.Path, "t.db")), "ResidentHistory", 3);
        var e = await Assert.ThrowsAsync<PipelineException>(() => job.MapAndLoadAsync(estate, null, key, reconciler,
            validation, target, "failing", 100, TestContext.Current.CancellationToken));
        Assert.Equal(FailureKind.Infrastructure, e.Kind);
        Assert.Contains("ResidentHistory batch 3 (input records 201–300)", e.Message, StringComparison.Ordinal);
        Assert.Contains("connection reset by peer", e.Message, StringComparison.Ordinal);
        Assert.True(target.Loaded > 2, "batches before the failing one were loaded while mapping went on");
        Assert.Empty(Directory.EnumerateFiles(spill)); // the sorted source side (personal data) is cleaned up
    }

    /// <summary>Signals when the map stage first reports records done.</summary>
    sealed class MapWatch : IStageProgress
    {
        public TaskCompletionSource Mapped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> RunAsync<T>(string stage, long? total, Func<Action<long>, Task<T>> work) =>
            work(done => { if (stage == "map" && done > 0) Mapped.TrySetResult(); });

        public void Notice(string message)
        {
        }
    }

    static async Task<(string Estate, Reconciler Reconciler, ValidationRun Validation, Pseudonymizer Key, string Spill)> SmallEstateAsync(TempFolder tmp)
    {
        var estate = Path.Combine(tmp.Path, "estate");
        await LegacyEstateGenerator.WriteAsync(new EstateOptions { Scale = 0.002, Seed = 5, OutputDirectory = estate }, null, TestContext.Current.CancellationToken);
        var key = new Pseudonymizer("streaming-test-pseudonym-key-01");
        var renderer = new ValueRenderer(key, ReportPrivacy.Default);
        var spill = Directory.CreateDirectory(Path.Combine(tmp.Path, "spill")).FullName;
        return (estate, new Reconciler(new ReconcileOptions { TempDirectory = spill, SortChunkRows = 100 }, renderer), new ValidationRun(new ValidationOptions(), renderer), key, spill);
    }

    [Fact]
    public async Task The_target_is_made_ready_while_the_mapping_runs_and_before_its_first_batch()
    {
        using var tmp = new TempFolder();
        var (estate, reconciler, validation, key, _) = await SmallEstateAsync(tmp);
        var watch = new MapWatch();
        var job = new MigrationJob(watch);
        await using var target = new FailingTarget(TargetFactory.Create("sqlite:" + Path.Combine(tmp.Path, "t.db")), "none", 0);
        // The preparation finishes only once the mapping has done records: it cannot have run before the mapping began.
        async Task Prepare(CancellationToken ct)
        {
            await watch.Mapped.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);
            target.Events.Enqueue("prepare");
        }

        await using var run = await job.MapAndLoadAsync(estate, null, key, reconciler, validation, target, "ready", 10_000, TestContext.Current.CancellationToken, Prepare);

        var events = target.Events.ToArray();
        Assert.Equal(["prepare", "schema", "begin"], events[..3]);
        Assert.All(events[3..], e => Assert.Equal("load", e));
        Assert.Equal(run.Batches, target.Loaded);
        Assert.True(run.Batches > 0);
        var sides = run.Sources.Values.Sum(s => s.Count);
        Assert.True(sides > 0);
        Assert.Equal(sides, run.Written.Values.Sum()); // every standard record mapped was loaded
        foreach (var entity in StandardSpec.Entities)
            Assert.Equal(run.Sources.TryGetValue(entity.Name, out var side) ? side.Count : 0, await target.CountAsync(entity, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_target_that_cannot_be_made_ready_stops_the_mapping_with_its_own_error_and_loads_nothing()
    {
        using var tmp = new TempFolder();
        var (estate, reconciler, validation, key, spill) = await SmallEstateAsync(tmp);
        var job = new MigrationJob(IStageProgress.None);
        await using var target = new FailingTarget(TargetFactory.Create("sqlite:" + Path.Combine(tmp.Path, "t.db")), "none", 0);
        var refused = new PipelineException("the target already holds another rehearsal: run r-1 (12 rows)", FailureKind.InvalidInput);

        var e = await Assert.ThrowsAsync<PipelineException>(() => job.MapAndLoadAsync(estate, null, key, reconciler, validation, target, "refused", 100,
            TestContext.Current.CancellationToken, _ => Task.FromException(refused)));

        Assert.Same(refused, e);
        Assert.Empty(target.Events); // no schema change, no batch
        Assert.Empty(Directory.EnumerateFiles(spill)); // the sorted source side (personal data) is cleaned up
    }
}
