using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>
/// Parses a COBOL copybook (fixed reference format) into a <see cref="FileLayout"/>.
/// <list type="bullet">
/// <item>Columns 1–6 sequence numbers (ignored), column 7 indicator (<c>*</c> or <c>/</c> comment, <c>D</c> debug line,
/// <c>-</c> continuation), code in columns 8–72, 73–80 ignored. <c>*&gt;</c> starts an inline comment.</item>
/// <item>Levels 01–49, 66 (RENAMES, tolerated and ignored), 77 (tolerated and ignored), 88 (condition values, kept).</item>
/// <item>PIC X / A / 9 / S9 / V / N / G with repetition <c>X(10)</c>; numeric-edited pictures read as text;
/// USAGE DISPLAY, COMP-3 / PACKED-DECIMAL, COMP / COMP-4 / COMP-5 / BINARY, NATIONAL, DISPLAY-1 (also on groups);
/// SIGN LEADING/TRAILING [SEPARATE]; OCCURS n TIMES on elementary items and groups; REDEFINES; VALUE; FILLER
/// (occupies its bytes, not part of the output); OCCURS [min TO] max DEPENDING ON with IBM semantics (see
/// <see cref="VariableTable"/>). Not supported (clear error): PIC P, COMP-1/COMP-2, a DEPENDING ON table inside another table.</item>
/// <item>Record types: several 01 records, or REDEFINES branches, selected by a record-type field — see
/// <see cref="LayoutDirectives"/> (<c>*@SELECTOR</c>, <c>*@RECORD</c>) and Layouts/README.md.</item>
/// </list>
/// </summary>
public static class CopybookParser
{
    public static FileLayout ParseFile(string path) =>
        Parse(File.ReadAllText(path), Path.GetFileName(path), Path.GetFileNameWithoutExtension(path));

    /// <summary>Parses copybook text. <paramref name="source"/> names it in errors.</summary>
    public static FileLayout Parse(string text, string source = "copybook", string? name = null)
    {
        var directives = new LayoutDirectives();
        var tokens = Lex(text, source, directives);
        var roots = BuildTree(tokens, source, name ?? source);
        foreach (var r in roots) Measure(r, 0, source);
        return Assemble(roots, directives, source, name ?? source);
    }

    readonly record struct Tok(string Text, int Line, bool Period);

    static List<Tok> Lex(string text, string source, LayoutDirectives directives)
    {
        var toks = new List<Tok>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var li = 0; li < lines.Length; li++)
        {
            var line = lines[li].Replace('\t', ' ');
            var no = li + 1;
            if (line.Length < 7)
            {
                if (line.Trim().Length > 0 && line.TrimStart().Length > 0 && !IsAllDigitsOrBlank(line))
                    throw new LayoutException(source, no, "Code before column 8: copybooks use the fixed reference format (sequence area in columns 1–6, indicator in column 7).");
                continue;
            }
            var indicator = line[6];
            var code = line.Length > 72 ? line[7..72] : line[7..];
            switch (indicator)
            {
                case '*' or '/':
                    var comment = line[7..].Trim();
                    if (comment.StartsWith('@')) directives.Parse(source, no, comment[1..]);
                    continue;
                case 'D' or 'd':
                    continue;
                case '-':
                    // Continuation of a literal: the text resumes after the opening quote on this line.
                    var cont = code.TrimStart();
                    if (cont.Length > 0 && cont[0] is '\'' or '"') cont = cont[1..];
                    if (toks.Count == 0) throw new LayoutException(source, no, "Continuation line without a line to continue.");
                    var last = toks[^1];
                    toks[^1] = last with { Text = last.Text.TrimEnd('\'', '"') + cont.TrimEnd() };
                    continue;
                case ' ':
                    break;
                default:
                    throw new LayoutException(source, no, $"Invalid indicator '{indicator}' in column 7 (expected blank, *, /, D or -).");
            }
            var inline = code.IndexOf("*>", StringComparison.Ordinal);
            if (inline >= 0) code = code[..inline];
            LexCode(code, no, toks, source);
        }
        return toks;
    }

    static bool IsAllDigitsOrBlank(string s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c) && c != ' ') return false;
        return true;
    }

    static void LexCode(string code, int line, List<Tok> toks, string source)
    {
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c) || ((c is ',' or ';') && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1]))))
            {
                i++;
                continue;
            }
            var start = i;
            if (c is '\'' or '"')
            {
                i++;
                while (i < code.Length && code[i] != c) i++;
                if (i >= code.Length) throw new LayoutException(source, line, "Unterminated literal.");
                i++;
                // X'..' style prefixes are handled by the word branch; a literal ends here.
            }
            else
            {
                while (i < code.Length && !char.IsWhiteSpace(code[i]))
                {
                    if (code[i] is '.' or ',' or ';' && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1]))) break;
                    if (code[i] is '\'' or '"')
                    {
                        // e.g. X'0E' or N'漢字': consume the quoted part.
                        var q = code[i++];
                        while (i < code.Length && code[i] != q) i++;
                        if (i >= code.Length) throw new LayoutException(source, line, "Unterminated literal.");
                    }
                    i++;
                }
            }
            if (i > start) toks.Add(new Tok(code[start..i], line, false));
            if (i < code.Length && code[i] == '.' && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1])))
            {
                toks.Add(new Tok(".", line, true));
                i++;
            }
        }
    }

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

    static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "PIC", "PICTURE", "USAGE", "IS", "ARE", "COMP", "COMP-1", "COMP-2", "COMP-3", "COMP-4", "COMP-5", "COMPUTATIONAL",
        "COMPUTATIONAL-1", "COMPUTATIONAL-2", "COMPUTATIONAL-3", "COMPUTATIONAL-4", "COMPUTATIONAL-5", "BINARY",
        "PACKED-DECIMAL", "DISPLAY", "DISPLAY-1", "NATIONAL", "INDEX", "POINTER", "OCCURS", "TIMES", "TO", "DEPENDING", "ON",
        "REDEFINES", "VALUE", "VALUES", "SIGN", "LEADING", "TRAILING", "SEPARATE", "CHARACTER", "JUSTIFIED", "JUST", "RIGHT",
        "LEFT", "BLANK", "WHEN", "ZERO", "SYNC", "SYNCHRONIZED", "INDEXED", "BY", "ASCENDING", "DESCENDING", "KEY",
        "GLOBAL", "EXTERNAL", "RENAMES", "THRU", "THROUGH",
    };

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

    static void ParseClauses(Node node, List<Tok> stmt, int p, string source)
    {
        var line = node.Line;
        string Word(int k) => k < stmt.Count ? stmt[k].Text.ToUpperInvariant() : "";
        while (p < stmt.Count)
        {
            var w = Word(p);
            switch (w)
            {
                case "PIC" or "PICTURE":
                    p++;
                    if (Word(p) == "IS") p++;
                    if (p >= stmt.Count) throw new LayoutException(source, line, "PICTURE without a picture string.");
                    node.Pic = stmt[p++].Text.ToUpperInvariant();
                    break;
                case "USAGE":
                    p++;
                    if (Word(p) == "IS") p++;
                    node.Usage = NormalizeUsage(Word(p), source, line);
                    p++;
                    break;
                case "COMP" or "COMP-1" or "COMP-2" or "COMP-3" or "COMP-4" or "COMP-5" or "COMPUTATIONAL" or "COMPUTATIONAL-1"
                    or "COMPUTATIONAL-2" or "COMPUTATIONAL-3" or "COMPUTATIONAL-4" or "COMPUTATIONAL-5" or "BINARY" or "PACKED-DECIMAL"
                    or "DISPLAY" or "DISPLAY-1" or "NATIONAL" or "INDEX" or "POINTER":
                    node.Usage = NormalizeUsage(w, source, line);
                    p++;
                    break;
                case "OCCURS":
                    p++;
                    node.Occurs = LayoutDirectives.ParseInt(source, line, Word(p), "OCCURS count");
                    p++;
                    var min = -1;
                    if (Word(p) == "TO")
                    {
                        // OCCURS integer-1 TO integer-2: 0 ≤ integer-1 < integer-2, and only with DEPENDING ON.
                        min = node.Occurs;
                        p++;
                        node.Occurs = LayoutDirectives.ParseInt(source, line, Word(p), "OCCURS maximum");
                        p++;
                        if (node.Occurs <= min) throw new LayoutException(source, line, $"OCCURS {min} TO {node.Occurs}: the maximum must be greater than the minimum.");
                    }
                    if (node.Occurs < 1) throw new LayoutException(source, line, "OCCURS count must be at least 1.");
                    if (Word(p) == "TIMES") p++;
                    if (Word(p) == "DEPENDING")
                    {
                        p++;
                        if (Word(p) == "ON") p++;
                        if (p >= stmt.Count || Keywords.Contains(stmt[p].Text)) throw new LayoutException(source, line, "DEPENDING ON needs the name of the count field.");
                        node.DependingOn = stmt[p++].Text.ToUpperInvariant();
                        // IBM assumes a minimum of 1 when integer-1 is omitted.
                        node.MinOccurs = min >= 0 ? min : 1;
                    }
                    else if (min >= 0)
                    {
                        throw new LayoutException(source, line, $"OCCURS {min} TO {node.Occurs} needs DEPENDING ON <count field>.");
                    }
                    while (Word(p) is "ASCENDING" or "DESCENDING" or "INDEXED")
                    {
                        p++;
                        while (Word(p) is "KEY" or "IS" or "BY") p++;
                        while (p < stmt.Count && !Keywords.Contains(stmt[p].Text)) p++;
                    }
                    break;
                case "REDEFINES":
                    p++;
                    if (p >= stmt.Count) throw new LayoutException(source, line, "REDEFINES without a data name.");
                    node.Redefines = stmt[p++].Text.ToUpperInvariant();
                    break;
                case "VALUE" or "VALUES":
                    var values = ParseValues(stmt, ref p, source, line, stopAtKeyword: true);
                    node.Value = values.Count > 0 ? values[0] : null;
                    break;
                case "SIGN":
                    p++;
                    if (Word(p) == "IS") p++;
                    break;
                case "LEADING" or "TRAILING":
                    node.SignLeading = w == "LEADING";
                    p++;
                    if (Word(p) == "SEPARATE")
                    {
                        node.SignSeparate = true;
                        p++;
                        if (Word(p) == "CHARACTER") p++;
                    }
                    break;
                case "JUSTIFIED" or "JUST":
                    p++;
                    if (Word(p) == "RIGHT") p++;
                    break;
                case "BLANK":
                    p++;
                    if (Word(p) == "WHEN") p++;
                    if (Word(p) is "ZERO" or "ZEROS" or "ZEROES") p++;
                    break;
                case "SYNC" or "SYNCHRONIZED":
                    p++;
                    if (Word(p) is "LEFT" or "RIGHT") p++;
                    break;
                case "GLOBAL" or "EXTERNAL" or "IS":
                    p++;
                    break;
                default:
                    throw new LayoutException(source, stmt[p].Line, $"Unexpected word '{stmt[p].Text}' in the entry for {node.Name}.");
            }
        }
    }

    static string NormalizeUsage(string w, string source, int line) => w switch
    {
        "COMP-3" or "COMPUTATIONAL-3" or "PACKED-DECIMAL" => "COMP-3",
        "COMP" or "COMP-4" or "COMP-5" or "COMPUTATIONAL" or "COMPUTATIONAL-4" or "COMPUTATIONAL-5" or "BINARY" => "COMP",
        "DISPLAY" => "DISPLAY",
        "NATIONAL" or "DISPLAY-1" => "NATIONAL",
        "COMP-1" or "COMP-2" or "COMPUTATIONAL-1" or "COMPUTATIONAL-2" => throw new LayoutException(source, line, $"{w} (floating point) is not supported: amounts must be exact."),
        "INDEX" or "POINTER" => throw new LayoutException(source, line, $"USAGE {w} has no portable byte layout and is not supported."),
        _ => throw new LayoutException(source, line, $"Unknown USAGE '{w}'."),
    };

    static List<string> ParseValues(List<Tok> stmt, ref int p, string source, int line, bool stopAtKeyword)
    {
        var values = new List<string>();
        if (p < stmt.Count && stmt[p].Text.ToUpperInvariant() is "VALUE" or "VALUES") p++;
        while (p < stmt.Count && stmt[p].Text.ToUpperInvariant() is "IS" or "ARE") p++;
        while (p < stmt.Count)
        {
            var t = stmt[p].Text;
            var u = t.ToUpperInvariant();
            if (u is "THRU" or "THROUGH" or "ALL")
            {
                p++;
                continue;
            }
            if (stopAtKeyword && Keywords.Contains(t) && u is not ("ZERO")) break;
            values.Add(u switch
            {
                "SPACE" or "SPACES" => " ",
                "ZERO" or "ZEROS" or "ZEROES" => "0",
                _ => LayoutDirectives.Unquote(t),
            });
            p++;
        }
        if (values.Count == 0) throw new LayoutException(source, line, "VALUE without a literal.");
        return values;
    }

    /// <summary>Result of reading a PICTURE string.</summary>
    internal readonly record struct PicInfo(FieldKind Kind, int Chars, int Digits, int Scale, bool Signed);

    internal static PicInfo ParsePicture(string pic, string source, int line)
    {
        // Expand repetitions: X(10) → XXXXXXXXXX.
        var sb = new StringBuilder();
        for (var i = 0; i < pic.Length; i++)
        {
            var c = pic[i];
            if (c == '(')
            {
                var close = pic.IndexOf(')', i);
                if (close < 0 || sb.Length == 0) throw new LayoutException(source, line, $"Malformed PICTURE '{pic}'.");
                var n = LayoutDirectives.ParseInt(source, line, pic[(i + 1)..close], $"Repetition in PICTURE '{pic}'");
                if (n < 1) throw new LayoutException(source, line, $"Repetition must be at least 1 in PICTURE '{pic}'.");
                LayoutLimits.Check((long)sb.Length + n - 1, source, line, $"PICTURE '{pic}'");
                sb.Append(sb[^1], n - 1);
                i = close;
            }
            else
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        var s = sb.ToString();
        int x = 0, nine = 0, scale = 0, nat = 0, edit = 0;
        bool signed = false, v = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case 'X' or 'A': x++; break;
                case '9':
                    nine++;
                    if (v) scale++;
                    break;
                case 'S':
                    if (i != 0) throw new LayoutException(source, line, $"S must come first in PICTURE '{pic}'.");
                    signed = true;
                    break;
                case 'V':
                    if (v) throw new LayoutException(source, line, $"More than one V in PICTURE '{pic}'.");
                    v = true;
                    break;
                case 'P': throw new LayoutException(source, line, $"PICTURE symbol P (decimal scaling) is not supported: '{pic}'.");
                case 'N' or 'G': nat++; break;
                case 'Z' or '*' or '+' or '-' or '$' or '.' or ',' or 'B' or '0' or '/' or 'C' or 'R' or 'D' or 'E': edit++; break;
                default: throw new LayoutException(source, line, $"Invalid character '{c}' in PICTURE '{pic}'.");
            }
        }
        if (nat > 0)
        {
            if (x + nine + edit > 0 || signed || v) throw new LayoutException(source, line, $"PICTURE '{pic}' mixes N/G with other symbols.");
            return new PicInfo(FieldKind.National, nat, 0, 0, false);
        }
        if (x > 0 || edit > 0)
        {
            if (signed || v) throw new LayoutException(source, line, $"PICTURE '{pic}' mixes S/V with text symbols.");
            return new PicInfo(FieldKind.Alphanumeric, x + nine + edit, 0, 0, false);
        }
        if (nine == 0) throw new LayoutException(source, line, $"PICTURE '{pic}' has no digit or character positions.");
        if (nine > 28) throw new LayoutException(source, line, $"PICTURE '{pic}' has {nine} digits; at most 28 fit a decimal exactly.");
        return new PicInfo(FieldKind.Zoned, nine, nine, scale, signed);
    }

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
