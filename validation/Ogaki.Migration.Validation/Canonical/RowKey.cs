using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Canonical;

/// <summary>
/// Orders rows of standard values by their entity key, exactly as the reconciliation does: by the bytes of their
/// <see cref="CanonicalKey"/> (text in UTF-8 byte order — PostgreSQL's C collation — whole numbers numerically,
/// dates and 年月 chronologically, null last). For tests and callers that hold rows as values.
/// </summary>
public sealed class RowKeyComparer : IComparer<object?[]>
{
    readonly CanonicalKey _key;

    public RowKeyComparer(SpecEntity entity)
    {
        Entity = entity;
        _key = new CanonicalKey(entity);
    }

    public SpecEntity Entity { get; }

    /// <summary>The ordinals of the entity's key items, in key order.</summary>
    public IReadOnlyList<int> Ordinals => _key.Ordinals;

    public static int[] KeyOrdinals(SpecEntity entity) => [.. new CanonicalKey(entity).Ordinals];

    public int Compare(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        return KeyOf(x).AsSpan().SequenceCompareTo(KeyOf(y));
    }

    byte[] KeyOf(object?[] row)
    {
        var batch = new CanonicalRowBatch(256, 1);
        batch.Add(row, _key);
        return batch.Key(0).ToArray();
    }
}
