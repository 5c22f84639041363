using System.Globalization;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// Reads one layout path from legacy records without a name search per record: the path is resolved to
/// field indexes on the first record of a shape and re-checked by name on every access (a record of another
/// shape is resolved again). A segment that is not a direct child is searched in nested groups, so a field
/// inside a REDEFINES branch group (<c>ZM-DETAIL.ZM-ATENA-NO</c>) can be written as its leaf name.
/// </summary>
public sealed class FieldAccessor
{
    readonly Segment[] _segments;
    Step[]? _steps;
    // A plain top-level path (no index, no occurrence) resolved for one shape: one reference compare and one read.
    PlainTopLevel? _plain;

    sealed record PlainTopLevel(object Shape, int Index);

    readonly record struct Segment(string Name, int Index); // Index: 0 none, n (1-based), -1 = (*)

    readonly record struct Step(int FieldIndex, string Name, int ListIndex); // ListIndex: 0 none, n, -1 = occurrence

    public FieldAccessor(string path)
    {
        Path = path;
        var parts = path.Split('.');
        _segments = new Segment[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            var index = 0;
            var paren = p.IndexOf('(', StringComparison.Ordinal);
            if (paren > 0 && p[^1] == ')')
            {
                var inner = p[(paren + 1)..^1];
                index = inner == "*" ? -1 : int.Parse(inner, NumberStyles.None, CultureInfo.InvariantCulture);
                p = p[..paren];
            }
            _segments[i] = new Segment(p, index);
        }
        HasOccurrence = _segments.Any(s => s.Index == -1);
    }

    public string Path { get; }

    /// <summary>True when the path has a <c>(*)</c> segment.</summary>
    public bool HasOccurrence { get; }

    /// <summary>The value at the path; <paramref name="occurrence"/> (1-based) fills the <c>(*)</c> segment.</summary>
    public object? Get(LegacyRecord record, int occurrence = 0)
    {
        var root = record.Fields;
        var plain = _plain;
        if (plain is not null && ReferenceEquals(root.Shape, plain.Shape)) return root.ValueAt(plain.Index);
        return TryGet(root, occurrence, out var v) ? v : null;
    }

    /// <summary>True when the record has the path (the value may be null).</summary>
    public bool Exists(LegacyRecord record) => TryGet(record.Fields, 1, out _);

    /// <summary>Number of occurrences of the <c>(*)</c> segment in this record (0 when absent).</summary>
    public int CountOccurrences(LegacyRecord record)
    {
        var steps = _steps;
        if (steps is null || Read(record.Fields, steps, 1, out _) == Shape.Mismatch)
        {
            steps = Resolve(record.Fields);
            if (steps is null) return 0;
            _steps = steps;
        }
        object? cur = record.Fields;
        foreach (var s in steps)
        {
            if (cur is not LegacyGroup g || s.FieldIndex >= g.Count) return 0;
            cur = g.ValueAt(s.FieldIndex);
            if (s.ListIndex == -1) return cur is IReadOnlyList<object?> l ? l.Count : 0;
            if (s.ListIndex > 0) cur = cur is IReadOnlyList<object?> l2 && s.ListIndex <= l2.Count ? l2[s.ListIndex - 1] : null;
        }
        return 0;
    }

    bool TryGet(LegacyGroup root, int occurrence, out object? value)
    {
        // One pass checks the cached steps against this record's names and reads the value; a record of
        // another shape is resolved again (names are shared strings, so the check is a reference compare).
        var steps = _steps;
        if (steps is { Length: 1 })
        {
            // Most paths name a top-level field: one name check (layout names are shared strings, so a reference
            // compare decides it) and one read, without the general walk.
            var s = steps[0];
            if (s.FieldIndex < root.Count && SameName(root.NameAt(s.FieldIndex), s.Name))
            {
                value = root.ValueAt(s.FieldIndex);
                var li = s.ListIndex == -1 ? occurrence : s.ListIndex;
                if (li <= 0) return true;
                if (value is IReadOnlyList<object?> list && li <= list.Count)
                {
                    value = list[li - 1];
                    return true;
                }
                value = null;
                return false;
            }
        }
        else if (steps is not null)
        {
            var found = Read(root, steps, occurrence, out value);
            if (found != Shape.Mismatch) return found == Shape.Found;
        }
        steps = Resolve(root);
        if (steps is null)
        {
            value = null;
            return false;
        }
        _steps = steps; // benign race: every thread computes the same steps for the same shape
        if (steps is [{ ListIndex: 0 } only]) _plain = new PlainTopLevel(root.Shape, only.FieldIndex);
        return Read(root, steps, occurrence, out value) == Shape.Found;
    }

    enum Shape { Found, Absent, Mismatch }

    static bool SameName(string a, string b) => ReferenceEquals(a, b) || string.Equals(a, b, StringComparison.Ordinal);

    static Shape Read(LegacyGroup root, Step[] steps, int occurrence, out object? value)
    {
        value = null;
        object? cur = root;
        foreach (var s in steps)
        {
            if (cur is not LegacyGroup g || s.FieldIndex >= g.Count || !SameName(g.NameAt(s.FieldIndex), s.Name)) return Shape.Mismatch;
            cur = g.ValueAt(s.FieldIndex);
            var li = s.ListIndex == -1 ? occurrence : s.ListIndex;
            if (li > 0)
            {
                if (cur is not IReadOnlyList<object?> list || li > list.Count) return Shape.Absent;
                cur = list[li - 1];
            }
        }
        value = cur;
        return Shape.Found;
    }

    Step[]? Resolve(LegacyGroup root)
    {
        var steps = new List<Step>();
        object? cur = root;
        foreach (var seg in _segments)
        {
            if (cur is not LegacyGroup g || !Find(g, seg, steps)) return null;
            cur = Walk(root, steps);
        }
        return [.. steps];
    }

    static object? Walk(LegacyGroup root, List<Step> steps)
    {
        object? cur = root;
        foreach (var s in steps)
        {
            cur = ((LegacyGroup)cur!).ValueAt(s.FieldIndex);
            if (s.ListIndex != 0) cur = cur is IReadOnlyList<object?> l && l.Count > 0 ? l[0] : null;
        }
        return cur;
    }

    // Direct child first, then depth-first into nested groups (REDEFINES branches, group items).
    static bool Find(LegacyGroup g, Segment seg, List<Step> steps)
    {
        for (var i = 0; i < g.Count; i++)
        {
            if (!string.Equals(g.NameAt(i), seg.Name, StringComparison.Ordinal)) continue;
            steps.Add(new Step(i, g.NameAt(i), seg.Index));
            return true;
        }
        for (var i = 0; i < g.Count; i++)
        {
            var v = g.ValueAt(i);
            if (v is IReadOnlyList<object?> l && l.Count > 0) v = l[0];
            if (v is not LegacyGroup child) continue;
            steps.Add(new Step(i, g.NameAt(i), g.ValueAt(i) is IReadOnlyList<object?> ? 1 : 0));
            if (Find(child, seg, steps)) return true;
            steps.RemoveAt(steps.Count - 1);
        }
        return false;
    }
}
