using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Spec;

/// <summary>What kind of difference between two spec versions.</summary>
public enum SpecChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>One difference: what (entity, item or code value), its key, and for changes the field, old and new value.</summary>
public sealed record SpecChange(SpecChangeKind Kind, string Subject, string Key, string Description, string? Field = null, string? OldValue = null, string? NewValue = null);

/// <summary>Compares two spec versions item by item (by item id) and code value by code value.</summary>
public static class SpecDiff
{
    public static IReadOnlyList<SpecChange> Compare(SpecCatalog from, SpecCatalog to)
    {
        var changes = new List<SpecChange>();
        foreach (var e in to.Entities.Where(e => from.FindEntity(e.Name) is null))
            changes.Add(new(SpecChangeKind.Added, "entity", e.Name, $"{e.NameJa} ({e.Items.Count} items)"));
        foreach (var e in from.Entities.Where(e => to.FindEntity(e.Name) is null))
            changes.Add(new(SpecChangeKind.Removed, "entity", e.Name, e.NameJa));

        var oldItems = from.Entities.SelectMany(e => e.Items).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        var newItems = to.Entities.SelectMany(e => e.Items).ToDictionary(i => i.ItemId, StringComparer.Ordinal);
        foreach (var i in newItems.Values.Where(i => !oldItems.ContainsKey(i.ItemId)).OrderBy(i => i.ItemId, StringComparer.Ordinal))
            changes.Add(new(SpecChangeKind.Added, "item", i.ItemId, $"{i.Entity}.{i.Identifier} {i.NameJa} ({Describe(i)})"));
        foreach (var i in oldItems.Values.Where(i => !newItems.ContainsKey(i.ItemId)).OrderBy(i => i.ItemId, StringComparer.Ordinal))
            changes.Add(new(SpecChangeKind.Removed, "item", i.ItemId, $"{i.Entity}.{i.Identifier} {i.NameJa}"));
        foreach (var (id, o) in oldItems.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!newItems.TryGetValue(id, out var n)) continue;
            void Field(string name, string a, string b)
            {
                if (!string.Equals(a, b, StringComparison.Ordinal))
                    changes.Add(new(SpecChangeKind.Changed, "item", id, $"{n.Entity}.{n.Identifier} {n.NameJa}", name, a, b));
            }
            Field("entity", o.Entity, n.Entity);
            Field("name_ja", o.NameJa, n.NameJa);
            Field("identifier", o.Identifier, n.Identifier);
            Field("type", o.Type.ToString(), n.Type.ToString());
            Field("length", o.Length.ToString(CultureInfo.InvariantCulture), n.Length.ToString(CultureInfo.InvariantCulture));
            Field("required", o.Required.ToString(), n.Required.ToString());
            Field("code_table", o.CodeTable ?? "", n.CodeTable ?? "");
            Field("status", o.Status.ToString(), n.Status.ToString());
            // The official columns: an API/file field renamed or a データ型 changed matters to every receiving system.
            if (o.Official is { } oo && n.Official is { } no)
            {
                Field("データ型", oo.DataType, no.DataType);
                if (o.Length == n.Length) Field("桁数", oo.Digits, no.Digits); // a length change is listed above; this adds 9V's scale
                Field("ローマ字", oo.FieldName, no.FieldName);
                Field("主キー", oo.PrimaryKey ? "○" : "", no.PrimaryKey ? "○" : "");
                Field("外部キー", oo.ForeignKey ? "○" : "", no.ForeignKey ? "○" : "");
                Field("条件付き必須の条件", oo.Condition, no.Condition);
            }
        }

        foreach (var t in to.CodeTables.Where(t => from.FindCodeTable(t.TableId) is null))
            changes.Add(new(SpecChangeKind.Added, "code table", t.TableId, $"{t.NameJa} ({t.Values.Count} values, {t.Status})"));
        foreach (var t in from.CodeTables.Where(t => to.FindCodeTable(t.TableId) is null))
            changes.Add(new(SpecChangeKind.Removed, "code table", t.TableId, t.NameJa));
        foreach (var o in from.CodeTables)
        {
            var n = to.FindCodeTable(o.TableId);
            if (n is null) continue;
            if (o.Status != n.Status)
                changes.Add(new(SpecChangeKind.Changed, "code table", o.TableId, o.NameJa, "status", o.Status.ToString(), n.Status.ToString()));
            foreach (var v in n.Values.Where(v => !o.Contains(v.Code)))
                changes.Add(new(SpecChangeKind.Added, "code", $"{o.TableId}:{v.Code}", $"{v.NameJa} ({v.Status})"));
            foreach (var v in o.Values.Where(v => !n.Contains(v.Code)))
                changes.Add(new(SpecChangeKind.Removed, "code", $"{o.TableId}:{v.Code}", v.NameJa));
            foreach (var v in o.Values)
            {
                var nn = n.NameOf(v.Code);
                if (nn is not null && !string.Equals(nn, v.NameJa, StringComparison.Ordinal))
                    changes.Add(new(SpecChangeKind.Changed, "code", $"{o.TableId}:{v.Code}", v.NameJa, "name_ja", v.NameJa, nn));
            }
        }
        return changes;
    }

    /// <summary>A plain-text listing, one change a line, grouped as added, removed, changed.</summary>
    public static string Format(SpecCatalog from, SpecCatalog to, IReadOnlyList<SpecChange> changes)
    {
        var sb = new StringBuilder();
        sb.Append("spec diff ").Append(from.Version).Append(" → ").Append(to.Version).Append(": ")
          .Append(changes.Count.ToString(CultureInfo.InvariantCulture)).Append(" change(s)\n");
        foreach (var c in changes)
        {
            var mark = c.Kind switch { SpecChangeKind.Added => '+', SpecChangeKind.Removed => '-', _ => '~' };
            sb.Append(mark).Append(' ').Append(c.Subject).Append(' ').Append(c.Key).Append(": ").Append(c.Description);
            if (c.Field is not null) sb.Append(" — ").Append(c.Field).Append(' ').Append(c.OldValue).Append(" → ").Append(c.NewValue);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    static string Describe(SpecItem i) =>
        $"{i.Type}, {i.Length.ToString(CultureInfo.InvariantCulture)}, {i.Required}" + (i.CodeTable is null ? "" : ", " + i.CodeTable);
}
