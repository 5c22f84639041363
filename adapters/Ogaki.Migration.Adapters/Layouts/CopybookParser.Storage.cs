// CopybookParser, storage: each item's offset and length from its PICTURE and USAGE, OCCURS and REDEFINES placed,
// and the record size guards.

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    static string? InheritedUsage(Node n)
    {
        for (var p = n; p is not null; p = p.Parent)
            if (p.Usage is not null) return p.Usage;
        return null;
    }

    /// <summary>Computes offsets and lengths; returns the node's total length (all occurrences).</summary>
    static int Measure(Node n, int offset, string source)
    {
        n.Offset = offset;
        if (n.Pic is not null)
        {
            var pi = ParsePicture(n.Pic, source, n.Line);
            var usage = InheritedUsage(n) ?? "DISPLAY";
            var kind = pi.Kind;
            int length;
            switch (usage)
            {
                case "COMP-3":
                    if (kind != FieldKind.Zoned) throw new LayoutException(source, n.Line, $"{n.Name}: COMP-3 needs a numeric PICTURE.");
                    kind = FieldKind.Packed;
                    length = (pi.Digits / 2) + 1;
                    break;
                case "COMP":
                    if (kind != FieldKind.Zoned) throw new LayoutException(source, n.Line, $"{n.Name}: COMP/BINARY needs a numeric PICTURE.");
                    if (pi.Digits > 18) throw new LayoutException(source, n.Line, $"{n.Name}: binary items hold at most 18 digits.");
                    kind = FieldKind.Binary;
                    length = pi.Digits <= 4 ? 2 : pi.Digits <= 9 ? 4 : 8;
                    break;
                case "NATIONAL":
                    if (kind != FieldKind.National) throw new LayoutException(source, n.Line, $"{n.Name}: USAGE NATIONAL/DISPLAY-1 needs PICTURE N or G.");
                    length = pi.Chars * 2;
                    break;
                default:
                    length = kind == FieldKind.National ? pi.Chars * 2 : pi.Chars + (n.SignSeparate && kind == FieldKind.Zoned ? 1 : 0);
                    break;
            }
            n.Length = length;
            n.Def = Def(n, offset, length, kind, pi);
            return Occupied(n, source);
        }
        if (n.Children.Count == 0) throw new LayoutException(source, n.Line, $"{n.Name} has neither a PICTURE nor subordinate items.");
        var cur = offset;
        var end = offset;
        var seen = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var c in n.Children)
        {
            int size;
            if (c.Redefines is not null)
            {
                if (!seen.TryGetValue(c.Redefines, out var target))
                    throw new LayoutException(source, c.Line, $"{c.Name} REDEFINES {c.Redefines}, which is not an earlier item at the same level.");
                size = Measure(c, target.Offset, source);
                end = Math.Max(end, target.Offset + size);
            }
            else
            {
                size = Measure(c, cur, source);
                LayoutLimits.Check((long)cur + size, source, c.Line, $"{n.Name} up to {c.Name}");
                cur += size;
                end = Math.Max(end, cur);
            }
            if (!c.Filler) seen[c.Name] = c;
            else seen.TryAdd(c.Name, c);
        }
        n.Length = end - offset;
        n.Def = Def(n, offset, n.Length, FieldKind.Group, null);
        return Occupied(n, source);
    }

    /// <summary>An item's definition at <paramref name="offset"/>; <paramref name="pi"/> is its PICTURE, null for a group.</summary>
    static FieldDef Def(Node n, int offset, int length, FieldKind kind, PicInfo? pi) => new()
    {
        Name = n.Name,
        Level = n.Level,
        Offset = offset,
        Length = length,
        Kind = kind,
        Digits = pi?.Digits ?? 0,
        Scale = pi?.Scale ?? 0,
        Signed = pi?.Signed ?? false,
        SignLeading = pi is not null && n.SignLeading,
        SignSeparate = pi is not null && n.SignSeparate && kind == FieldKind.Zoned,
        Occurs = n.Occurs,
        MinOccurs = n.MinOccurs,
        DependingOn = n.DependingOn,
        Redefines = n.Redefines,
        Picture = n.Pic ?? "",
        Conditions = n.Conditions.ToList(),
        LineNumber = n.Line,
    };

    /// <summary>The bytes an item takes with all its occurrences (<see cref="Node.Length"/> set); over the record limit it throws.</summary>
    static int Occupied(Node n, string source)
    {
        LayoutLimits.Check((long)n.Length * n.Occurs, source, n.Line, n.Occurs > 1 ? $"{n.Name} OCCURS {n.Occurs}" : n.Name);
        return n.Length * n.Occurs;
    }
}
