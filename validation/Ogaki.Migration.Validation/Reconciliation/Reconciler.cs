using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading.Channels;
using Ogaki.Migration.Adapters;
using Ogaki.Migration.Spec;

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
    /// Rows per in-memory chunk when a side is sorted; larger inputs spill to disk in sorted runs. 0 (default):
    /// chunks of <see cref="ExternalRowSorter.DefaultChunkBytes"/> of canonical rows (about 7,000 rows of 住民（個人）) —
    /// small enough that a dry run collecting every entity's source side at once stays within its memory budget.
    /// </summary>
    public int SortChunkRows { get; init; }

    /// <summary>Folder for sort spill files (default: the system temp folder). They hold personal data and are deleted after use.</summary>
    public string? TempDirectory { get; init; }
}

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
public sealed class Reconciler(ReconcileOptions options, ValueRenderer renderer)
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

    sealed class Merge(Reconciler owner, SpecEntity entity)
    {
        readonly CanonicalKey _key = new(entity);
        readonly List<Discrepancy> _details = [];
        readonly ToleranceRule?[] _tolerances = entity.Items.Select(i => owner.Options.Tolerances.LastOrDefault(t => t.AppliesTo(entity, i))).ToArray();
        long _matched, _withinTolerance, _missing, _unexpected, _duplicates, _mismatches;
        bool _truncated;
        string _sourceDigest = "", _targetDigest = "";
        Cursor? _s, _t;

        /// <summary>The collected source side, whose location index says where a source record came from.</summary>
        public SourceSide? SourceSide { get; init; }

        SourceLocation? Locate(ReadOnlySpan<byte> key) => SourceSide?.LocationOf(key);

        public async Task RunAsync(IAsyncEnumerable<CanonicalRowBatch> source, IAsyncEnumerable<CanonicalRowBatch> target,
            ControlTotalAccumulator? sourceStreamTotals, ControlTotalAccumulator? targetStreamTotals, CancellationToken cancellationToken)
        {
            await using var s = _s = new Cursor(source, entity, sourceStreamTotals, "source", cancellationToken);
            await using var t = _t = new Cursor(target, entity, targetStreamTotals, "target", cancellationToken);
            await s.MoveNextAsync().ConfigureAwait(false);
            await t.MoveNextAsync().ConfigureAwait(false);
            while (s.HasCurrent || t.HasCurrent)
            {
                var c = !s.HasCurrent ? 1 : !t.HasCurrent ? -1 : s.Key.SequenceCompareTo(t.Key);
                if (c < 0)
                {
                    var row = s.Row.ToArray();
                    var at = Locate(s.Key);
                    var n = await s.SkipGroupAsync().ConfigureAwait(false);
                    Record(n > 1 ? DiscrepancyKind.Duplicate : DiscrepancyKind.MissingInTarget, row, n, 0, [], at);
                }
                else if (c > 0)
                {
                    var row = t.Row.ToArray();
                    var m = await t.SkipGroupAsync().ConfigureAwait(false);
                    Record(m > 1 ? DiscrepancyKind.Duplicate : DiscrepancyKind.UnexpectedInTarget, row, 0, m, [], null);
                }
                else
                {
                    // Records compare by their canonical form, byte for byte (exact: no hash collision can hide a difference).
                    // Rows are kept (copied) only when they differ: the batches they live in are reused once passed.
                    var equal = s.Row.SequenceEqual(t.Row);
                    var sourceRow = equal ? null : s.Row.ToArray();
                    var targetRow = equal ? null : t.Row.ToArray();
                    var at = equal ? null : Locate(s.Key);
                    var n = await s.SkipGroupAsync().ConfigureAwait(false);
                    var m = await t.SkipGroupAsync().ConfigureAwait(false);
                    if (n > 1 || m > 1) Record(DiscrepancyKind.Duplicate, (n > 1 ? s.DuplicateRow : t.DuplicateRow)!, n, m, [], at);
                    else if (equal) _matched++;
                    else Compare(sourceRow!, targetRow!, at);
                }
            }
            _sourceDigest = s.Digest();
            _targetDigest = t.Digest();
        }

        void Compare(byte[] sourceRow, byte[] targetRow, SourceLocation? at)
        {
            var source = CanonicalRow.Texts(sourceRow, entity.Items.Count);
            var target = CanonicalRow.Texts(targetRow, entity.Items.Count);
            List<FieldDifference>? fields = null;
            var tolerated = false;
            for (var i = 0; i < source.Length; i++)
            {
                var a = source[i];
                var b = target[i];
                if (string.Equals(a, b, StringComparison.Ordinal)) continue;
                if (_tolerances[i] is { } rule && (rule.Ignore || WithinAmount(entity.Items[i], a, b, rule.AbsoluteAmount)))
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
                else _matched++; // different encodings but equal canonical texts cannot happen; counted as matched all the same
                return;
            }
            Record(DiscrepancyKind.FieldMismatch, sourceRow, 1, 1, fields, at);
        }

        static bool WithinAmount(SpecItem item, string? a, string? b, decimal tolerance) =>
            item.Type is ItemType.Amount or ItemType.Int
            && decimal.TryParse(a, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var y)
            && Math.Abs(x - y) <= tolerance;

        void Record(DiscrepancyKind kind, byte[] row, int sourceCount, int targetCount, IReadOnlyList<FieldDifference> fields, SourceLocation? at)
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
            // Canonical texts render as the values they stand for (a string is its own canonical text).
            object?[] texts = CanonicalRow.Texts(row, entity.Items.Count);
            _details.Add(new Discrepancy(entity.Name, kind, owner._renderer.RenderKey(entity, _key.Ordinals, texts), sourceCount, targetCount, fields) { Location = at });
        }

        public EntityReconciliation Result(SourceCounts? counts, IReadOnlyList<ControlTotal> totals, string? error, long? mapped = null) => new()
        {
            Entity = entity,
            SourceCounts = counts,
            Mapped = mapped ?? _s?.Count ?? 0,
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
    /// One side of the merge. A producer task reads the side's canonical rows, checks their key order, adds them to
    /// the side's control totals and to its digest (SHA-256 over the canonical rows in key order), handing rows over
    /// in batches through a bounded channel; so the two sides are read in parallel with the merge while memory stays flat.
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
        byte[] _groupKey = new byte[256];
        Exception? _error;
        Batch? _batch;
        int _index;

        public Cursor(IAsyncEnumerable<CanonicalRowBatch> rows, SpecEntity entity, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _producer = Task.Run(() => ProduceAsync(rows, entity, totals, side, _cts.Token), CancellationToken.None);
        }

        sealed class Batch
        {
            public readonly CanonicalRowBatch Rows = new(1 << 17, BatchRows);
        }

        async Task ProduceAsync(IAsyncEnumerable<CanonicalRowBatch> rows, SpecEntity entity, ControlTotalAccumulator? totals, string side, CancellationToken cancellationToken)
        {
            var previous = new byte[256];
            var previousLength = -1;
            // Rows go to the digest in 64 KiB pieces: hashing is then bulk SHA-256, not a call per row.
            var digestBuffer = new byte[1 << 16];
            var digestLength = 0;
            long n = 0;
            var batch = new Batch();
            try
            {
                await foreach (var input in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    for (var i = 0; i < input.Count; i++)
                    {
                        n++;
                        var key = input.Key(i);
                        if (previousLength >= 0 && previous.AsSpan(0, previousLength).SequenceCompareTo(key) > 0)
                            throw new RowOrderException(FormattableString.Invariant($"{side} rows of {entity.Name} are not in key order at row {n}"));
                        if (key.Length > previous.Length) previous = new byte[key.Length * 2];
                        key.CopyTo(previous);
                        previousLength = key.Length;
                        var row = input.Row(i);
                        totals?.Add(row);
                        if (digestLength + row.Length > digestBuffer.Length)
                        {
                            _digest.AppendData(digestBuffer, 0, digestLength);
                            digestLength = 0;
                        }
                        if (row.Length > digestBuffer.Length) _digest.AppendData(row);
                        else
                        {
                            row.CopyTo(digestBuffer.AsSpan(digestLength));
                            digestLength += row.Length;
                        }
                        batch.Rows.Add(row, key);
                        if (batch.Rows.Count == BatchRows)
                        {
                            await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                            if (_free.TryDequeue(out var reused)) reused.Rows.Clear();
                            batch = reused ?? new Batch();
                        }
                    }
                }
                _digest.AppendData(digestBuffer, 0, digestLength);
                if (batch.Rows.Count > 0) await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
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

        public bool HasCurrent { get; private set; }

        /// <summary>The current row's canonical form; valid until the cursor moves.</summary>
        public ReadOnlySpan<byte> Row => _batch!.Rows.Row(_index - 1);

        public ReadOnlySpan<byte> Key => _batch!.Rows.Key(_index - 1);

        public long Count { get; private set; }

        public async ValueTask MoveNextAsync()
        {
            if (_batch is null || _index == _batch.Rows.Count)
            {
                // The merge has copied what it needs of the current row, so the batch can be reused.
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
            _index++;
            HasCurrent = true;
            Count++;
        }

        /// <summary>
        /// Moves past every row with the current key; returns how many there were. When there were several,
        /// <see cref="DuplicateRow"/> holds a copy of one of them (for the report's key).
        /// </summary>
        public async ValueTask<int> SkipGroupAsync()
        {
            DuplicateRow = null;
            var keyLength = Key.Length;
            if (keyLength > _groupKey.Length) _groupKey = new byte[keyLength * 2];
            Key.CopyTo(_groupKey);
            var n = 1;
            await MoveNextAsync().ConfigureAwait(false);
            while (HasCurrent && Key.SequenceEqual(_groupKey.AsSpan(0, keyLength)))
            {
                DuplicateRow ??= Row.ToArray();
                n++;
                await MoveNextAsync().ConfigureAwait(false);
            }
            return n;
        }

        public byte[]? DuplicateRow { get; private set; }

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
/// The source side of one entity, collected while the mapping streams by: its rows are kept in canonical form,
/// sorted by key with bounded memory (spilled in sorted runs), and its control totals taken, so the mapped records
/// need not be kept for the reconciliation. Spill files hold personal data and are deleted on dispose.
/// </summary>
public sealed class SourceSide : IAsyncDisposable
{
    internal SourceSide(SpecEntity entity, ExternalRowSorter sorter)
    {
        Entity = entity;
        Sorter = sorter;
    }

    public SpecEntity Entity { get; }

    internal ExternalRowSorter Sorter { get; }

    /// <summary>The totals the sorter adds every row to.</summary>
    internal ControlTotalAccumulator Totals => Sorter.Totals!;

    /// <summary>Rows added.</summary>
    public long Count => Sorter.Count;

    public void Add(IStandardRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!ReferenceEquals(record.Entity, Entity) && record.Entity.Name != Entity.Name)
            throw new ArgumentException($"a {record.Entity.Name} record cannot join the source side of {Entity.Name}", nameof(record));
        if (!_pending.Remove(record, out var at))
        {
            Sorter.Add(record); // and to the totals
            return;
        }
        // A second record with the same key hash (a duplicate key, or a hash collision) makes the location unknown, never wrong.
        var hash = Sorter.AddHashingKey(record);
        _locations[hash] = _locations.ContainsKey(hash) || at.RecordNumber > int.MaxValue
            ? CompactLocation.Ambiguous
            : new CompactLocation(FileIndex(at.File), (int)at.RecordNumber, at.ByteOffset);
    }

    int FileIndex(string file)
    {
        // Records of one file come in a row: the last file is checked first.
        if (_files.Count > 0 && ReferenceEquals(_files[^1], file)) return _files.Count - 1;
        var i = _files.IndexOf(file);
        if (i >= 0) return i;
        _files.Add(file);
        return _files.Count - 1;
    }

    /// <summary>A location in 16 bytes (file as an index into the side's file names), so the index costs little per record.</summary>
    readonly record struct CompactLocation(int File, int RecordNumber, long ByteOffset)
    {
        public static readonly CompactLocation Ambiguous = new(-1, 0, 0);
    }

    readonly List<string> _files = [];

    /// <summary>
    /// Tells where a record about to be <see cref="Add(IStandardRecord)">added</see> came from in the legacy data, so a
    /// discrepancy of its key can name the file, record and offset. Kept until the record is added.
    /// </summary>
    public void Locate(IStandardRecord record, SourceLocation location) => _pending[record] = location;

    readonly Dictionary<IStandardRecord, SourceLocation> _pending = new(ReferenceEqualityComparer.Instance);

    // Key hash → location (Ambiguous: more than one record had the hash). One entry (about 32 bytes) per located record.
    readonly Dictionary<ulong, CompactLocation> _locations = [];

    /// <summary>The source location of the record with this canonical key, when it was located and is unambiguous.</summary>
    internal SourceLocation? LocationOf(ReadOnlySpan<byte> key) =>
        _locations.Count > 0 && _locations.TryGetValue(ExternalRowSorter.KeyHash(key), out var at) && at.File >= 0
            ? new SourceLocation(_files[at.File], at.RecordNumber, at.ByteOffset)
            : null;

    public void Add(object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != Entity.Items.Count)
            throw new ArgumentException($"a row of {Entity.Name} has {Entity.Items.Count} values, not {row.Length}", nameof(row));
        Sorter.Add(row); // and to the totals
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
