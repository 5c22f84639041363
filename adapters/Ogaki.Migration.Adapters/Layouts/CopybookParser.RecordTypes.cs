// CopybookParser, record types: the @RECORD variants and their selector values, the DEPENDING ON counts, and each
// record type's view of the fields (FILLER dropped, one member of each REDEFINES set).

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    static FileLayout Assemble(List<Node> roots, LayoutDirectives d, string source, string name)
    {
        // Top-level REDEFINES between 01 records is the same as several record types.
        var all = new List<Node>();
        void Walk(Node n)
        {
            all.Add(n);
            foreach (var c in n.Children) Walk(c);
        }
        foreach (var r in roots) Walk(r);
        Node Lookup(string variant, int line)
        {
            var hits = all.Where(n => string.Equals(n.Name, variant, StringComparison.OrdinalIgnoreCase)).ToList();
            return hits.Count switch
            {
                0 => throw new LayoutException(source, line, $"@RECORD names '{variant}', which is not a data item of the copybook."),
                > 1 => throw new LayoutException(source, line, $"@RECORD names '{variant}', which is ambiguous ({hits.Count} items)."),
                _ => hits[0],
            };
        }

        var variants = new List<(Node Node, LayoutDirectives.RecordDirective? Dir)>();
        if (d.Records.Count > 0)
        {
            foreach (var rd in d.Records)
            {
                var node = Lookup(rd.Variant, rd.Line);
                if (node.Level != 1 && node.Redefines is null && !node.Parent!.Children.Any(s => s.Redefines == node.Name))
                    throw new LayoutException(source, rd.Line, $"@RECORD {rd.Variant}: only a level-01 record or an item taking part in a REDEFINES can be a record type.");
                variants.Add((node, rd));
            }
        }
        else
        {
            foreach (var r in roots) variants.Add((r, null));
        }
        if (variants.Count > 1 && d.Selector is null)
            throw new LayoutException(source, roots[1].Line, "Several record types: declare the record-type field with '*@SELECTOR <field>' (and '*@RECORD <name> VALUE <value>' per type).");

        foreach (var n in all.Where(n => n.DependingOn is not null))
        {
            for (var a = n.Parent; a is not null; a = a.Parent)
                if (a.Occurs > 1 || a.DependingOn is not null)
                    throw new LayoutException(source, n.Line, $"{n.Name} OCCURS … DEPENDING ON inside the table {a.Name} (a table with variable-length elements) is not supported.");
            for (var a = n; a is not null; a = a.Parent)
                if (a.Redefines is not null || (a.Parent?.Children.Any(c => string.Equals(c.Redefines, a.Name, StringComparison.Ordinal)) ?? false))
                    throw new LayoutException(source, n.Line, $"{n.Name} OCCURS … DEPENDING ON is inside {a.Name}, which takes part in a REDEFINES; IBM COBOL allows neither the redefined nor the redefining item to contain one (use separate 01 records).");
        }

        var records = new List<RecordLayout>();
        foreach (var (vnode, dir) in variants)
        {
            var root = vnode;
            while (root.Parent is not null) root = root.Parent;
            var fields = Project(root.Children, vnode, 0);
            var values = new List<string>();
            if (dir is not null) values.AddRange(dir.Values);
            if (dir?.When is { } when)
            {
                var cond = all.SelectMany(n => n.Conditions).Where(c => string.Equals(c.Key, when, StringComparison.OrdinalIgnoreCase)).ToList();
                if (cond.Count == 0) throw new LayoutException(source, dir.Line, $"@RECORD {dir.Variant} WHEN {when}: no level-88 condition of that name.");
                values.AddRange(cond[0].Value);
            }
            if (values.Count == 0 && d.Selector is not null)
            {
                // Convention: the selector field's own VALUE clause inside this record.
                var sel = FindNode(root, d.Selector);
                if (sel?.Value is { } v) values.Add(v);
            }
            if (variants.Count > 1 && values.Count == 0)
                throw new LayoutException(source, dir?.Line ?? vnode.Line, $"Record type {vnode.Name} has no selector value: add VALUE or WHEN to its @RECORD directive, or a VALUE clause on the selector field.");
            records.Add(LayoutFinisher.Record(vnode.Name, root.Length * root.Occurs, fields, dir, values, VariableTables(fields, vnode.Name, source)));
        }
        return LayoutFinisher.Finish(name, source, records, d);
    }

    /// <summary>
    /// Resolves the DEPENDING ON count fields of a record type, with IBM's rules: the count is an integer item, not in
    /// a table, and at a fixed position — before the first variable table (it cannot follow one, nor lie inside one).
    /// </summary>
    static List<VariableTable> VariableTables(List<FieldDef> fields, string recordName, string source)
    {
        var tables = new List<(FieldDef Def, string Path)>();
        var leaves = new List<(FieldDef Def, string Path, bool InTable)>();
        void Walk(IReadOnlyList<FieldDef> fs, string prefix, bool inTable)
        {
            foreach (var f in fs)
            {
                var path = prefix + f.Name;
                if (f.DependingOn is not null) tables.Add((f, path));
                if (f.Kind == FieldKind.Group) Walk(f.Children, path + ".", inTable || f.Occurs > 1 || f.DependingOn is not null);
                else leaves.Add((f, path, inTable || f.Occurs > 1 || f.DependingOn is not null));
            }
        }
        Walk(fields, "", false);
        var result = new List<VariableTable>();
        if (tables.Count == 0) return result;
        var firstTable = tables.Min(t => t.Def.Offset);
        foreach (var (table, path) in tables.OrderBy(t => t.Def.Offset))
        {
            var name = table.DependingOn!;
            var hits = leaves.Where(l => string.Equals(l.Def.Name, name, StringComparison.Ordinal) || l.Path.EndsWith("." + name, StringComparison.Ordinal) || string.Equals(l.Path, name, StringComparison.Ordinal)).ToList();
            var where = $"{table.Name} OCCURS … DEPENDING ON {name} (record type {recordName})";
            if (hits.Count == 0) throw new LayoutException(source, table.LineNumber, $"{where}: no such elementary item in the record.");
            if (hits.Count > 1) throw new LayoutException(source, table.LineNumber, $"{where}: the name is ambiguous ({string.Join(", ", hits.Select(h => h.Path))}); qualify it.");
            var (count, countPath, inTable) = hits[0];
            if (!count.IsNumeric || count.Scale != 0)
                throw new LayoutException(source, table.LineNumber, $"{where}: the count must be an integer item (PIC 9/S9 without V, DISPLAY, COMP or COMP-3).");
            if (inTable)
                throw new LayoutException(source, table.LineNumber, $"{where}: the count cannot be inside a table.");
            if (count.Offset + count.Length > firstTable)
                throw new LayoutException(source, table.LineNumber, $"{where}: the count must lie before the first OCCURS … DEPENDING ON table, at a fixed position (IBM: it cannot be variably located).");
            result.Add(new VariableTable(table, path, count, countPath));
        }
        return result;
    }

    static Node? FindNode(Node root, string path)
    {
        var name = path.Contains('.', StringComparison.Ordinal) ? path[(path.LastIndexOf('.') + 1)..] : path;
        if (string.Equals(root.Name, name, StringComparison.OrdinalIgnoreCase)) return root;
        foreach (var c in root.Children)
        {
            var hit = FindNode(c, path);
            if (hit is not null) return hit;
        }
        return null;
    }

    static bool IsOrContains(Node n, Node target)
    {
        for (var p = target; p is not null; p = p.Parent)
            if (ReferenceEquals(p, n)) return true;
        return false;
    }

    /// <summary>The record-type view: FILLER dropped, one member of each REDEFINES set (the one holding the variant, else the first).</summary>
    static List<FieldDef> Project(List<Node> children, Node variant, int depth)
    {
        var result = new List<FieldDef>();
        for (var i = 0; i < children.Count; i++)
        {
            var c = children[i];
            if (c.Redefines is not null) continue; // members are handled with the item they redefine
            var members = new List<Node> { c };
            for (var j = i + 1; j < children.Count; j++)
                if (children[j].Redefines is { } r && members.Any(m => string.Equals(m.Name, r, StringComparison.Ordinal))) members.Add(children[j]);
            var chosen = members.FirstOrDefault(m => IsOrContains(m, variant)) ?? c;
            if (chosen.Filler) continue;
            var def = chosen.Def!;
            result.Add(def.Kind == FieldKind.Group ? def.CloneShallow(Project(chosen.Children, variant, depth + 1)) : def);
        }
        return result;
    }
}
