using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Validation;

/// <summary>Settings of <see cref="Reconciler"/>.</summary>
public sealed record ReconcileOptions
{
    /// <summary>Explicit tolerances; default none (exact).</summary>
    public IReadOnlyList<ToleranceRule> Tolerances { get; init; } = [];

    /// <summary>Tolerance per control-total name (<see cref="ControlTotalDefinition.Name"/>); default none (exact).</summary>
    public IReadOnlyDictionary<string, decimal> ControlTotalTolerances { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>Control totals per entity; default <see cref="ControlTotalCatalog.For"/>.</summary>
    public Func<SpecEntity, IReadOnlyList<ControlTotalDefinition>> ControlTotals { get; init; } = ControlTotalCatalog.For;

    /// <summary>At most this many discrepancies per entity are kept in detail (all are counted).</summary>
    public int MaxDiscrepancyDetails { get; init; } = 10_000;

    /// <summary>
    /// Rows per in-memory chunk when an unsorted side is sorted; larger inputs spill to disk. 0 (default): about
    /// a quarter of a million values per chunk (2,032 rows of 住民（個人）, 13,157 of 納税義務者・税額), at least 1,000 rows —
    /// small enough that a dry run collecting every entity's source side at once stays within its memory budget.
    /// </summary>
    public int SortChunkRows { get; init; }

    internal int ChunkRowsFor(SpecEntity entity) => SortChunkRows > 0 ? SortChunkRows : Math.Max(1_000, 250_000 / Math.Max(1, entity.Items.Count));

    /// <summary>Folder for sort spill files (default: the system temp folder). They hold personal data and are deleted after use.</summary>
    public string? TempDirectory { get; init; }
}

/// <summary>A side's rows were not in key order although the caller said they were.</summary>
public sealed class RowOrderException(string message) : Exception(message);

/// <summary>
/// Reconciles the mapped source against the target, per entity, as a sorted streaming merge: both sides are
/// read once in key order (an unsorted side is sorted with bounded memory first), each row is hashed
/// (SHA-256 of its canonical form), equal keys compare hashes, and differing records get a field-level diff.
/// Loaded and matched are counted from the rows read back, never from pipeline counters.
/// </summary>
public sealed class Reconciler(ReconcileOptions options, ValueRenderer renderer)
{
    public ReconcileOptions Options { get; } = options;

    /// <summary>Reconciles one entity of a target database against the mapped standard records (any order).</summary>
    public Task<EntityReconciliation> ReconcileTargetAsync(IStandardTarget target, SpecEntity entity, IAsyncEnumerable<IStandardRecord> mapped,
        SourceCounts? counts = null, CancellationToken cancellationToken = default) =>
        ReconcileEntityAsync(entity, RowStreams.FromRecords(mapped, cancellationToken), sourceSorted: false,
            target.ReadBackAsync(entity, cancellationToken), targetSorted: true, counts, cancellationToken);

    /// <summary>A source side to fill while the mapping streams by, for <see cref="ReconcileTargetAsync(IStandardTarget, SourceSide, SourceCounts?, CancellationToken)"/>.</summary>
    public SourceSide CreateSourceSide(SpecEntity entity) =>
        new(entity, new ExternalRowSorter(entity, Options.ChunkRowsFor(entity), Options.TempDirectory), new ControlTotalAccumulator(entity, Options.ControlTotals(entity)));

    /// <summary>Reconciles one entity of a target database against a source side collected during the mapping.</summary>
    public Task<EntityReconciliation> ReconcileTargetAsync(IStandardTarget target, SourceSide source, SourceCounts? counts = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return MergeAsync(source.Entity, source, null, null, target.ReadBackAsync(source.Entity, cancellationToken), counts, cancellationToken);
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
        return await MergeAsync(entity, sourceSide, source, targetSide, target, counts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The merge behind both entry points. Each side is a sorted stream (checked for order and totalled as it is read),
    /// or a <see cref="SourceSide"/> (sorted and totalled as it was filled), with <paramref name="sourceRows"/> /
    /// <paramref name="targetRows"/> drained into it first when given.
    /// </summary>
    async Task<EntityReconciliation> MergeAsync(SpecEntity entity, SourceSide? sourceSide, IAsyncEnumerable<object?[]>? sourceRows,
        SourceSide? targetSide, IAsyncEnumerable<object?[]>? targetRows, SourceCounts? counts, CancellationToken cancellationToken)
    {
        var sourceTotals = sourceSide?.Totals ?? new ControlTotalAccumulator(entity, Options.ControlTotals(entity));
        var targetTotals = targetSide?.Totals ?? new ControlTotalAccumulator(entity, Options.ControlTotals(entity));
        var merge = new Merge(this, entity);
        try
        {
            var s = await SortedAsync(sourceSide, sourceRows, cancellationToken).ConfigureAwait(false);
            var t = await SortedAsync(targetSide, targetRows, cancellationToken).ConfigureAwait(false);
            await merge.RunAsync(s, t, sourceSide is null ? sourceTotals : null, targetSide is null ? targetTotals : null, cancellationToken).ConfigureAwait(false);
            return merge.Result(counts, ControlTotalAccumulator.Compare(sourceTotals, targetTotals, Options.ControlTotalTolerances), null);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            return merge.Result(counts, [], ex.GetType().Name + ": " + PersonalDataScanner.RedactMyNumbers(ex.Message));
        }
    }

    static async Task<IAsyncEnumerable<object?[]>> SortedAsync(SourceSide? side, IAsyncEnumerable<object?[]>? rows, CancellationToken cancellationToken)
    {
        if (side is null) return rows!;
        if (rows is not null)
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                side.Totals.Add(row);
                side.Sorter.Add(row);
            }
        }
        return side.Sorter.SortedAsync(cancellationToken);
    }

    sealed class Merge(Reconciler owner, SpecEntity entity)
    {
        readonly RowKeyComparer _comparer = new(entity);
        readonly List<Discrepancy> _details = [];
        readonly ToleranceRule?[] _tolerances = entity.Items.Select(i => owner.Options.Tolerances.LastOrDefault(t => t.AppliesTo(entity, i))).ToArray();
        readonly byte[] _groupHash = new byte[32];
        long _matched, _withinTolerance, _missing, _unexpected, _duplicates, _mismatches;
        bool _truncated;
        string _sourceDigest = "", _targetDigest = "";
        Cursor? _s, _t;

        public async Task RunAsync(IAsyncEnumerable<object?[]> source, IAsyncEnumerable<object?[]> target,
            ControlTotalAccumulator? sourceStreamTotals, ControlTotalAccumulator? targetStreamTotals, CancellationToken cancellationToken)
        {
            await using var s = _s = new Cursor(source, _comparer, sourceStreamTotals, "source", cancellationToken);
            await using var t = _t = new Cursor(target, _comparer, targetStreamTotals, "target", cancellationToken);
            await s.MoveNextAsync().ConfigureAwait(false);
            await t.MoveNextAsync().ConfigureAwait(false);
            while (s.HasCurrent || t.HasCurrent)
            {
                var c = !s.HasCurrent ? 1 : !t.HasCurrent ? -1 : _comparer.Compare(s.Current, t.Current);
                if (c < 0)
                {
                    var row = s.Current;
                    var n = await s.SkipGroupAsync(_comparer).ConfigureAwait(false);
                    if (n > 1) Record(DiscrepancyKind.Duplicate, row, n, 0, []);
                    else Record(DiscrepancyKind.MissingInTarget, row, 1, 0, []);
                }
                else if (c > 0)
                {
                    var row = t.Current;
                    var m = await t.SkipGroupAsync(_comparer).ConfigureAwait(false);
                    if (m > 1) Record(DiscrepancyKind.Duplicate, row, 0, m, []);
                    else Record(DiscrepancyKind.UnexpectedInTarget, row, 0, 1, []);
                }
                else
                {
                    var sourceRow = s.Current;
                    var targetRow = t.Current;
                    s.CurrentHash.CopyTo(_groupHash);
                    var equal = t.CurrentHash.SequenceEqual(_groupHash);
                    var n = await s.SkipGroupAsync(_comparer).ConfigureAwait(false);
                    var m = await t.SkipGroupAsync(_comparer).ConfigureAwait(false);
                    if (n > 1 || m > 1) Record(DiscrepancyKind.Duplicate, sourceRow, n, m, []);
                    else if (equal) _matched++;
                    else Compare(sourceRow, targetRow);
                }
            }
            _sourceDigest = s.Digest();
            _targetDigest = t.Digest();
        }

        void Compare(object?[] source, object?[] target)
        {
            List<FieldDifference>? fields = null;
            var tolerated = false;
            for (var i = 0; i < source.Length; i++)
            {
                var a = CanonicalValue.ToText(source[i]);
                var b = CanonicalValue.ToText(target[i]);
                if (string.Equals(a, b, StringComparison.Ordinal)) continue;
                if (_tolerances[i] is { } rule && (rule.Ignore || WithinAmount(source[i], target[i], rule.AbsoluteAmount)))
                {
                    tolerated = true;
                    continue;
                }
                var item = entity.Items[i];
                (fields ??= []).Add(new FieldDifference(item.ItemId, item.NameJa, item.Identifier, owner._renderer.Render(item, a), owner._renderer.Render(item, b)));
            }
            if (fields is null)
            {
                if (tolerated) _withinTolerance++;
                else _matched++; // different hashes but equal canonical texts cannot happen; counted as matched all the same
                return;
            }
            Record(DiscrepancyKind.FieldMismatch, source, 1, 1, fields);
        }

        static bool WithinAmount(object? a, object? b, decimal tolerance) =>
            a is decimal x && b is decimal y && Math.Abs(x - y) <= tolerance;

        void Record(DiscrepancyKind kind, object?[] row, int sourceCount, int targetCount, IReadOnlyList<FieldDifference> fields)
        {
            switch (kind)
            {
                case DiscrepancyKind.MissingInTarget: _missing++; break;
                case DiscrepancyKind.UnexpectedInTarget: _unexpected++; break;
                case DiscrepancyKind.Duplicate: _duplicates++; break;
                case DiscrepancyKind.FieldMismatch: _mismatches++; break;
            }
            if (_details.Count >= owner.Options.MaxDiscrepancyDetails)
            {
                _truncated = true;
                return;
            }
            _details.Add(new Discrepancy(entity.Name, kind, owner._renderer.RenderKey(entity, _comparer.Ordinals, row), sourceCount, targetCount, fields));
        }

        public EntityReconciliation Result(SourceCounts? counts, IReadOnlyList<ControlTotal> totals, string? error) => new()
        {
            Entity = entity,
            SourceCounts = counts,
            Mapped = _s?.Count ?? 0,
            Loaded = _t?.Count ?? 0,
            Matched = _matched,
            MatchedWithinTolerance = _withinTolerance,
            MissingInTarget = _missing,
            UnexpectedInTarget = _unexpected,
            Duplicates = _duplicates,
            FieldMismatches = _mismatches,
            ControlTotals = totals,
            Discrepancies = _details.OrderBy(d => d.Key, StringComparer.Ordinal).ThenBy(d => d.Kind).ToList(),
            DiscrepanciesTruncated = _truncated,
            SourceDigest = _sourceDigest,
            TargetDigest = _targetDigest,
            Error = error,
        };
    }

    readonly ValueRenderer _renderer = renderer;

    /// <summary>
    /// One side of the merge. A producer task reads the side's rows, checks their order, adds them to the side's
    /// control totals, hashes them and appends the hashes to the side's digest, handing rows over in batches
    /// through a bounded channel; so the two sides hash in parallel with the merge while memory stays flat.
    /// </summary>
    sealed class Cursor : IAsyncDisposable
    {
        const int BatchRows = 1024;
        readonly Channel<Batch> _channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        readonly CancellationTokenSource _cts;
        readonly Task _producer;
        readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Batches the merge has moved past go back to the producer, so a long side allocates a handful of batches only.
        readonly System.Collections.Concurrent.ConcurrentQueue<Batch> _free = new();
        Exception? _error;
        Batch? _batch;
        int _index;

        public Cursor(IAsyncEnumerable<object?[]> rows, RowKeyComparer comparer, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _producer = Task.Run(() => ProduceAsync(rows, comparer, totals, side, _cts.Token), CancellationToken.None);
        }

        sealed class Batch(int capacity)
        {
            public readonly object?[][] Rows = new object?[capacity][];
            public readonly byte[] Hashes = new byte[capacity * 32];
            public int Count;
        }

        async Task ProduceAsync(IAsyncEnumerable<object?[]> rows, RowKeyComparer comparer, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            using var hasher = new RowHasher();
            var items = comparer.Entity.Items.Count;
            object?[]? previous = null;
            long n = 0;
            var batch = new Batch(BatchRows);
            try
            {
                await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    n++;
                    if (row.Length != items)
                        throw new InvalidDataException(FormattableString.Invariant($"{side} row {n} has {row.Length} values; {comparer.Entity.Name} has {items} items"));
                    if (previous is not null && comparer.Compare(previous, row) > 0)
                        throw new RowOrderException(FormattableString.Invariant($"{side} rows of {comparer.Entity.Name} are not in key order at row {n}"));
                    previous = row;
                    totals?.Add(row);
                    var hash = batch.Hashes.AsSpan(batch.Count * 32, 32);
                    hasher.Hash(row, hash);
                    _digest.AppendData(hash);
                    batch.Rows[batch.Count++] = row;
                    if (batch.Count == BatchRows)
                    {
                        await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                        if (_free.TryDequeue(out var reused)) reused.Count = 0;
                        batch = reused ?? new Batch(BatchRows);
                    }
                }
                if (batch.Count > 0) await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _error = ex;
            }
            finally
            {
                _channel.Writer.TryComplete();
            }
        }

        public object?[] Current { get; private set; } = [];

        public bool HasCurrent { get; private set; }

        public ReadOnlySpan<byte> CurrentHash => _batch!.Hashes.AsSpan((_index - 1) * 32, 32);

        public long Count { get; private set; }

        public async ValueTask MoveNextAsync()
        {
            if (_batch is null || _index == _batch.Count)
            {
                // The merge has copied what it needs of the current row (hash compared, row referenced), so the batch can be reused.
                if (_batch is not null) _free.Enqueue(_batch);
                _index = 0;
                if (!_channel.Reader.TryRead(out _batch))
                {
                    _batch = null;
                    while (await _channel.Reader.WaitToReadAsync(_cts.Token).ConfigureAwait(false))
                        if (_channel.Reader.TryRead(out _batch)) break;
                }
                if (_batch is null)
                {
                    HasCurrent = false;
                    await _producer.ConfigureAwait(false);
                    if (_error is OperationCanceledException) _cts.Token.ThrowIfCancellationRequested();
                    if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                    return;
                }
            }
            Current = _batch.Rows[_index++];
            HasCurrent = true;
            Count++;
        }

        /// <summary>Moves past every row with the current key; returns how many there were.</summary>
        public async ValueTask<int> SkipGroupAsync(RowKeyComparer comparer)
        {
            var first = Current;
            var n = 0;
            do
            {
                n++;
                await MoveNextAsync().ConfigureAwait(false);
            }
            while (HasCurrent && comparer.Compare(first, Current) == 0);
            return n;
        }

        /// <summary>The side's digest; valid once the side has been read to its end.</summary>
        public string Digest() => Base64Url(_digest.GetHashAndReset());

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync().ConfigureAwait(false);
            try { await _producer.ConfigureAwait(false); }
            catch (OperationCanceledException) { /* stopping */ }
            _cts.Dispose();
            _digest.Dispose();
        }
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The source side of one entity, collected while the mapping streams by: its rows are sorted by key with bounded
/// memory (spilled in sorted runs) and its control totals taken, so the mapped records need not be kept for the
/// reconciliation. Spill files hold personal data and are deleted on dispose.
/// </summary>
public sealed class SourceSide : IAsyncDisposable
{
    internal SourceSide(SpecEntity entity, ExternalRowSorter sorter, ControlTotalAccumulator totals)
    {
        Entity = entity;
        Sorter = sorter;
        Totals = totals;
    }

    public SpecEntity Entity { get; }

    internal ExternalRowSorter Sorter { get; }

    internal ControlTotalAccumulator Totals { get; }

    /// <summary>Rows added.</summary>
    public long Count => Sorter.Count;

    public void Add(IStandardRecord record) => Add(StandardRecordValidator.Row(record));

    public void Add(object?[] row)
    {
        if (row.Length != Entity.Items.Count)
            throw new ArgumentException($"a row of {Entity.Name} has {Entity.Items.Count} values, not {row.Length}", nameof(row));
        Totals.Add(row);
        Sorter.Add(row);
    }

    /// <summary>Writes what is buffered to disk (when it is more than a few rows), freeing its memory until the reconciliation reads it.</summary>
    public Task SpillAsync() => Sorter.SpillAsync();

    public ValueTask DisposeAsync() => Sorter.DisposeAsync();
}

/// <summary>Adapters from records to rows.</summary>
public static class RowStreams
{
    /// <summary>The values of each record in spec item order (<see cref="IStandardRecord.GetValue"/>).</summary>
    public static async IAsyncEnumerable<object?[]> FromRecords(IAsyncEnumerable<IStandardRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var r in records.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return StandardRecordValidator.Row(r);
    }

    public static IAsyncEnumerable<object?[]> FromRecords(IEnumerable<IStandardRecord> records) => FromRows(records.Select(StandardRecordValidator.Row));

    /// <summary>An in-memory sequence of rows as an async stream.</summary>
#pragma warning disable CS1998 // synchronous source, async interface
    public static async IAsyncEnumerable<object?[]> FromRows(IEnumerable<object?[]> rows)
#pragma warning restore CS1998
    {
        foreach (var r in rows) yield return r;
    }
}
