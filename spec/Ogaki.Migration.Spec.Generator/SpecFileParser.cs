// Shared by the source generator (netstandard2.0) and the run-time spec loader (net10.0), so both read
// the spec files with exactly the same rules and report exactly the same problems.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Ogaki.Migration.Spec.Parsing;

/// <summary>What kind of spec file a path holds, decided by its place under <c>standard/&lt;version&gt;/</c>.</summary>
internal enum SpecFileKind
{
    Unknown,
    Entities,
    Items,
    CodeTable,
}

/// <summary>A problem in a spec file: file, 1-based line, diagnostic id and what is wrong.</summary>
internal sealed record SpecProblem(string Path, int Line, string Id, string Message)
{
    public override string ToString() => $"{Path}({Line}): {Id}: {Message}";
}

internal sealed record EntityRow(int Line, string Name, string Area, string AreaNameJa, string NameJa, string Key, string Table, string Status, string Notes);

internal sealed record ItemRow(int Line, string ItemId, string Entity, string NameJa, string Identifier, string Type, int Length, string Required, string CodeTable, string Notes, string Status, OfficialItemRow? Official = null);

/// <summary>The official columns of an item row in the 基本データリスト shape (see <see cref="SpecFileParser.OfficialItemColumns"/>).</summary>
internal sealed record OfficialItemRow(string DataType, string Digits, string FieldName, string Group, bool PrimaryKey, bool ForeignKey, string Code, string Repeat, string OutputCondition, string Condition, string SpecReference, bool Implementation);

internal sealed record CodeValueRow(int Line, string Code, string NameJa, string Identifier, string Status, string Notes);

internal sealed record CodeTableDef(string Path, string TableId, string Identifier, string NameJa, string Status, string Notes, EquatableArray<CodeValueRow> Values);

/// <summary>One parsed spec file. Plain values only, so the generator can cache it.</summary>
internal sealed record ParsedSpecFile(
    string Path,
    string Version,
    SpecFileKind Kind,
    EquatableArray<EntityRow> Entities,
    EquatableArray<ItemRow> Items,
    CodeTableDef? CodeTable,
    EquatableArray<SpecProblem> Problems);

/// <summary>An entity with its items, after all files of one version are put together.</summary>
internal sealed record EntityModel(EntityRow Row, EquatableArray<ItemRow> Items);

/// <summary>A whole spec version: entities, code tables and every problem found.</summary>
internal sealed record SpecModel(string Version, EquatableArray<EntityModel> Entities, EquatableArray<CodeTableDef> CodeTables, EquatableArray<SpecProblem> Problems);

internal static class SpecFileParser
{
    public const string MalformedRow = "OGSPEC001";
    public const string UnknownType = "OGSPEC002";
    public const string DuplicateItemId = "OGSPEC003";
    public const string BadLength = "OGSPEC004";
    public const string BadRequired = "OGSPEC005";
    public const string UnknownCodeTable = "OGSPEC006";
    public const string UnknownEntity = "OGSPEC007";
    public const string BadIdentifier = "OGSPEC008";
    public const string BadCodeTable = "OGSPEC009";
    public const string MixedVersions = "OGSPEC010";

    /// <summary>Our item types (column <c>type</c>): what the value is checked and stored as, within its official データ型.</summary>
    public static readonly string[] ItemTypes = ["text", "kana", "digits", "int", "amount", "decimal", "date", "time", "yearmonth", "flag", "code", "blob"];
    public static readonly string[] Statuses = ["confirmed", "secondary", "provisional"];

    /// <summary>
    /// Header of an items file: the official 基本データリスト columns by their official names (the ※※ condition of
    /// 条件付き必須 in a column of its own), then three optional columns of ours: <c>identifier</c> (the C# name; default
    /// the ローマ字 name in PascalCase), <c>type</c> (our narrower item type; default derived from データ型 and コード) and
    /// <c>status</c> (default <c>confirmed</c>, as rows come from an official workbook).
    /// </summary>
    public static readonly string[] OfficialItemColumns =
        ["データ項目ID", "データ項目", "データ項目（ローマ字）", "グループ", "主キー", "外部キー", "データ型", "桁数", "コード", "繰り返し", "データ出力条件", "条件付き必須の条件", "項目定義", "標準仕様書関連箇所", "実装類型"];

    /// <summary>データ型 of the official shape (the 凡例）データ型 sheet); <c>Ｎ</c> is the full-width letter.</summary>
    public static readonly string[] OfficialTypes = ["X", "Ｎ", "9", "9V", "S9", "YEAR", "DATE", "TIME", "BLOB"];

    /// <summary>The code ID for codes the municipality defines itself (自治体固有コード): no code table to check against.</summary>
    public const string MunicipalCode = "999";

    static readonly string[] EntityColumns = ["entity", "area", "area_name_ja", "name_ja", "key", "table", "status", "notes"];
    static readonly string[] CodeColumns = ["code", "name_ja", "identifier", "status", "notes"];

    /// <summary>Classifies <c>…/standard/&lt;version&gt;/entities.csv</c>, <c>…/items/*.csv</c> and <c>…/codes/*.csv</c>.</summary>
    public static SpecFileKind Classify(string path, out string version)
    {
        var parts = path.Replace('\\', '/').Split('/');
        version = "";
        var n = parts.Length;
        if (n >= 3 && parts[n - 1] == "entities.csv" && parts[n - 3] == "standard")
        {
            version = parts[n - 2];
            return SpecFileKind.Entities;
        }
        if (n >= 4 && parts[n - 4] == "standard" && parts[n - 1].EndsWith(".csv", StringComparison.Ordinal))
        {
            version = parts[n - 3];
            return parts[n - 2] switch
            {
                "items" => SpecFileKind.Items,
                "codes" => SpecFileKind.CodeTable,
                _ => SpecFileKind.Unknown,
            };
        }
        return SpecFileKind.Unknown;
    }

    public static ParsedSpecFile Parse(string path, string text)
    {
        var kind = Classify(path, out var version);
        var problems = new List<SpecProblem>();
        var entities = new List<EntityRow>();
        var items = new List<ItemRow>();
        CodeTableDef? table = null;
        var lines = SplitLines(text);
        switch (kind)
        {
            case SpecFileKind.Entities:
                ReadTable(path, lines, 0, EntityColumns, problems, (line, f) =>
                    entities.Add(new EntityRow(line, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7])));
                foreach (var e in entities)
                {
                    CheckIdentifier(path, e.Line, "entity", e.Name, problems);
                    CheckStatus(path, e.Line, e.Status, problems);
                }
                break;
            case SpecFileKind.Items:
                ReadOfficialItems(path, lines, problems, items);
                break;
            case SpecFileKind.CodeTable:
                table = ReadCodeTable(path, lines, problems);
                break;
        }
        return new ParsedSpecFile(path, version, kind, new(entities.ToArray()), new(items.ToArray()), table, new(problems.ToArray()));
    }

    /// <summary>Puts the files of one version together and checks what only the whole can show.</summary>
    public static SpecModel Build(IEnumerable<ParsedSpecFile> files)
    {
        var all = files.Where(f => f.Kind != SpecFileKind.Unknown).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var problems = new List<SpecProblem>(all.SelectMany(f => f.Problems));
        var versions = all.Select(f => f.Version).Distinct().ToList();
        var version = versions.Count == 0 ? "" : versions[0];
        if (versions.Count > 1)
            problems.Add(new SpecProblem(all[0].Path, 1, MixedVersions, $"spec files of several versions in one compilation: {string.Join(", ", versions)}"));

        var tables = all.Where(f => f.CodeTable is not null).Select(f => f.CodeTable!).OrderBy(t => t.TableId, StringComparer.Ordinal).ToList();
        var tableIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tables)
            if (!tableIds.Add(t.TableId))
                problems.Add(new SpecProblem(t.Path, 1, BadCodeTable, $"code table {t.TableId} is defined twice"));

        var entityRows = all.SelectMany(f => f.Entities.Select(e => (f.Path, e))).ToList();
        var itemRows = all.SelectMany(f => f.Items.Select(i => (f.Path, i))).ToList();
        var seenIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var entities = new List<EntityModel>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, e) in entityRows)
        {
            if (!known.Add(e.Name))
            {
                problems.Add(new SpecProblem(path, e.Line, MalformedRow, $"entity {e.Name} is defined twice"));
                continue;
            }
            var own = new List<ItemRow>();
            var ownPaths = new List<string>();
            var identifiers = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (ipath, i) in itemRows)
            {
                if (i.Entity != e.NameJa) continue;
                if (seenIds.TryGetValue(i.ItemId, out var first))
                {
                    problems.Add(new SpecProblem(ipath, i.Line, DuplicateItemId, $"item id {i.ItemId} is used twice (first at {first})"));
                    continue;
                }
                seenIds[i.ItemId] = $"{ipath}({i.Line})";
                if (!identifiers.Add(i.Identifier))
                {
                    problems.Add(new SpecProblem(ipath, i.Line, BadIdentifier, $"item {i.ItemId}: identifier {i.Identifier} is used twice in entity {e.Name}"));
                    continue;
                }
                if (i.CodeTable.Length > 0 && !tableIds.Contains(i.CodeTable))
                {
                    problems.Add(new SpecProblem(ipath, i.Line, UnknownCodeTable, $"item {i.ItemId}: code table {i.CodeTable} has no file under codes/"));
                    continue;
                }
                own.Add(i);
                ownPaths.Add(ipath);
            }
            foreach (var k in e.Key.Split('+'))
                if (!identifiers.Contains(k))
                    problems.Add(new SpecProblem(path, e.Line, MalformedRow, $"entity {e.Name}: key item {k} is not one of its items"));
            CheckUnknownDatePairs(ownPaths, e.Name, own, problems);
            entities.Add(new EntityModel(e, new(own.ToArray())));
        }
        var groups = new HashSet<string>(entityRows.Select(x => x.e.NameJa), StringComparer.Ordinal);
        foreach (var (ipath, i) in itemRows)
            if (!groups.Contains(i.Entity))
                problems.Add(new SpecProblem(ipath, i.Line, UnknownEntity, $"item {i.ItemId}: グループ '{i.Entity}' is not the name_ja of an entity in entities.csv"));
        return new SpecModel(version, new(entities.ToArray()), new(tables.ToArray()), new(problems.ToArray()));
    }

    /// <summary>
    /// Reads an items file (official shape). Our item type is the <c>type</c> column when given, checked against the
    /// データ型 it narrows (kana is Ｎ, digits X or 9, flag 9 or X of 1 digit, …); otherwise derived: X and Ｎ → text
    /// (code with a コード), 9 → int up to 9 digits, digits beyond (code with a コード), S9 → amount, 9V → decimal,
    /// YEAR → int, DATE → date, TIME → time, BLOB → blob. The C# identifier is the <c>identifier</c> column when given,
    /// else the ローマ字 name in PascalCase; the entity is the グループ, matched against the name_ja of entities.csv.
    /// </summary>
    static void ReadOfficialItems(string path, List<string> lines, List<SpecProblem> problems, List<ItemRow> items)
    {
        if (lines.Count == 0)
        {
            problems.Add(new SpecProblem(path, 1, MalformedRow, $"the header row is missing (expected {string.Join(",", OfficialItemColumns)})"));
            return;
        }
        var header = SplitCsv(lines[0]);
        var extras = new[] { "identifier", "type", "status" }.Where(c => Array.IndexOf(header, c) >= 0).ToArray();
        var columns = OfficialItemColumns.Concat(extras).ToArray();
        string Extra(string[] f, string name)
        {
            var at = Array.IndexOf(extras, name);
            return at < 0 ? "" : f[OfficialItemColumns.Length + at];
        }
        ReadTable(path, lines, 0, columns, problems, (line, f) =>
        {
            var id = f[0];
            if (id.Length != 8 || !id.All(c => c >= '0' && c <= '9'))
            {
                problems.Add(new SpecProblem(path, line, MalformedRow, $"データ項目ID '{id}' is not 8 digits (3-digit 基幹業務コード + 5-digit 項目コード)"));
                return;
            }
            var romaji = f[2];
            if (romaji.Length == 0 || !(romaji[0] >= 'a' && romaji[0] <= 'z') || !romaji.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            {
                problems.Add(new SpecProblem(path, line, BadIdentifier, $"item {id}: ローマ字 field name '{romaji}' is not lower-case snake_case"));
                return;
            }
            var dataType = f[6];
            if (Array.IndexOf(OfficialTypes, dataType) < 0)
            {
                problems.Add(new SpecProblem(path, line, UnknownType, $"item {id}: unknown データ型 '{dataType}' (expected one of {string.Join(", ", OfficialTypes)})"));
                return;
            }
            var digits = f[7];
            var comma = digits.IndexOf(",", StringComparison.Ordinal);
            var whole = dataType == "9V" && comma > 0 ? digits.Substring(0, comma) : digits;
            var length = 0;
            var lengthOk = dataType == "BLOB" && digits.Length == 0
                || (int.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out length) && length > 0
                    && (dataType != "9V" || (comma > 0 && int.TryParse(digits.Substring(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))));
            if (!lengthOk)
            {
                problems.Add(new SpecProblem(path, line, BadLength, $"item {id}: 桁数 '{digits}' is not a positive whole number" + (dataType == "9V" ? " pair n,m" : "")));
                return;
            }
            var required = f[10] switch { "必須" => "M", "条件付き必須" => "C", "任意" => "O", _ => "" };
            if (required.Length == 0)
            {
                problems.Add(new SpecProblem(path, line, BadRequired, $"item {id}: データ出力条件 '{f[10]}' must be 必須, 条件付き必須 or 任意"));
                return;
            }
            // コード: an official code ID (digits), or a code table of ours (CT-…), which is never presented as official.
            var code = f[8];
            var ours = code.StartsWith("CT-", StringComparison.Ordinal);
            if (code.Length > 0 && !ours && !code.All(c => c >= '0' && c <= '9'))
            {
                problems.Add(new SpecProblem(path, line, BadCodeTable, $"item {id}: コード '{code}' is neither a code ID nor a CT- code table"));
                return;
            }
            foreach (var (value, name) in new[] { (f[4], "主キー"), (f[5], "外部キー"), (f[14], "実装類型") })
            {
                if (value.Length > 0 && value != "○")
                {
                    problems.Add(new SpecProblem(path, line, MalformedRow, $"item {id}: {name} '{value}' must be ○ or empty"));
                    return;
                }
            }
            var status = Extra(f, "status") is { Length: > 0 } st ? st : "confirmed";
            var table = code.Length == 0 || code.TrimStart('0') == MunicipalCode ? "" : ours ? code : OfficialCodeTableId(id, code);
            var type = Extra(f, "type") is { Length: > 0 } given ? given : dataType switch
            {
                "X" or "Ｎ" => table.Length > 0 ? "code" : "text",
                "9" => table.Length > 0 ? "code" : length <= 9 ? "int" : "digits",
                "S9" => "amount",
                "9V" => "decimal",
                "YEAR" => "int",
                "DATE" => "date",
                "TIME" => "time",
                _ => "blob",
            };
            if (Array.IndexOf(ItemTypes, type) < 0)
            {
                problems.Add(new SpecProblem(path, line, UnknownType, $"item {id}: unknown type '{type}' (expected one of {string.Join(", ", ItemTypes)})"));
                return;
            }
            if (!Narrows(type, dataType, length, table.Length > 0))
            {
                problems.Add(new SpecProblem(path, line, UnknownType, $"item {id}: type '{type}' does not fit データ型 {dataType}({digits})" + (type == "code" ? " with a コード" : "")));
                return;
            }
            var identifier = Extra(f, "identifier") is { Length: > 0 } ident ? ident : PascalCase(romaji);
            if (!CheckIdentifier(path, line, $"item {id}", identifier, problems)) return;
            var official = new OfficialItemRow(dataType, digits, romaji, f[3], f[4] == "○", f[5] == "○", code, f[9], f[10], f[11], f[13], f[14] == "○");
            CheckStatus(path, line, status, problems);
            items.Add(new ItemRow(line, id, f[3], f[1], identifier, type, length, required, table, f[12], status, official));
        });
    }

    /// <summary>Whether our item type fits within the official データ型 (and needs or refuses a コード).</summary>
    static bool Narrows(string type, string dataType, int length, bool hasCode) => type switch
    {
        "code" => hasCode && dataType is "X" or "Ｎ" or "9",
        _ when hasCode => false,
        "text" => dataType is "X" or "Ｎ",
        "kana" => dataType == "Ｎ",
        "digits" => dataType is "X" or "9",
        "int" => dataType is "9" or "S9" or "YEAR",
        "amount" => dataType is "S9" or "9",
        "decimal" => dataType == "9V",
        "date" => dataType == "DATE",
        "time" => dataType == "TIME",
        "yearmonth" => dataType == "X" && length == 7,
        "flag" => dataType is "9" or "X" && length == 1,
        "blob" => dataType == "BLOB",
        _ => false,
    };

    /// <summary>Suffixes of the item pair that carries an unknown date (不詳日), as the official sheets name them.</summary>
    public const string UnknownFlagSuffix = "_不詳フラグ";
    public const string UnknownTextSuffix = "_不詳表記";

    /// <summary>The name 〇〇 of the DATE item a 不詳 pair item 〇〇<paramref name="suffix"/> belongs to, or null for another name.</summary>
    public static string? UnknownDateName(string itemName, string suffix) =>
        itemName.EndsWith(suffix, StringComparison.Ordinal) ? itemName.Substring(0, itemName.Length - suffix.Length) : null;

    /// <summary>
    /// The 〇〇_不詳フラグ and 〇〇_不詳表記 rows of the DATE row 〇〇, when it has both (the generator's view of what
    /// <c>SpecEntity.UnknownDatePair</c> gives at run time, by the same names).
    /// </summary>
    public static (ItemRow Flag, ItemRow Text)? UnknownDatePair(IEnumerable<ItemRow> items, ItemRow date)
    {
        if (date.Type != "date") return null;
        ItemRow? flag = null, text = null;
        foreach (var i in items)
        {
            if (UnknownDateName(i.NameJa, UnknownFlagSuffix) == date.NameJa) flag = i;
            else if (UnknownDateName(i.NameJa, UnknownTextSuffix) == date.NameJa) text = i;
        }
        return flag is not null && text is not null ? (flag, text) : null;
    }

    // An item 〇〇_不詳フラグ or 〇〇_不詳表記 belongs to the DATE item 〇〇 of the same entity: the flag is a flag and the
    // 表記 is text of at most 72 characters, or the pair could not carry what the standard (§1.1.8) puts in it.
    static void CheckUnknownDatePairs(List<string> paths, string entity, List<ItemRow> own, List<SpecProblem> problems)
    {
        for (var n = 0; n < own.Count; n++)
        {
            var (i, path) = (own[n], paths[n]);
            var suffix = UnknownFlagSuffix;
            var baseName = UnknownDateName(i.NameJa, suffix);
            if (baseName is null) baseName = UnknownDateName(i.NameJa, suffix = UnknownTextSuffix);
            if (baseName is null) continue;
            if (!own.Any(d => d.NameJa == baseName && d.Type == "date"))
                problems.Add(new SpecProblem(path, i.Line, MalformedRow, $"item {i.ItemId}: {i.NameJa} has no DATE item {baseName} in entity {entity}"));
            else if (suffix == UnknownFlagSuffix ? i.Type != "flag" : i.Type != "text" || i.Length > 72)
                problems.Add(new SpecProblem(path, i.Line, UnknownType, $"item {i.ItemId}: {i.NameJa} must be " + (suffix == UnknownFlagSuffix ? "a flag" : "text of at most 72 characters")));
        }
    }

    /// <summary>The code table id of an official code ID: 基幹業務コード + the 3-digit code ID, e.g. 031-001.</summary>
    public static string OfficialCodeTableId(string itemId, string code)
    {
        var trimmed = code.TrimStart('0');
        return itemId.Substring(0, 3) + "-" + (trimmed.Length == 0 ? "0" : trimmed).PadLeft(3, '0');
    }

    /// <summary>jusho_choazakodo → JushoChoazakodo.</summary>
    public static string PascalCase(string snake)
    {
        var sb = new StringBuilder(snake.Length);
        foreach (var part in snake.Split('_'))
            if (part.Length > 0) sb.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        return sb.ToString();
    }

    static CodeTableDef? ReadCodeTable(string path, List<string> lines, List<SpecProblem> problems)
    {
        if (lines.Count == 0 || !lines[0].StartsWith("#", StringComparison.Ordinal))
        {
            problems.Add(new SpecProblem(path, 1, BadCodeTable, "a code table starts with a header line '# table_id=…;identifier=…;name_ja=…;status=…;notes=…'"));
            return null;
        }
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in lines[0].Substring(1).Split(';'))
        {
            var eq = part.IndexOf("=", StringComparison.Ordinal);
            if (eq > 0) header[part.Substring(0, eq).Trim()] = part.Substring(eq + 1).Trim();
        }
        string Get(string key) => header.TryGetValue(key, out var v) ? v : "";
        var tableId = Get("table_id");
        var identifier = Get("identifier");
        var status = Get("status");
        if (tableId.Length == 0 || identifier.Length == 0 || status.Length == 0)
        {
            problems.Add(new SpecProblem(path, 1, BadCodeTable, "the header line needs table_id, identifier and status"));
            return null;
        }
        CheckIdentifier(path, 1, $"code table {tableId}", identifier, problems);
        CheckStatus(path, 1, status, problems);
        var values = new List<CodeValueRow>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        ReadTable(path, lines, 1, CodeColumns, problems, (line, f) =>
        {
            if (f[0].Length == 0 || !codes.Add(f[0]))
            {
                problems.Add(new SpecProblem(path, line, BadCodeTable, $"code '{f[0]}' is empty or appears twice"));
                return;
            }
            if (f[2].Length > 0 && !CheckIdentifier(path, line, $"code {f[0]}", f[2], problems)) return;
            CheckStatus(path, line, f[3], problems);
            values.Add(new CodeValueRow(line, f[0], f[1], f[2], f[3], f[4]));
        });
        return new CodeTableDef(path, tableId, identifier, Get("name_ja"), status, Get("notes"), new(values.ToArray()));
    }

    static void ReadTable(string path, List<string> lines, int first, string[] columns, List<SpecProblem> problems, Action<int, string[]> row)
    {
        if (lines.Count <= first)
        {
            problems.Add(new SpecProblem(path, first + 1, MalformedRow, $"the header row is missing (expected {string.Join(",", columns)})"));
            return;
        }
        var header = SplitCsv(lines[first]);
        var index = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            index[c] = Array.IndexOf(header, columns[c]);
            if (index[c] < 0)
            {
                problems.Add(new SpecProblem(path, first + 1, MalformedRow, $"column '{columns[c]}' is missing from the header"));
                return;
            }
        }
        for (var i = first + 1; i < lines.Count; i++)
        {
            if (lines[i].Length == 0) continue;
            var fields = SplitCsv(lines[i]);
            if (fields.Length != header.Length)
            {
                problems.Add(new SpecProblem(path, i + 1, MalformedRow, $"row has {fields.Length} fields, the header has {header.Length}"));
                continue;
            }
            var picked = new string[columns.Length];
            for (var c = 0; c < columns.Length; c++) picked[c] = fields[index[c]].Trim();
            row(i + 1, picked);
        }
    }

    static bool CheckIdentifier(string path, int line, string what, string identifier, List<SpecProblem> problems)
    {
        var ok = identifier.Length > 0 && (char.IsLetter(identifier[0]) || identifier[0] == '_')
            && identifier.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '_'));
        if (!ok) problems.Add(new SpecProblem(path, line, BadIdentifier, $"{what}: identifier '{identifier}' is not an ASCII C# identifier"));
        return ok;
    }

    static void CheckStatus(string path, int line, string status, List<SpecProblem> problems)
    {
        if (Array.IndexOf(Statuses, status) < 0)
            problems.Add(new SpecProblem(path, line, MalformedRow, $"status '{status}' must be confirmed, secondary or provisional"));
    }

    static List<string> SplitLines(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        var lines = new List<string>(text.Split('\n'));
        for (var i = 0; i < lines.Count; i++)
            if (lines[i].EndsWith("\r", StringComparison.Ordinal)) lines[i] = lines[i].Substring(0, lines[i].Length - 1);
        while (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    /// <summary>RFC 4180 fields of one line: commas separate, double quotes enclose, "" is a quote.</summary>
    internal static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields.ToArray();
    }
}

/// <summary>An immutable array with value equality, so models built from it compare by content.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    readonly T[]? _items;

    public EquatableArray(T[] items) => _items = items;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => _items![index];

    public bool Equals(EquatableArray<T> other)
    {
        var a = _items ?? [];
        var b = other._items ?? [];
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
            if (!EqualityComparer<T>.Default.Equals(a[i], b[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var h = 17;
        foreach (var item in _items ?? []) h = unchecked(h * 31 + (item?.GetHashCode() ?? 0));
        return h;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
