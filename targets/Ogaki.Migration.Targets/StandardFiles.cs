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

    /// <summary>True when <see cref="FieldName"/> is not an official name: the row is provisional (our own ローマ字) or has none.</summary>
    public static bool IsProvisional(SpecItem item) => item.Status == SpecStatus.Provisional || item.Official?.FieldName is not { Length: > 0 };

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

    /// <summary>住所_町字コード when the address has no 町字 (official sheets).</summary>
    public const string NoMachiaza = "0000000";

    /// <summary>住所_町字コード when the 町字 is not in the ABR master (official sheets).</summary>
    public const string MachiazaNotInAbr = "9999999";

    /// <summary>
    /// The …町字コード items of an entity with their …町字 text item and the other items of the same address
    /// (same name prefix). The mapping leaves the code empty when it has no ABR 町字ID; the official file says why:
    /// <see cref="MachiazaNotInAbr"/> when the 町字 text is there, <see cref="NoMachiaza"/> when the address is there
    /// without a 町字, empty when there is no address at all. A code item without a 町字 item is written as it is.
    /// </summary>
    public static IReadOnlyList<(int Code, int Text, int[] Address)> MachiazaCodes(SpecEntity entity)
    {
        var list = new List<(int, int, int[])>();
        foreach (var code in entity.Items.Where(i => i.NameJa.EndsWith("町字コード", StringComparison.Ordinal)))
        {
            var prefix = code.NameJa[..^"町字コード".Length];
            var text = entity.Items.FirstOrDefault(i => i.NameJa == prefix + "町字");
            if (text is null) continue;
            var address = entity.Items.Where(i => i.NameJa.StartsWith(prefix, StringComparison.Ordinal) && i != code).Select(i => i.Ordinal).ToArray();
            list.Add((code.Ordinal, text.Ordinal, address));
        }
        return list;
    }

    /// <summary>Fills the empty 町字コード items of a row with the official 0000000 / 9999999 (see <see cref="MachiazaCodes"/>).</summary>
    public static void FillMachiazaCodes(object?[] values, IReadOnlyList<(int Code, int Text, int[] Address)> rules)
    {
        foreach (var (code, text, address) in rules)
        {
            if (values[code] is not null) continue;
            if (values[text] is string { Length: > 0 }) values[code] = MachiazaNotInAbr;
            else if (address.Any(o => values[o] is not null)) values[code] = NoMachiaza;
        }
    }

    /// <summary>The reverse of <see cref="FillMachiazaCodes"/> when reading a file back: the two markers are no ABR id.</summary>
    public static void EmptyMachiazaCodes(object?[] values, IReadOnlyList<(int Code, int Text, int[] Address)> rules)
    {
        foreach (var (code, _, _) in rules)
            if (values[code] is NoMachiaza or MachiazaNotInAbr) values[code] = null;
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
