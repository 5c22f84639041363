using System.Runtime.CompilerServices;
using System.Security.Cryptography;
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

    /// <summary>Rows per in-memory chunk when an unsorted side is sorted; larger inputs spill to disk.</summary>
    public int SortChunkRows { get; init; } = 200_000;

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

    /// <summary>
    /// Reconciles two row streams of one entity (values in spec item order with the generated CLR types).
    /// A side marked sorted is checked for key order as it is read; a violation makes the result an error.
    /// Any failure other than cancellation becomes <see cref="EntityReconciliation.Error"/>, never an exception.
    /// </summary>
    public async Task<EntityReconciliation> ReconcileEntityAsync(SpecEntity entity, IAsyncEnumerable<object?[]> source, bool sourceSorted,
        IAsyncEnumerable<object?[]> target, bool targetSorted = true, SourceCounts? counts = null, CancellationToken cancellationToken = default)
    {
        var defs = Options.ControlTotals(entity);
        var sourceTotals = new ControlTotalAccumulator(entity, defs);
        var targetTotals = new ControlTotalAccumulator(entity, defs);
        var merge = new Merge(this, entity);
        await using var sourceSorter = sourceSorted ? null : new ExternalRowSorter(entity, Options.SortChunkRows, Options.TempDirectory);
        await using var targetSorter = targetSorted ? null : new ExternalRowSorter(entity, Options.SortChunkRows, Options.TempDirectory);
        try
        {
            var s = await Prepare(source, sourceSorter, sourceTotals, cancellationToken).ConfigureAwait(false);
            var t = await Prepare(target, targetSorter, targetTotals, cancellationToken).ConfigureAwait(false);
            // A sorted side's totals are taken as it streams; an unsorted side's were taken while sorting.
            await merge.RunAsync(s, t, sourceSorted ? sourceTotals : null, targetSorted ? targetTotals : null, cancellationToken).ConfigureAwait(false);
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

    // An unsorted side is drained into the sorter first (its totals are taken then); a sorted side streams.
    static async Task<IAsyncEnumerable<object?[]>> Prepare(IAsyncEnumerable<object?[]> rows, ExternalRowSorter? sorter, ControlTotalAccumulator totals,
        CancellationToken cancellationToken)
    {
        if (sorter is null) return rows;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            totals.Add(row);
            sorter.Add(row);
        }
        return sorter.SortedAsync(cancellationToken);
    }

    sealed class Merge(Reconciler owner, SpecEntity entity)
    {
        readonly RowKeyComparer _comparer = new(entity);
        readonly List<Discrepancy> _details = [];
        readonly ToleranceRule?[] _tolerances = entity.Items.Select(i => owner.Options.Tolerances.LastOrDefault(t => t.AppliesTo(entity, i))).ToArray();
        readonly byte[] _groupHash = new byte[32];
        long _matched, _withinTolerance, _missing, _unexpected, _duplicates, _mismatches;
        bool _truncated;
        Cursor? _s, _t;

        public async Task RunAsync(IAsyncEnumerable<object?[]> source, IAsyncEnumerable<object?[]> target,
            ControlTotalAccumulator? sourceStreamTotals, ControlTotalAccumulator? targetStreamTotals, CancellationToken cancellationToken)
        {
            await using var se = source.GetAsyncEnumerator(cancellationToken);
            await using var te = target.GetAsyncEnumerator(cancellationToken);
            var s = _s = new Cursor(se, _comparer, sourceStreamTotals, "source");
            var t = _t = new Cursor(te, _comparer, targetStreamTotals, "target");
            await s.MoveNextAsync().ConfigureAwait(false);
            await t.MoveNextAsync().ConfigureAwait(false);
            while (s.HasCurrent || t.HasCurrent)
            {
                var c = !s.HasCurrent ? 1 : !t.HasCurrent ? -1 : _comparer.Compare(s.Current, t.Current);
                if (c < 0)
                {
                    var row = s.Current;
                    var n = await s.SkipGroupAsync().ConfigureAwait(false);
                    if (n > 1) Record(DiscrepancyKind.Duplicate, row, n, 0, []);
                    else Record(DiscrepancyKind.MissingInTarget, row, 1, 0, []);
                }
                else if (c > 0)
                {
                    var row = t.Current;
                    var m = await t.SkipGroupAsync().ConfigureAwait(false);
                    if (m > 1) Record(DiscrepancyKind.Duplicate, row, 0, m, []);
                    else Record(DiscrepancyKind.UnexpectedInTarget, row, 0, 1, []);
                }
                else
                {
                    var sourceRow = s.Current;
                    var targetRow = t.Current;
                    s.CurrentHash.CopyTo(_groupHash);
                    var equal = t.CurrentHash.SequenceEqual(_groupHash);
                    var n = await s.SkipGroupAsync().ConfigureAwait(false);
                    var m = await t.SkipGroupAsync().ConfigureAwait(false);
                    if (n > 1 || m > 1) Record(DiscrepancyKind.Duplicate, sourceRow, n, m, []);
                    else if (equal) _matched++;
                    else Compare(sourceRow, targetRow);
                }
            }
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
            SourceDigest = _s?.Digest() ?? "",
            TargetDigest = _t?.Digest() ?? "",
            Error = error,
        };
    }

    readonly ValueRenderer _renderer = renderer;

    /// <summary>One side of the merge: the current row, its hash, order checking and the side's digest.</summary>
    sealed class Cursor(IAsyncEnumerator<object?[]> rows, RowKeyComparer comparer, ControlTotalAccumulator? totals, string side)
    {
        readonly IncrementalHash _digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        readonly byte[] _hash = new byte[32];
        readonly RowHasher _hasher = new();
        object?[]? _previous;

        public object?[] Current { get; private set; } = [];

        public bool HasCurrent { get; private set; }

        public ReadOnlySpan<byte> CurrentHash => _hash;

        public long Count { get; private set; }

        public async ValueTask MoveNextAsync()
        {
            _previous = HasCurrent ? Current : null;
            HasCurrent = await rows.MoveNextAsync().ConfigureAwait(false);
            if (!HasCurrent) return;
            var row = rows.Current;
            if (row.Length != comparer.Entity.Items.Count)
                throw new InvalidDataException(FormattableString.Invariant($"{side} row {Count + 1} has {row.Length} values; {comparer.Entity.Name} has {comparer.Entity.Items.Count} items"));
            if (_previous is not null && comparer.Compare(_previous, row) > 0)
                throw new RowOrderException(FormattableString.Invariant($"{side} rows of {comparer.Entity.Name} are not in key order at row {Count + 1}"));
            Current = row;
            Count++;
            totals?.Add(row);
            _hasher.Hash(row, _hash);
            _digest.AppendData(_hash);
        }

        /// <summary>Moves past every row with the current key; returns how many there were.</summary>
        public async ValueTask<int> SkipGroupAsync()
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

        public string Digest() => Base64Url(_digest.GetHashAndReset());
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
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
