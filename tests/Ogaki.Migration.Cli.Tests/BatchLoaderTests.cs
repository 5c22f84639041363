using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// How <see cref="BatchLoader"/> schedules batches: one connection per entity at a time, batches in the order sent,
/// waiting batches loaded together, bounded memory, and the first error reported with the batches it lost.
/// </summary>
public class BatchLoaderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A target that loads a group all or nothing, as PostgreSQL does: it takes the group's batches (each after
    /// <see cref="Delay"/>), then reports them all. It records every group and how many groups ran at once.
    /// </summary>
    sealed class RecordingTarget(int parallelism) : IStandardTarget
    {
        readonly Lock _gate = new();
        readonly Dictionary<string, int> _perEntity = new(StringComparer.Ordinal);
        int _now;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TimeSpan Delay { get; init; }
        public (string Entity, int Batch)? FailAt { get; init; }
        public ConcurrentQueue<(string Entity, int[] Batches)> Groups { get; } = new();
        public int MostAtOnce { get; private set; }
        public int MostPerEntity { get; private set; }

        public string Kind => "recording";
        public string Description => "recording";
        public int LoadParallelism => parallelism;

        public async IAsyncEnumerable<BatchResult> LoadBatchesAsync(IAsyncEnumerable<LoadBatch> batches, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Open.Task.WaitAsync(cancellationToken);
            var taken = new List<LoadBatch>();
            string? entity = null;
            try
            {
                await foreach (var b in batches.WithCancellation(cancellationToken))
                {
                    if (entity is null)
                    {
                        entity = b.Entity.Name;
                        lock (_gate)
                        {
                            MostAtOnce = Math.Max(MostAtOnce, ++_now);
                            MostPerEntity = Math.Max(MostPerEntity, _perEntity[entity] = _perEntity.GetValueOrDefault(entity) + 1);
                        }
                    }
                    taken.Add(b);
                    if (FailAt == (b.Entity.Name, b.BatchNumber)) throw new IOException("connection reset by peer");
                    await Task.Delay(Delay, cancellationToken);
                }
            }
            finally
            {
                if (entity is not null)
                    lock (_gate)
                    {
                        _now--;
                        _perEntity[entity]--;
                    }
            }
            if (entity is not null) Groups.Enqueue((entity, [.. taken.Select(b => b.BatchNumber)]));
            foreach (var b in taken) yield return new BatchResult(b.BatchNumber, b.Records.Count, false, "checksum");
        }

        public Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default) => throw new NotSupportedException("loads in groups");
        public Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<long> CountAsync(SpecEntity entity, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Batch <paramref name="number"/> (from 1) of ten records.</summary>
    static LoadBatch Batch(SpecEntity entity, int number) =>
        new("run-sched", StandardSpec.Version, entity, number, (number - 1) * 10L + 1, number * 10L, new IStandardRecord[10]);

    [Fact]
    public async Task Each_entity_loads_in_order_on_one_connection_at_a_time_and_batches_that_wait_load_together()
    {
        SpecEntity[] entities = [ResidentSpec.Entity, HouseholdSpec.Entity, TaxAssessmentSpec.Entity];
        var target = new RecordingTarget(parallelism: 2) { Delay = TimeSpan.FromMilliseconds(3) };
        target.Open.SetResult();
        var loader = new BatchLoader(target, null, maxGroup: 4, cancellationToken: Ct);

        // Interleaved as a mapping emits them, with a long run of one entity in the middle.
        for (var n = 1; n <= 20; n++)
            foreach (var e in entities)
                await loader.SendAsync(Batch(e, n));
        for (var n = 21; n <= 40; n++) await loader.SendAsync(Batch(ResidentSpec.Entity, n));
        await loader.CompleteAsync();

        var groups = target.Groups.ToList();
        Assert.Equal(1, target.MostPerEntity);          // a table is never loaded by two connections at once
        Assert.InRange(target.MostAtOnce, 1, 2);         // and no more connections than the target has
        Assert.All(groups, g => Assert.InRange(g.Batches.Length, 1, 4));
        Assert.Contains(groups, g => g.Batches.Length > 1);
        foreach (var e in entities)
        {
            var count = e == ResidentSpec.Entity ? 40 : 20;
            // Every batch once, in the order sent, across the entity's groups.
            Assert.Equal(Enumerable.Range(1, count), groups.Where(g => g.Entity == e.Name).SelectMany(g => g.Batches));
            Assert.Equal(count * 10L, loader.Written[e.Name]);
        }
        Assert.Equal(80, loader.Batches);
        Assert.Equal(800, loader.LoadedRows);
        Assert.Equal(0, loader.SkippedBatches);
    }

    [Fact]
    public async Task The_sender_waits_while_two_batches_of_its_entity_or_two_per_connection_in_all_wait()
    {
        var target = new RecordingTarget(parallelism: 2); // takes nothing until opened
        var loader = new BatchLoader(target, null, cancellationToken: Ct);
        await loader.SendAsync(Batch(ResidentSpec.Entity, 1));
        await loader.SendAsync(Batch(ResidentSpec.Entity, 2));
        var thirdResident = loader.SendAsync(Batch(ResidentSpec.Entity, 3)).AsTask();

        // The resident sender holds no room while it waits: another entity's batches still get in.
        await loader.SendAsync(Batch(HouseholdSpec.Entity, 1)).AsTask().WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await loader.SendAsync(Batch(HouseholdSpec.Entity, 2)).AsTask().WaitAsync(TimeSpan.FromMinutes(1), Ct);
        var fifth = loader.SendAsync(Batch(TaxAssessmentSpec.Entity, 1)).AsTask();
        await Task.Delay(300, Ct);
        Assert.False(thirdResident.IsCompleted, "a third resident batch was taken while two waited");
        Assert.False(fifth.IsCompleted, "a fifth batch was taken while four (two per connection) waited");

        target.Open.SetResult();
        await Task.WhenAll(thirdResident, fifth).WaitAsync(TimeSpan.FromMinutes(1), Ct);
        await loader.CompleteAsync();
        Assert.Equal(6, loader.Batches);
        Assert.Equal(30, loader.Written[ResidentSpec.Entity.Name]);
    }

    [Fact]
    public async Task A_failing_group_stops_the_load_with_an_error_naming_every_batch_of_it_that_is_not_committed()
    {
        var target = new RecordingTarget(parallelism: 2) { FailAt = ("Resident", 2) };
        var loader = new BatchLoader(target, null, cancellationToken: Ct);
        // Both batches wait before the target opens, so they are one group; the second fails it.
        await loader.SendAsync(Batch(ResidentSpec.Entity, 1));
        await loader.SendAsync(Batch(ResidentSpec.Entity, 2));
        target.Open.SetResult();

        var e = await Assert.ThrowsAsync<PipelineException>(async () =>
        {
            for (var n = 3; n <= 1000; n++) await loader.SendAsync(Batch(ResidentSpec.Entity, n));
            await loader.CompleteAsync();
        });

        Assert.Equal(FailureKind.Infrastructure, e.Kind);
        Assert.Contains("loading Resident batches 1–2 (input records 1–20) into recording failed: connection reset by peer", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of those batches was committed", e.Message, StringComparison.Ordinal);
        Assert.Empty(target.Groups);
        Assert.Equal(0, loader.Batches);
        await loader.AbortAsync(); // after the failure: returns, throws nothing
    }
}
