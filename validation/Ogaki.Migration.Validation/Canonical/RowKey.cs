using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

/// <summary>
/// Orders rows by their entity key, value by value: strings ordinal, numbers numerically, 年月 and dates
/// chronologically, null first. The target reads back in this order (ordinal collation); the source is sorted
/// into it.
/// </summary>
public sealed class RowKeyComparer : IComparer<object?[]>
{
    readonly int[] _ordinals;

    public RowKeyComparer(SpecEntity entity)
    {
        Entity = entity;
        _ordinals = KeyOrdinals(entity);
    }

    public SpecEntity Entity { get; }

    /// <summary>The ordinals of the entity's key items, in key order.</summary>
    public IReadOnlyList<int> Ordinals => _ordinals;

    public static int[] KeyOrdinals(SpecEntity entity) => entity.Key
        .Select(k => entity.Find(k)?.Ordinal ?? throw new ArgumentException($"key item {k} is not an item of {entity.Name}", nameof(entity)))
        .ToArray();

    public int Compare(object?[]? x, object?[]? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        foreach (var o in _ordinals)
        {
            var c = CompareValues(x[o], y[o]);
            if (c != 0) return c;
        }
        return 0;
    }

    public static int CompareValues(object? a, object? b)
    {
        if (a is null) return b is null ? 0 : -1;
        if (b is null) return 1;
        return (a, b) switch
        {
            (string s, string t) => string.CompareOrdinal(s, t),
            (int i, int j) => i.CompareTo(j),
            (YearMonth p, YearMonth q) => p.CompareTo(q),
            (DateOnly p, DateOnly q) => p.CompareTo(q),
            (WarekiDate p, WarekiDate q) => p.CompareTo(q),
            (bool p, bool q) => p.CompareTo(q),
            _ when IsNumber(a) && IsNumber(b) => Convert.ToDecimal(a, System.Globalization.CultureInfo.InvariantCulture)
                .CompareTo(Convert.ToDecimal(b, System.Globalization.CultureInfo.InvariantCulture)),
            _ => string.CompareOrdinal(a.GetType().FullName, b.GetType().FullName),
        };
    }

    static bool IsNumber(object o) => o is int or long or decimal or short;
}
