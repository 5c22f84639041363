// CopybookParser, the item tree: entries (level number, name, clauses) nested by level into 01 records.

using System.Globalization;

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    internal sealed class Node
    {
        public int Level;
        public string Name = "FILLER";
        public bool Filler;
        public int Line;
        public string? Pic;
        public string? Usage;
        public int Occurs = 1;
        public int MinOccurs = -1;
        public string? DependingOn;
        public string? Redefines;
        public bool SignLeading;
        public bool SignSeparate;
        public string? Value;
        public readonly List<KeyValuePair<string, IReadOnlyList<string>>> Conditions = [];
        public readonly List<Node> Children = [];
        public Node? Parent;
        // measured
        public FieldDef? Def;
        public int Offset;
        public int Length;
    }

    static List<Node> BuildTree(List<Tok> toks, string source, string name)
    {
        var roots = new List<Node>();
        var stack = new Stack<Node>();
        Node? lastItem = null;
        var i = 0;
        while (i < toks.Count)
        {
            var stmt = new List<Tok>();
            while (i < toks.Count && !toks[i].Period) stmt.Add(toks[i++]);
            var line = stmt.Count > 0 ? stmt[0].Line : (i < toks.Count ? toks[i].Line : 0);
            if (i >= toks.Count && stmt.Count > 0) throw new LayoutException(source, stmt[^1].Line, "Missing period at the end of the entry.");
            i++; // the period
            if (stmt.Count == 0) continue;
            if (!int.TryParse(stmt[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var level))
                throw new LayoutException(source, line, $"Expected a level number, found '{stmt[0].Text}'.");
            if (level is < 1 or (> 49 and not 66 and not 77 and not 88))
                throw new LayoutException(source, line, $"Invalid level number {stmt[0].Text} (01–49, 66, 77, 88).");
            var node = new Node { Level = level, Line = line };
            var p = 1;
            if (p < stmt.Count && !Keywords.Contains(stmt[p].Text))
            {
                node.Name = stmt[p].Text.ToUpperInvariant();
                node.Filler = string.Equals(node.Name, "FILLER", StringComparison.Ordinal);
                p++;
            }
            else
            {
                node.Filler = true;
            }
            if (level == 66) continue; // RENAMES: tolerated, not part of the storage layout
            if (level == 88)
            {
                if (lastItem is null) throw new LayoutException(source, line, "Level 88 without a preceding data item.");
                var values = ParseValues(stmt, ref p, source, line, stopAtKeyword: false);
                lastItem.Conditions.Add(new(node.Name, values));
                continue;
            }
            ParseClauses(node, stmt, p, source);
            if (level == 77)
            {
                lastItem = node; // its 88s attach here; the item itself is not part of a record
                continue;
            }
            while (stack.Count > 0 && stack.Peek().Level >= level) stack.Pop();
            if (level == 1 || stack.Count == 0)
            {
                if (level != 1 && roots.Count == 0)
                {
                    // A copybook fragment starting below 01: wrap it in an implicit record named after the copybook.
                    var implicitRoot = new Node { Level = 1, Name = name.ToUpperInvariant(), Line = line };
                    roots.Add(implicitRoot);
                    stack.Push(implicitRoot);
                }
                else if (level != 1)
                {
                    throw new LayoutException(source, line, $"Level {level:00} item {node.Name} is not inside a record (level 01).");
                }
            }
            if (stack.Count > 0)
            {
                var parent = stack.Peek();
                if (parent.Pic is not null)
                    throw new LayoutException(source, line, $"{parent.Name} has a PICTURE and cannot have subordinate items ({node.Name}).");
                node.Parent = parent;
                parent.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
            stack.Push(node);
            lastItem = node;
        }
        if (roots.Count == 0) throw new LayoutException(source, 1, "No data items found.");
        return roots;
    }
}
