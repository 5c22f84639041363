using System.Text;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>
/// A small RFC 4180 reader for the configuration files a migration team edits: UTF-8 (BOM optional),
/// LF or CRLF, a header row, quoted fields with doubled quotes, lines starting with <c>#</c> before the
/// header are comments. Columns are looked up by header name.
/// </summary>
public sealed class CsvTable
{
    readonly Dictionary<string, int> _columns;

    CsvTable(string source, string[] header, List<(int Line, string[] Fields)> rows)
    {
        Source = source;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++) _columns.TryAdd(header[i], i);
    }

    /// <summary>File name for messages.</summary>
    public string Source { get; }

    public IReadOnlyList<string> Header { get; }

    /// <summary>Data rows with their 1-based line numbers.</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    /// <summary>The value of a column in a row; empty when the row is short or the column is absent.</summary>
    public string Get(string[] row, string column) =>
        _columns.TryGetValue(column, out var i) && i < row.Length ? row[i] : "";

    public static CsvTable Load(string path) => Parse(Path.GetFileName(path), File.ReadAllText(path, new UTF8Encoding(false)));

    public static CsvTable Parse(string source, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var records = new List<(int Line, string[] Fields)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var atFieldStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    continue;
                }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    i++;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    i++;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    i++;
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields.ToArray()));
                    fields.Clear();
                    atFieldStart = true;
                    line++;
                    recordLine = line;
                    i++;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    i++;
                    break;
            }
        }
        if (quoted) throw new MappingConfigException($"{source}: unterminated quoted field starting on line {recordLine}");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }
        var k = 0;
        while (k < records.Count && (records[k].Fields.Length == 0 || records[k].Fields[0].StartsWith('#') || IsBlank(records[k].Fields))) k++;
        if (k == records.Count) throw new MappingConfigException($"{source}: no header row");
        var header = records[k].Fields.Select(h => h.Trim()).ToArray();
        var rows = records.Skip(k + 1).Where(r => !IsBlank(r.Fields) && !r.Fields[0].StartsWith('#')).ToList();
        return new CsvTable(source, header, rows);
    }

    static bool IsBlank(string[] fields) => fields.All(f => f.Length == 0);
}

/// <summary>A configuration file that cannot be used: the run stops before reading any data.</summary>
public sealed class MappingConfigException(string message) : InputFormatException(message);
