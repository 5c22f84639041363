namespace Ogaki.Migration.Adapters.Sdk;

/// <summary>
/// One typed legacy record as an adapter streams it. Values are in layout order and keep the layout's
/// field names: <see cref="string"/> (decoded Unicode, padding kept as the adapter's layout says),
/// <see cref="decimal"/> (zoned, packed, binary — exact), <see cref="LegacyGroup"/> for group items and
/// <see cref="IReadOnlyList{T}"/> of values for OCCURS, or null for a database NULL.
/// </summary>
public sealed class LegacyRecord(SourceLocation location, string recordType, LegacyGroup fields)
{
    /// <summary>Where the record is in its source.</summary>
    public SourceLocation Location { get; } = location;

    /// <summary>The record type (layout record name, e.g. the REDEFINES branch); empty for single-type sources.</summary>
    public string RecordType { get; } = recordType;

    /// <summary>The record's fields in layout order.</summary>
    public LegacyGroup Fields { get; } = fields;

    /// <summary>The value at a path such as <c>R-SHIMEI</c>, <c>R-JUSHO.R-BANCHI</c> or <c>T-GETSUWARI(3)</c> (1-based), or null.</summary>
    public object? Get(string path) => Fields.Get(path);

    /// <summary>True when the path names a field of this record (its value may still be null).</summary>
    public bool Has(string path) => Fields.Has(path);
}

/// <summary>Named values in layout order (a record or a group item).</summary>
public sealed class LegacyGroup
{
    readonly string[] _names;
    readonly object?[] _values;

    public LegacyGroup(string[] names, object?[] values)
    {
        if (names.Length != values.Length) throw new ArgumentException("names and values differ in length");
        _names = names;
        _values = values;
    }

    public int Count => _names.Length;

    /// <summary>
    /// Identifies the layout: groups with the same <see cref="Shape"/> have the same names in the same order (an
    /// adapter shares one names array per layout), so a reader may resolve a name to an index once per shape.
    /// </summary>
    public object Shape => _names;

    public string NameAt(int index) => _names[index];

    public object? ValueAt(int index) => _values[index];

    public IEnumerable<KeyValuePair<string, object?>> Pairs()
    {
        for (var i = 0; i < _names.Length; i++) yield return new(_names[i], _values[i]);
    }

    public object? Get(string path) => TryResolve(path, out var v) ? v : null;

    public bool Has(string path) => TryResolve(path, out _);

    bool TryResolve(ReadOnlySpan<char> path, out object? value)
    {
        value = null;
        var dot = path.IndexOf('.');
        var head = dot < 0 ? path : path[..dot];
        var index = -1;
        var paren = head.IndexOf('(');
        if (paren > 0 && head[^1] == ')')
        {
            if (!int.TryParse(head[(paren + 1)..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)) return false;
            head = head[..paren];
        }
        for (var i = 0; i < _names.Length; i++)
        {
            if (!head.SequenceEqual(_names[i])) continue;
            var v = _values[i];
            if (index > 0)
            {
                if (v is not IReadOnlyList<object?> list || index > list.Count) return false;
                v = list[index - 1];
            }
            if (dot < 0)
            {
                value = v;
                return true;
            }
            return v is LegacyGroup g && g.TryResolve(path[(dot + 1)..], out value);
        }
        return false;
    }
}
