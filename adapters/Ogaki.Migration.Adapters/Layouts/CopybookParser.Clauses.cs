// CopybookParser, the clauses of a data entry: PICTURE, USAGE, OCCURS [DEPENDING ON], REDEFINES, VALUE, SIGN and
// the tolerated ones (JUSTIFIED, BLANK WHEN ZERO, SYNC, ...).

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "PIC", "PICTURE", "USAGE", "IS", "ARE", "COMP", "COMP-1", "COMP-2", "COMP-3", "COMP-4", "COMP-5", "COMPUTATIONAL",
        "COMPUTATIONAL-1", "COMPUTATIONAL-2", "COMPUTATIONAL-3", "COMPUTATIONAL-4", "COMPUTATIONAL-5", "BINARY",
        "PACKED-DECIMAL", "DISPLAY", "DISPLAY-1", "NATIONAL", "INDEX", "POINTER", "OCCURS", "TIMES", "TO", "DEPENDING", "ON",
        "REDEFINES", "VALUE", "VALUES", "SIGN", "LEADING", "TRAILING", "SEPARATE", "CHARACTER", "JUSTIFIED", "JUST", "RIGHT",
        "LEFT", "BLANK", "WHEN", "ZERO", "SYNC", "SYNCHRONIZED", "INDEXED", "BY", "ASCENDING", "DESCENDING", "KEY",
        "GLOBAL", "EXTERNAL", "RENAMES", "THRU", "THROUGH",
    };

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
}
