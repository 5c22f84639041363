using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Ogaki.Migration.Spec.Parsing;

namespace Ogaki.Migration.Spec.Import;

/// <summary>What <see cref="OfficialWorkbookImporter.Import"/> wrote.</summary>
public sealed record ImportResult(string Version, int Items, IReadOnlyList<string> Groups, IReadOnlyList<string> CodeTables, IReadOnlyList<string> Files);

/// <summary>
/// Turns an official 基本データリスト / 項目定義書 workbook (item sheet + コード一覧 sheet, the Digital Agency layout) into
/// the spec files of one version: <c>items/&lt;基幹業務コード&gt;.csv</c> in the official shape, <c>codes/&lt;業務&gt;-&lt;コードID&gt;.csv</c>,
/// <c>entities.csv</c> (one entity per グループ, its C# name derived and marked provisional) and <c>SOURCE.md</c>.
/// Every cell it cannot read is reported with sheet, row and column; nothing is written then.
/// </summary>
public static class OfficialWorkbookImporter
{
    // Item sheet columns (row of 「データ項目ID」 and the sub-header row under it).
    static readonly (string Column, string Header)[] ItemHeader =
    [
        ("B", "データ項目ID"), ("D", "データ項目"), ("E", "データ項目（ローマ字）"), ("F", "グループ"), ("L", "データ型"), ("M", "桁数"),
        ("N", "コード"), ("O", "繰り返し"), ("P", "データ出力条件"), ("Q", "項目定義"), ("R", "項目説明"), ("S", "標準仕様書関連箇所"), ("T", "実装類型"),
    ];

    static readonly (string Column, string Header)[] ItemSubHeader = [("F", "名称"), ("G", "主キー"), ("H", "外部キー")];

    static readonly (string Column, string Header)[] CodeHeader = [("A", "コードID"), ("B", "コード名"), ("C", "コード値"), ("D", "コード値の内容"), ("E", "備考")];

    sealed record Item(string Sheet, int Row, string Id, string Name, string Romaji, string Group, bool Pk, bool Fk, string Type, string Digits, string Code, string Repeat,
        string Output, string Condition, string Definition, string SpecReference, bool Implementation);

    sealed record CodeList(string Sheet, int Row, string Id, string Name, List<(string Code, string Name, string Note)> Values);

    /// <summary>Reads <paramref name="workbookPath"/> and writes the spec files into <paramref name="outDir"/> (its name is the version).</summary>
    /// <param name="attribution">The 出典 text the licence asks for, written to SOURCE.md.</param>
    /// <exception cref="WorkbookImportException">A cell, sheet or the file could not be read, or the output folder is not empty.</exception>
    public static ImportResult Import(string workbookPath, string outDir, string? attribution = null)
    {
        var workbook = Path.GetFileName(workbookPath);
        var version = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)));
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new WorkbookImportException(workbook, [new("", 0, "", $"the output folder {outDir} is not empty; import into a new version folder")]);

        IReadOnlyList<WorkbookSheet> sheets;
        try
        {
            using var document = SpreadsheetDocument.Open(workbookPath, isEditable: false);
            sheets = WorkbookSheet.ReadAll(document);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException or UnauthorizedAccessException or System.Xml.XmlException or FormatException)
        {
            throw new WorkbookImportException(workbook, [new("", 0, "", $"not a readable .xlsx workbook: {e.Message}")]);
        }

        var problems = new List<WorkbookProblem>();
        var items = new List<Item>();
        var businessArea = "";
        foreach (var sheet in sheets)
        {
            // The legend sheet 凡例）列項目説明 names the same columns; an item sheet also has the ローマ字 column in E.
            var header = sheet.Rows.FirstOrDefault(r => sheet[r, "B"] == "データ項目ID" && sheet[r, "E"] == "データ項目（ローマ字）");
            if (header == 0) continue;
            if (businessArea.Length == 0) businessArea = AreaName(sheet[1, "B"]);
            CheckHeader(sheet, header, ItemHeader, problems);
            CheckHeader(sheet, header + 1, ItemSubHeader, problems);
            foreach (var row in sheet.Rows.Where(r => r > header + 1))
                if (ReadItem(sheet, row, problems) is { } item) items.Add(item);
        }
        if (items.Count == 0 && problems.Count == 0)
            problems.Add(new("", 0, "", "no item sheet found (a sheet with 「データ項目ID」 in column B and 「データ項目（ローマ字）」 in column E)"));

        var codeLists = new List<CodeList>();
        foreach (var sheet in sheets)
        {
            var header = sheet.Rows.FirstOrDefault(r => sheet[r, "A"] == "コードID" && sheet[r, "B"] == "コード名");
            if (header == 0) continue;
            CheckHeader(sheet, header, CodeHeader, problems);
            ReadCodes(sheet, header, codeLists, problems);
        }

        CheckItems(items, codeLists, problems);
        if (problems.Count > 0) throw new WorkbookImportException(workbook, problems);

        return Write(workbookPath, outDir, version, businessArea, attribution, items, codeLists);
    }

    static void CheckHeader(WorkbookSheet sheet, int row, (string Column, string Header)[] expected, List<WorkbookProblem> problems)
    {
        foreach (var (column, text) in expected)
            if (sheet[row, column] != text)
                problems.Add(new(sheet.Name, row, column, $"expected the header 「{text}」, found 「{sheet[row, column]}」"));
    }

    static Item? ReadItem(WorkbookSheet sheet, int row, List<WorkbookProblem> problems)
    {
        string Cell(string c) => sheet[row, c];
        if (Cell("B").Length == 0 && Cell("C").Length == 0)
        {
            // Blank rows and the sheet's end-of-table marker row (every cell 「e」) are not items.
            var cells = sheet.CellsOf(row).ToList();
            if (cells.All(c => c.Text == "e")) return null;
            problems.Add(new(sheet.Name, row, "B", "データ項目ID is empty in a row that has other values"));
            return null;
        }
        var before = problems.Count;
        void Bad(string column, string message) => problems.Add(new(sheet.Name, row, column, message));
        var area = Cell("B");
        if (area.Length != 3 || !area.All(char.IsAsciiDigit)) Bad("B", $"データ項目ID (基幹業務コード) 「{area}」 is not 3 digits");
        var number = Cell("C");
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 99999)
            Bad("C", $"データ項目ID (項目コード) 「{number}」 is not a whole number 1–99999");
        var name = Cell("D");
        if (name.Length == 0) Bad("D", "データ項目 is empty");
        var romaji = Cell("E");
        if (romaji.Length == 0 || !char.IsAsciiLetterLower(romaji[0]) || !romaji.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            Bad("E", $"データ項目（ローマ字） 「{romaji}」 is not lower-case snake_case");
        var group = Cell("F");
        if (group.Length == 0) Bad("F", "グループ名称 is empty");
        foreach (var c in new[] { "G", "H", "T" })
            if (Cell(c) is { Length: > 0 } mark && mark != "○") Bad(c, $"「{mark}」 must be ○ or empty");
        var type = Cell("L");
        if (Array.IndexOf(SpecFileParser.OfficialTypes, type) < 0)
            Bad("L", $"データ型 「{type}」 is not one of {string.Join(", ", SpecFileParser.OfficialTypes)}");
        var digits = Cell("M").Replace('，', ',').Replace(" ", "", StringComparison.Ordinal);
        var digitsOk = type switch
        {
            "BLOB" => digits.Length == 0 || IsPositive(digits),
            "9V" => digits.Split(',') is [var whole, var fraction] && IsPositive(whole) && int.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => IsPositive(digits),
        };
        if (!digitsOk) Bad("M", $"桁数 「{Cell("M")}」 is not " + (type == "9V" ? "n,m" : "a positive whole number"));
        var code = Cell("N");
        if (code.Length > 0 && !code.All(char.IsAsciiDigit)) Bad("N", $"コード 「{code}」 is not a code ID");
        var output = Cell("P");
        if (output is not ("必須" or "条件付き必須" or "任意")) Bad("P", $"データ出力条件 「{output}」 must be 必須, 条件付き必須 or 任意");
        if (problems.Count > before) return null;
        return new Item(sheet.Name, row, area + n.ToString("D5", CultureInfo.InvariantCulture), name, romaji, group, Cell("G") == "○", Cell("H") == "○", type, digits, code,
            Cell("O"), output, Condition(Cell("R")), Cell("Q"), Cell("S"), Cell("T") == "○");
    }

    static bool IsPositive(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0;

    /// <summary>The condition of 条件付き必須: the text after 「※※」 in 項目説明, to the end of its line.</summary>
    static string Condition(string description)
    {
        var at = description.IndexOf("※※", StringComparison.Ordinal);
        if (at < 0) return "";
        var rest = description[(at + 2)..];
        var end = rest.IndexOfAny(['\r', '\n']);
        return (end < 0 ? rest : rest[..end]).Trim();
    }

    static void ReadCodes(WorkbookSheet sheet, int header, List<CodeList> lists, List<WorkbookProblem> problems)
    {
        CodeList? current = null;
        foreach (var row in sheet.Rows.Where(r => r > header))
        {
            var id = sheet[row, "A"];
            if (id.Length > 0)
            {
                if (!id.All(char.IsAsciiDigit))
                {
                    problems.Add(new(sheet.Name, row, "A", $"コードID 「{id}」 is not a number"));
                    current = null;
                    continue;
                }
                if (lists.Any(l => l.Id.TrimStart('0') == id.TrimStart('0')))
                    problems.Add(new(sheet.Name, row, "A", $"コードID {id} appears twice"));
                if (sheet[row, "B"].Length == 0) problems.Add(new(sheet.Name, row, "B", "コード名 is empty"));
                current = new CodeList(sheet.Name, row, id, sheet[row, "B"], []);
                lists.Add(current);
            }
            var value = sheet[row, "C"];
            if (value.Length == 0)
            {
                if (sheet[row, "D"].Length > 0) problems.Add(new(sheet.Name, row, "C", "コード値 is empty but コード値の内容 is not"));
                continue;
            }
            if (current is null)
            {
                problems.Add(new(sheet.Name, row, "A", "a コード値 before any コードID"));
                continue;
            }
            if (current.Values.Any(v => v.Code == value))
                problems.Add(new(sheet.Name, row, "C", $"コード値 {value} appears twice in コードID {current.Id}"));
            current.Values.Add((value, sheet[row, "D"], sheet[row, "E"]));
        }
    }

    static void CheckItems(List<Item> items, List<CodeList> codeLists, List<WorkbookProblem> problems)
    {
        var seen = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            if (!seen.TryAdd(i.Id, i)) problems.Add(new(i.Sheet, i.Row, "C", $"データ項目ID {i.Id} appears twice (first in row {seen[i.Id].Row})"));
            if (i.Code.Length > 0 && i.Code.TrimStart('0') != SpecFileParser.MunicipalCode && !codeLists.Any(l => l.Id.TrimStart('0') == i.Code.TrimStart('0')))
                problems.Add(new(i.Sheet, i.Row, "N", $"コード {i.Code} of {i.Name} is not in the コード一覧 sheet"));
        }
        foreach (var g in items.GroupBy(i => i.Group))
        {
            if (!g.Any(i => i.Pk)) problems.Add(new(g.First().Sheet, g.First().Row, "G", $"グループ {g.Key} has no 主キー ○"));
            foreach (var dup in g.GroupBy(i => i.Romaji).Where(d => d.Count() > 1))
                problems.Add(new(dup.Last().Sheet, dup.Last().Row, "E", $"ローマ字 {dup.Key} is used twice in グループ {g.Key}"));
        }
    }

    static ImportResult Write(string workbookPath, string outDir, string version, string businessArea, string? attribution, List<Item> items, List<CodeList> codeLists)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "items"));
        Directory.CreateDirectory(Path.Combine(outDir, "codes"));
        var files = new List<string>();
        void WriteFile(string relative, string text)
        {
            File.WriteAllText(Path.Combine(outDir, relative), text, new UTF8Encoding(false));
            files.Add(relative.Replace('\\', '/'));
        }

        // Entities: one per グループ; the workbook gives no ローマ字 name for a グループ, so the C# name is derived.
        var groups = items.Select(i => i.Group).Distinct().ToList();
        var entities = new StringBuilder("entity,area,area_name_ja,name_ja,key,table,status,notes\n");
        for (var g = 0; g < groups.Count; g++)
        {
            var own = items.Where(i => i.Group == groups[g]).ToList();
            var area = own[0].Id[..3];
            var name = $"Group{area}_{g + 1}";
            var key = string.Join("+", own.Where(i => i.Pk).Select(i => SpecFileParser.PascalCase(i.Romaji)));
            entities.Append(Csv(name, area, businessArea, groups[g], key, $"g{area}_{g + 1}", "provisional",
                "グループ of the official workbook; entity and table names derived by spec import (the workbook has no ローマ字 name for a グループ)")).Append('\n');
        }
        WriteFile("entities.csv", entities.ToString());

        // Code tables: identifier from the ローマ字 name of the first item that uses it.
        var tables = new List<string>();
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in codeLists)
        {
            if (list.Id.TrimStart('0') == SpecFileParser.MunicipalCode) continue; // 自治体固有コード: the municipality's own values
            var area = items.Count > 0 ? items[0].Id[..3] : "000";
            var tableId = SpecFileParser.OfficialCodeTableId(area + "00000", list.Id);
            var user = items.FirstOrDefault(i => i.Code.Length > 0 && i.Code.TrimStart('0') == list.Id.TrimStart('0'));
            var identifier = user is null ? $"Code{area}_{list.Id.TrimStart('0')}" : SpecFileParser.PascalCase(user.Romaji);
            if (!identifiers.Add(identifier)) identifiers.Add(identifier += "_" + list.Id.TrimStart('0'));
            var text = new StringBuilder($"# table_id={tableId};identifier={identifier};name_ja={OneLine(list.Name)};status=confirmed;notes=コード一覧 コードID {list.Id}\n");
            text.Append("code,name_ja,identifier,status,notes\n");
            foreach (var (code, name, note) in list.Values) text.Append(Csv(code, name, "", "confirmed", note)).Append('\n');
            WriteFile(Path.Combine("codes", tableId + ".csv"), text.ToString());
            tables.Add(tableId);
        }

        foreach (var area in items.GroupBy(i => i.Id[..3]))
        {
            var text = new StringBuilder(string.Join(",", SpecFileParser.OfficialItemColumns)).Append('\n');
            foreach (var i in area.OrderBy(i => i.Id, StringComparer.Ordinal))
                text.Append(Csv(i.Id, i.Name, i.Romaji, i.Group, i.Pk ? "○" : "", i.Fk ? "○" : "", i.Type, i.Digits, i.Code, i.Repeat, i.Output, i.Condition,
                    i.Definition, i.SpecReference, i.Implementation ? "○" : "")).Append('\n');
            WriteFile(Path.Combine("items", area.Key + ".csv"), text.ToString());
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(workbookPath)));
        var source = new StringBuilder();
        source.Append("# Source of spec ").Append(version).Append("\n\n");
        source.Append("Imported by `ogaki-migrate spec import` from `").Append(Path.GetFileName(workbookPath)).Append("` (SHA-256 `").Append(sha).Append("`).\n\n");
        source.Append(attribution is { Length: > 0 } ? attribution.Trim() : "出典: (give the source the workbook's licence asks for)").Append("\n\n");
        source.Append("The files here were edited from the workbook: converted to CSV, line breaks inside cells written as 「 / 」, ");
        source.Append("the ※※ condition of 条件付き必須 taken out of 項目説明 into a column of its own, and entity, table and code table names derived (provisional).\n");
        WriteFile("SOURCE.md", source.ToString());
        return new ImportResult(version, items.Count, groups, tables, files);
    }

    /// <summary>The business name in the sheet title 「■地方公共団体情報システム-（住登外者宛名番号管理）項目定義書」.</summary>
    static string AreaName(string title)
    {
        var open = title.IndexOf('（', StringComparison.Ordinal);
        var close = open < 0 ? -1 : title.IndexOf('）', open);
        return close > open + 1 ? title[(open + 1)..close] : "";
    }

    static string OneLine(string s) => s.ReplaceLineEndings(" / ").Replace(";", "；", StringComparison.Ordinal);

    /// <summary>One CSV row; spec files are one line per row, so line breaks inside a cell become 「 / 」.</summary>
    static string Csv(params string[] fields) => string.Join(",", fields.Select(f =>
    {
        var v = f.Trim().ReplaceLineEndings(" / ");
        return v.IndexOfAny([',', '"']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }));
}
