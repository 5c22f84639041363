using System.Globalization;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>
/// Parses a layout definition file (<c>*.layout.csv</c>) for open-system fixed-length files. UTF-8 (BOM allowed), one
/// header row, then one row per field; <c>#</c> starts a comment line and <c>#@</c> a directive (see
/// <see cref="LayoutDirectives"/>). Columns are found by header name (case-insensitive, any order):
/// <list type="table">
/// <item><term>name</term><description>field name (required; <c>FILLER</c> or empty type <c>filler</c> = skipped bytes)</description></item>
/// <item><term>offset</term><description>0-based byte offset in the record — or <c>position</c>/<c>pos</c>/<c>start</c>, 1-based (one is required)</description></item>
/// <item><term>length</term><description>bytes of one occurrence (required unless the type is a PICTURE)</description></item>
/// <item><term>type</term><description><c>X</c> text, <c>N</c> double-byte text, <c>9</c> zoned, <c>S9</c> signed zoned, <c>P</c>/<c>packed</c>
/// (COMP-3), <c>B</c>/<c>binary</c> (COMP), <c>filler</c>; or a PICTURE such as <c>X(20)</c>, <c>S9(7)V99 COMP-3</c>, <c>N(10)</c></description></item>
/// <item><term>scale</term><description>implied decimals (optional; a PICTURE's V wins)</description></item>
/// <item><term>digits</term><description>number of digits (optional; default from the length)</description></item>
/// <item><term>occurs</term><description>repetitions (optional, default 1; offsets of occurrence i = offset + i × length)</description></item>
/// <item><term>record_type</term><description>selector value of the record type the row belongs to; empty = every record type (optional)</description></item>
/// <item><term>notes</term><description>free text (optional; also <c>description</c>)</description></item>
/// </list>
/// </summary>
public static class LayoutFileParser
{
    public static FileLayout ParseFile(string path)
    {
        var name = Path.GetFileName(path);
        var stem = name.EndsWith(".layout.csv", StringComparison.OrdinalIgnoreCase) ? name[..^".layout.csv".Length] : Path.GetFileNameWithoutExtension(path);
        return Parse(File.ReadAllText(path), name, stem);
    }

    public static FileLayout Parse(string text, string source = "layout", string? name = null)
    {
        name ??= source;
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var d = new LayoutDirectives();
        Dictionary<string, int>? cols = null;
        var rows = new List<(int Line, string? RecordType, FieldDef Field)>();
        for (var li = 0; li < lines.Length; li++)
        {
            var no = li + 1;
            var line = lines[li];
            var trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (trimmed.StartsWith("#@", StringComparison.Ordinal))
            {
                d.Parse(source, no, trimmed[2..]);
                continue;
            }
            if (trimmed[0] == '#') continue;
            var cells = SplitCsv(line, source, no);
            if (cells.All(c => c.Trim().Length == 0)) continue;
            if (cols is null)
            {
                cols = Header(cells, source, no);
                continue;
            }
            var row = ParseRow(cells, cols, source, no, out var recordType);
            if (row is not null) rows.Add((no, recordType, row));
        }
        if (cols is null) throw new LayoutException(source, Math.Max(1, lines.Length), "No header row (name, offset or position, length, type …).");
        if (rows.Count == 0) throw new LayoutException(source, lines.Length, "No field rows.");

        // Record types: distinct non-empty record_type values in order; common rows (empty) belong to every type.
        var typeValues = rows.Select(r => r.RecordType).Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal).Cast<string>().ToList();
        var records = new List<RecordLayout>();
        if (typeValues.Count == 0)
        {
            var fields = rows.Select(r => r.Field).Where(f => !IsFiller(f)).ToList();
            var dir = d.Records.FirstOrDefault();
            records.Add(LayoutFinisher.Record(dir?.Variant ?? name, dir?.Length ?? rows.Max(r => r.Field.Offset + r.Field.TotalLength), fields, dir));
        }
        else
        {
            if (d.Selector is null) throw new LayoutException(source, rows[0].Line, "Rows name record types: declare the record-type field with '#@SELECTOR <field>'.");
            foreach (var t in typeValues)
            {
                var mine = rows.Where(r => r.RecordType is null || string.Equals(r.RecordType, t, StringComparison.Ordinal)).ToList();
                var dir = d.Records.FirstOrDefault(x => string.Equals(x.Variant, t, StringComparison.Ordinal))
                    ?? d.Records.FirstOrDefault(x => x.Values.Contains(t, StringComparer.Ordinal));
                var values = dir is { Values.Count: > 0 } ? dir.Values : [t];
                records.Add(LayoutFinisher.Record(dir?.Variant ?? t, dir?.Length ?? mine.Max(r => r.Field.Offset + r.Field.TotalLength),
                    mine.Select(r => r.Field).Where(f => !IsFiller(f)).OrderBy(f => f.Offset).ToList(), dir, values));
            }
        }
        return LayoutFinisher.Finish(name, source, records, d);
    }

    static bool IsFiller(FieldDef f) => string.Equals(f.Name, "FILLER", StringComparison.OrdinalIgnoreCase);

    static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["record_type"] = "record_type", ["recordtype"] = "record_type", ["record"] = "record_type", ["rectype"] = "record_type", ["record-type"] = "record_type",
        ["name"] = "name", ["field"] = "name", ["field_name"] = "name", ["fieldname"] = "name", ["item"] = "name",
        ["offset"] = "offset",
        ["position"] = "position", ["pos"] = "position", ["start"] = "position",
        ["length"] = "length", ["len"] = "length", ["bytes"] = "length", ["size"] = "length",
        ["type"] = "type", ["kind"] = "type", ["pic"] = "type", ["picture"] = "type", ["format"] = "type",
        ["scale"] = "scale", ["decimals"] = "scale",
        ["digits"] = "digits", ["precision"] = "digits",
        ["occurs"] = "occurs", ["repeat"] = "occurs",
        ["notes"] = "notes", ["note"] = "notes", ["description"] = "notes", ["comment"] = "notes", ["remarks"] = "notes",
    };

    static Dictionary<string, int> Header(List<string> cells, string source, int line)
    {
        var cols = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var h = cells[i].Trim();
            if (Aliases.TryGetValue(h, out var canon)) cols.TryAdd(canon, i);
        }
        if (!cols.ContainsKey("name")) throw new LayoutException(source, line, "Header has no 'name' column.");
        if (!cols.ContainsKey("offset") && !cols.ContainsKey("position")) throw new LayoutException(source, line, "Header has neither 'offset' (0-based) nor 'position' (1-based).");
        if (!cols.ContainsKey("type")) throw new LayoutException(source, line, "Header has no 'type' column.");
        return cols;
    }

    static FieldDef? ParseRow(List<string> cells, Dictionary<string, int> cols, string source, int line, out string? recordType)
    {
        string Cell(string col) => cols.TryGetValue(col, out var i) && i < cells.Count ? cells[i].Trim() : "";
        int? Int(string col)
        {
            var s = Cell(col);
            return s.Length == 0 ? null : LayoutDirectives.ParseInt(source, line, s, col);
        }
        recordType = Cell("record_type") is { Length: > 0 } rt ? LayoutDirectives.Unquote(rt) : null;
        var name = Cell("name");
        var type = Cell("type");
        if (name.Length == 0) throw new LayoutException(source, line, "Empty field name.");
        int offset;
        if (Int("offset") is { } o) offset = o;
        else if (Int("position") is { } p)
        {
            if (p < 1) throw new LayoutException(source, line, "position is 1-based.");
            offset = p - 1;
        }
        else throw new LayoutException(source, line, $"{name}: no offset/position.");
        var length = Int("length");
        var scale = Int("scale") ?? 0;
        var digits = Int("digits");
        var occurs = Int("occurs") ?? 1;
        if (occurs < 1) throw new LayoutException(source, line, $"{name}: occurs must be at least 1.");
        FieldKind kind;
        var signed = false;
        var t = type.ToUpperInvariant();
        if (t.StartsWith("PIC ", StringComparison.Ordinal)) t = t[4..].Trim();
        switch (t)
        {
            case "X" or "CHAR" or "TEXT" or "STRING" or "ALNUM" or "ALPHANUMERIC" or "A": kind = FieldKind.Alphanumeric; break;
            case "N" or "G" or "KANJI" or "DBCS" or "NATIONAL": kind = FieldKind.National; break;
            case "9" or "ZONED" or "NUMERIC" or "NUM" or "UNSIGNED" or "DIGITS": kind = FieldKind.Zoned; break;
            case "S9" or "SIGNED" or "SZONED" or "SIGNED-ZONED": kind = FieldKind.Zoned; signed = true; break;
            case "P" or "PACKED" or "COMP-3" or "PACKED-DECIMAL": kind = FieldKind.Packed; signed = true; break;
            case "B" or "BINARY" or "COMP" or "COMP-4" or "INT": kind = FieldKind.Binary; signed = true; break;
            case "FILLER" or "SKIP":
                kind = FieldKind.Alphanumeric;
                name = "FILLER";
                break;
            case "":
                throw new LayoutException(source, line, $"{name}: empty type.");
            default:
                return FromPicture(name, type, offset, length, occurs, scale, source, line, Cell("notes"));
        }
        if (length is null) throw new LayoutException(source, line, $"{name}: no length.");
        if (length < 1) throw new LayoutException(source, line, $"{name}: length must be at least 1.");
        if (offset < 0) throw new LayoutException(source, line, $"{name}: negative offset.");
        LayoutLimits.Check(offset + ((long)length.Value * occurs), source, line, $"{name} (offset {offset} + {occurs} × {length} bytes)");
        var d = kind switch
        {
            FieldKind.Zoned => length.Value,
            FieldKind.Packed => (length.Value * 2) - 1,
            FieldKind.Binary => length.Value switch
            {
                2 => 4,
                4 => 9,
                8 => 18,
                _ => throw new LayoutException(source, line, $"{name}: binary fields are 2, 4 or 8 bytes."),
            },
            _ => 0,
        };
        if (digits is { } dg)
        {
            if (kind is FieldKind.Alphanumeric or FieldKind.National) throw new LayoutException(source, line, $"{name}: digits only apply to numeric types.");
            if (dg > d || dg < 1) throw new LayoutException(source, line, $"{name}: {dg} digits do not fit {length} bytes of type {type}.");
            d = dg;
        }
        if (kind == FieldKind.National && length % 2 != 0) throw new LayoutException(source, line, $"{name}: a double-byte field needs an even length.");
        if (scale < 0 || (kind is FieldKind.Zoned or FieldKind.Packed or FieldKind.Binary ? scale > d : scale != 0))
            throw new LayoutException(source, line, $"{name}: scale {scale} does not fit type {type}.");
        if (d > 28) throw new LayoutException(source, line, $"{name}: {d} digits; at most 28 fit a decimal exactly.");
        return new FieldDef
        {
            Name = name,
            Level = 5,
            Offset = offset,
            Length = length.Value,
            Kind = kind,
            Digits = d,
            Scale = kind is FieldKind.Alphanumeric or FieldKind.National ? 0 : scale,
            Signed = signed,
            Occurs = occurs,
            LineNumber = line,
            Picture = type,
            Notes = Cell("notes") is { Length: > 0 } n ? n : null,
        };
    }

    static FieldDef FromPicture(string name, string type, int offset, int? length, int occurs, int scale, string source, int line, string notes)
    {
        var words = type.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count > 0 && words[0] is "PIC" or "PICTURE") words.RemoveAt(0);
        if (words.Count == 0) throw new LayoutException(source, line, $"{name}: unknown type '{type}'.");
        var pi = CopybookParser.ParsePicture(words[0], source, line);
        var usage = words.Count > 1 ? string.Join(' ', words.Skip(1)) : "DISPLAY";
        var kind = pi.Kind;
        int len;
        switch (usage)
        {
            case "COMP-3" or "PACKED-DECIMAL" or "USAGE COMP-3":
                if (kind != FieldKind.Zoned) throw new LayoutException(source, line, $"{name}: COMP-3 needs a numeric PICTURE.");
                kind = FieldKind.Packed;
                len = (pi.Digits / 2) + 1;
                break;
            case "COMP" or "COMP-4" or "COMP-5" or "BINARY":
                if (kind != FieldKind.Zoned || pi.Digits > 18) throw new LayoutException(source, line, $"{name}: COMP needs a numeric PICTURE of at most 18 digits.");
                kind = FieldKind.Binary;
                len = pi.Digits <= 4 ? 2 : pi.Digits <= 9 ? 4 : 8;
                break;
            case "DISPLAY" or "NATIONAL" or "DISPLAY-1":
                len = kind == FieldKind.National ? pi.Chars * 2 : pi.Chars;
                break;
            default:
                throw new LayoutException(source, line, $"{name}: unknown usage '{usage}' in type '{type}'.");
        }
        if (length is { } l && l != len) throw new LayoutException(source, line, $"{name}: length {l} does not match PICTURE '{type}' ({len} bytes).");
        LayoutLimits.Check(offset + ((long)len * occurs), source, line, $"{name} (offset {offset} + {occurs} × {len} bytes)");
        return new FieldDef
        {
            Name = name,
            Level = 5,
            Offset = offset,
            Length = len,
            Kind = kind,
            Digits = pi.Digits,
            Scale = pi.Scale > 0 ? pi.Scale : kind is FieldKind.Alphanumeric or FieldKind.National ? 0 : scale,
            Signed = pi.Signed || kind is FieldKind.Packed && pi.Signed,
            Occurs = occurs,
            LineNumber = line,
            Picture = type,
            Notes = notes.Length > 0 ? notes : null,
        };
    }

    internal static List<string> SplitCsv(string line, string source, int no)
    {
        var cells = new List<string>();
        var sb = new System.Text.StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        sb.Append('"');
                        i++;
                    }
                    else inQuotes = false;
                }
                else sb.Append(c);
            }
            else if (c == '"') inQuotes = true;
            else if (c == ',')
            {
                cells.Add(sb.ToString());
                sb.Clear();
            }
            else sb.Append(c);
        }
        if (inQuotes) throw new LayoutException(source, no, "Unterminated quoted cell.");
        cells.Add(sb.ToString());
        return cells;
    }
}

/// <summary>Loads a layout by file extension: <c>.cpy</c>/<c>.cob</c>/<c>.cbl</c> copybook, <c>.layout.csv</c> (or other <c>.csv</c>) layout file.</summary>
public static class LayoutLoader
{
    public static FileLayout Load(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return LayoutFileParser.ParseFile(path);
        if (name.EndsWith(".cpy", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".cob", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".cbl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".copy", StringComparison.OrdinalIgnoreCase))
            return CopybookParser.ParseFile(path);
        throw new InputFormatException(name, 0, "unknown layout file type; give a .cpy copybook or a .layout.csv layout file.");
    }
}
