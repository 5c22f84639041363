// Reconciler.Merge: the sorted streaming merge of one entity's two sides, the field-level compare with tolerances,
// the discrepancy counts and details, and the entity's result.

using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Reconciliation;

public sealed partial class Reconciler
{
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

        // Asked in ascending key order (the source cursor's), as the side's location index is read.
        async ValueTask<SourceLocation?> LocateAsync(byte[] key) => SourceSide is null ? null : await SourceSide.LocationOfAsync(key).ConfigureAwait(false);

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
                    var at = await LocateAsync(s.Key.ToArray()).ConfigureAwait(false);
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
                    var at = equal ? null : await LocateAsync(s.Key.ToArray()).ConfigureAwait(false);
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
}
