// Reconciler: the entry points and the merge behind them, with its inputs. Partial files: Merge (the streaming
// compare and the result of one entity), Cursor (one side read in key order, with its digest and totals).

using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>
/// Reads one entity of the loaded target back: its rows in canonical form (<see cref="CanonicalRowBatch"/>), in key
/// order. The reconciliation needs nothing else of a target, so it does not depend on the targets.
/// </summary>
public delegate IAsyncEnumerable<CanonicalRowBatch> ReadBack(SpecEntity entity, CancellationToken cancellationToken);

/// <summary>A side's rows were not in key order although the caller said they were.</summary>
public sealed class RowOrderException(string message) : Exception(message);

/// <summary>
/// Reconciles the mapped source against the target, per entity, as a sorted streaming merge: both sides are
/// read once in key order (an unsorted side is sorted with bounded memory first) in canonical form
/// (<see cref="CanonicalRow"/>), equal keys compare their canonical rows byte for byte, and differing records get a
/// field-level diff. Each side's digest is the SHA-256 of its canonical rows in key order.
/// Loaded and matched are counted from the rows read back, never from pipeline counters.
/// </summary>
public sealed partial class Reconciler(ReconcileOptions options, ValueRenderer renderer)
{
    public ReconcileOptions Options { get; } = options;

    /// <summary>A source side to fill while the mapping streams by, for <see cref="ReconcileReadBackAsync"/>.</summary>
    public SourceSide CreateSourceSide(SpecEntity entity) =>
        new(entity, new ExternalRowSorter(entity, Options.SortChunkRows, Options.TempDirectory) { Totals = new ControlTotalAccumulator(entity, Options.ControlTotals(entity)) });

    /// <summary>
    /// Reconciles one entity of the loaded target, read back through <paramref name="readBack"/> (canonical rows in
    /// key order), against a source side collected during the mapping.
    /// </summary>
    public Task<EntityReconciliation> ReconcileReadBackAsync(ReadBack readBack, SourceSide source, SourceCounts? counts = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readBack);
        ArgumentNullException.ThrowIfNull(source);
        return MergeAsync(source.Entity, new SideInput(source, null), new SideInput(null, readBack(source.Entity, cancellationToken)),
            counts, cancellationToken);
    }

    /// <summary>
    /// Reconciles two row streams of one entity (values in spec item order with the generated CLR types).
    /// A side marked sorted is checked for key order as it is read; a violation makes the result an error.
    /// Any failure other than cancellation becomes <see cref="EntityReconciliation.Error"/>, never an exception.
    /// </summary>
    public async Task<EntityReconciliation> ReconcileEntityAsync(SpecEntity entity, IAsyncEnumerable<object?[]> source, bool sourceSorted,
        IAsyncEnumerable<object?[]> target, bool targetSorted = true, SourceCounts? counts = null, CancellationToken cancellationToken = default)
    {
        // An unsorted side is drained into a side of its own first: sorted with bounded memory, its totals taken then.
        await using var sourceSide = sourceSorted ? null : CreateSourceSide(entity);
        await using var targetSide = targetSorted ? null : CreateSourceSide(entity);
        return await MergeAsync(entity, Input(sourceSide, source, "source"), Input(targetSide, target, "target"), counts, cancellationToken).ConfigureAwait(false);

        SideInput Input(SourceSide? side, IAsyncEnumerable<object?[]> rows, string name) =>
            side is null ? new SideInput(null, CanonicalRowBatch.FromValuesAsync(entity, rows, name, cancellationToken)) : new SideInput(side, null, rows);
    }

    /// <summary>
    /// One side of a merge: a <see cref="SourceSide"/> (sorted and totalled as it was filled, with <see cref="Rows"/>
    /// drained into it first when given), or a stream of canonical rows in key order (checked and totalled as it is read).
    /// </summary>
    sealed record SideInput(SourceSide? Collected, IAsyncEnumerable<CanonicalRowBatch>? Sorted, IAsyncEnumerable<object?[]>? Rows = null);

    /// <summary>The merge behind every entry point.</summary>
    async Task<EntityReconciliation> MergeAsync(SpecEntity entity, SideInput source, SideInput target, SourceCounts? counts, CancellationToken cancellationToken)
    {
        var sourceTotals = source.Collected?.Totals ?? new ControlTotalAccumulator(entity, Options.ControlTotals(entity));
        var targetTotals = target.Collected?.Totals ?? new ControlTotalAccumulator(entity, Options.ControlTotals(entity));
        var merge = new Merge(this, entity) { SourceSide = source.Collected };
        try
        {
            var s = await SortedAsync(source, cancellationToken).ConfigureAwait(false);
            var t = await SortedAsync(target, cancellationToken).ConfigureAwait(false);
            await merge.RunAsync(s, t, source.Collected is null ? sourceTotals : null, target.Collected is null ? targetTotals : null, cancellationToken).ConfigureAwait(false);
            return merge.Result(counts, ControlTotalAccumulator.Compare(sourceTotals, targetTotals, Options.ControlTotalTolerances), null);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            // What was mapped is known from the collected source side even when the merge stopped part-way.
            return merge.Result(counts, [], ex.GetType().Name + ": " + PersonalDataScanner.RedactMyNumbers(ex.Message).ReplaceLineEndings(" "), source.Collected?.Count);
        }
    }

    static async Task<IAsyncEnumerable<CanonicalRowBatch>> SortedAsync(SideInput input, CancellationToken cancellationToken)
    {
        if (input.Collected is not { } side) return input.Sorted!;
        if (input.Rows is not null)
            await foreach (var row in input.Rows.WithCancellation(cancellationToken).ConfigureAwait(false)) side.Add(row);
        return side.Sorter.SortedAsync(cancellationToken);
    }

    readonly ValueRenderer _renderer = renderer;

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
