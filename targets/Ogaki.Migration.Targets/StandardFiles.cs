using System.Globalization;
using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// The standard-layout CSV of one グループ (entity): column names, value formats and a reader for the files
/// <see cref="FilesTarget"/> writes. Values in the official formats: DATE <c>YYYY-MM-DD</c>, TIME <c>HH:MM:SS</c>,
/// numbers in invariant digits, flags 1/0. Text is always quoted, so an empty text (<c>""</c>) and a missing value
/// (nothing between the commas) stay apart when the file is read back.
/// </summary>
public static class StandardFiles
{
    public const string Newline = "\r\n";

    /// <summary>The items in データ項目ID order (the order of the file's columns).</summary>
    public static SpecItem[] Columns(SpecEntity entity) => [.. entity.Items.OrderBy(i => i.ItemId, StringComparer.Ordinal)];

    /// <summary>The ローマ字 field name of the official spec; else a provisional snake_case name derived from the identifier.</summary>
    public static string FieldName(SpecItem item) => item.Official?.FieldName is { Length: > 0 } f ? f : SnakeCase(item.Identifier);

    /// <summary>True when <see cref="FieldName"/> is derived, not official.</summary>
    public static bool IsProvisional(SpecItem item) => item.Official?.FieldName is not { Length: > 0 };

    /// <summary>AtenaNo → atena_no, JushoLgCode → jusho_lg_code.</summary>
    public static string SnakeCase(string identifier)
    {
        var sb = new StringBuilder(identifier.Length + 8);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (char.IsAsciiLetterUpper(c))
            {
                var boundary = i > 0 && (char.IsAsciiLetterLower(identifier[i - 1]) || char.IsAsciiDigit(identifier[i - 1])
                    || (i + 1 < identifier.Length && char.IsAsciiLetterLower(identifier[i + 1]) && char.IsAsciiLetterUpper(identifier[i - 1])));
                if (boundary && sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Header(SpecItem[] columns) => string.Join(",", columns.Select(FieldName)) + Newline;

    public static void AppendRow(StringBuilder sb, SpecItem[] columns, IReadOnlyList<object?> valuesBySpecOrdinal)
    {
        for (var c = 0; c < columns.Length; c++)
        {
            if (c > 0) sb.Append(',');
            var value = valuesBySpecOrdinal[columns[c].Ordinal];
            if (value is null) continue;
            switch (value)
            {
                case string s: Quote(sb, s); break;
                case int n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
                case long n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
                case decimal d: sb.Append(CanonicalValue.Decimal(d)); break;
                case DateOnly d: sb.Append(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                case TimeOnly t: sb.Append(t.ToString("HH:mm:ss", CultureInfo.InvariantCulture)); break;
                case bool b: sb.Append(b ? '1' : '0'); break;
                case byte[] blob: Quote(sb, Convert.ToBase64String(blob)); break;
                // 和暦 dates stay in their canonical text until the spec carries DATE + 不詳 items (issue 15, item 1).
                case WarekiDate w: Quote(sb, w.ToString()); break;
                case YearMonth ym: sb.Append(ym.ToString()); break;
                default: throw new InvalidCastException($"{columns[c].ItemId} {columns[c].NameJa}: no file format for {value.GetType().Name}");
            }
        }
        sb.Append(Newline);
    }

    static void Quote(StringBuilder sb, string s) => sb.Append('"').Append(s.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    /// <summary>Parses one field back into the CLR type of its item (null for a field with nothing in it).</summary>
    public static object? Parse(SpecItem item, string? text) => text is null ? null : item.Type switch
    {
        ItemType.Int => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        ItemType.Amount or ItemType.Decimal => decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
        ItemType.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ItemType.Time => TimeOnly.ParseExact(text, "HH:mm:ss", CultureInfo.InvariantCulture),
        ItemType.Flag => text switch { "1" => true, "0" => false, _ => throw new FormatException($"flag '{text}' is not 1 or 0") },
        ItemType.WarekiDate => WarekiDate.Parse(text),
        ItemType.YearMonth => YearMonth.Parse(text, CultureInfo.InvariantCulture),
        ItemType.Blob => Convert.FromBase64String(text),
        _ => text,
    };

    /// <summary>
    /// The records of a standard CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks). A field with
    /// nothing in it is null; a quoted empty field is "".
    /// </summary>
    public static IEnumerable<string?[]> ReadRecords(TextReader reader)
    {
        var fields = new List<string?>();
        var sb = new StringBuilder();
        bool quoted = false, inQuotes = false, any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); sb.Append('"'); }
                    else inQuotes = false;
                }
                else sb.Append(ch);
                continue;
            }
            switch (ch)
            {
                case '"': inQuotes = quoted = true; break;
                case ',': fields.Add(quoted || sb.Length > 0 ? sb.ToString() : null); sb.Clear(); quoted = false; break;
                case '\r': break;
                case '\n':
                    fields.Add(quoted || sb.Length > 0 ? sb.ToString() : null);
                    yield return fields.ToArray();
                    fields.Clear(); sb.Clear(); quoted = false; any = false;
                    break;
                default: sb.Append(ch); break;
            }
        }
        if (inQuotes) throw new InvalidDataException("the file ends inside a quoted field");
        if (any)
        {
            fields.Add(quoted || sb.Length > 0 ? sb.ToString() : null);
            yield return fields.ToArray();
        }
    }
}
