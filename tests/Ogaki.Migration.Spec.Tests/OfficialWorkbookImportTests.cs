using System.Reflection;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.CodeAnalysis;
using Ogaki.Migration.Spec.Import;

namespace Ogaki.Migration.Spec.Tests;

/// <summary>
/// spec import on the official 項目定義書（住登外者宛名番号管理）workbook (Fixtures/official, PDL 1.0 — 出典：デジタル庁
/// 『地方公共団体情報システム共通機能標準仕様書』別紙（住登外者宛名番号管理）項目定義書（2023年9月29日）を加工して作成).
/// </summary>
public sealed class OfficialWorkbookImportTests : IDisposable
{
    const string Group = "住登外者宛名基本情報";
    static readonly string Workbook = Path.Combine(AppContext.BaseDirectory, "Fixtures", "official", "jutogai-atenabango-kanri_koumoku-teigisho.xlsx");
    readonly string _root = Path.Combine(Path.GetTempPath(), "ogaki-import-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // (項目コード, データ型, 桁数) of the 29 rows, as the sheet states them.
    static readonly (int Code, string Type, string Digits)[] SheetTypes =
    [
        (1, "X", "15"), (2, "X", "12"), (3, "Ｎ", "100"), (4, "Ｎ", "50"), (5, "Ｎ", "50"), (6, "Ｎ", "100"), (7, "Ｎ", "100"), (8, "Ｎ", "100"),
        (9, "Ｎ", "50"), (10, "Ｎ", "50"), (11, "X", "1"), (12, "DATE", "10"), (13, "Ｎ", "72"), (14, "X", "6"), (15, "X", "7"), (16, "Ｎ", "4"),
        (17, "Ｎ", "12"), (18, "Ｎ", "18"), (19, "Ｎ", "50"), (20, "Ｎ", "300"), (21, "Ｎ", "300"), (22, "X", "7"), (23, "X", "3"), (24, "X", "3"),
        (25, "9", "1"), (26, "X", "15"), (27, "X", "10"), (28, "DATE", "10"), (29, "TIME", "8"),
    ];

    [Fact]
    public void The_official_workbook_imports_and_generates_a_model_with_its_29_items_types_and_the_seibetsu_code_list()
    {
        var outDir = Path.Combine(_root, "standard", "2023.09");
        var result = OfficialWorkbookImporter.Import(Workbook, outDir, "出典：デジタル庁『地方公共団体情報システム共通機能標準仕様書』別紙（住登外者宛名番号管理）項目定義書（2023年9月29日）を加工して作成");
        Assert.Equal(29, result.Items);
        Assert.Equal([Group], result.Groups);

        // The files carry the official columns; cell text has no furigana runs.
        var items = File.ReadAllLines(Path.Combine(outDir, "items", "031.csv"));
        Assert.Equal("データ項目ID,データ項目,データ項目（ローマ字）,グループ,主キー,外部キー,データ型,桁数,コード,繰り返し,データ出力条件,条件付き必須の条件,項目定義,標準仕様書関連箇所,実装類型", items[0]);
        Assert.StartsWith("03100001,宛名番号,atenabango,住登外者宛名基本情報,○,,X,15,,,必須,,", items[1], StringComparison.Ordinal);
        Assert.DoesNotContain(items, l => l.Contains("アテナキホン", StringComparison.Ordinal));
        Assert.Contains(items, l => l.StartsWith("03100013,生年月日_不詳表記,seinengappi_fushohyoki,", StringComparison.Ordinal) && l.Contains(",条件付き必須,生年月日が不詳の場合は出力必須,", StringComparison.Ordinal));
        Assert.Contains("0310002住登外者宛名情報管理機能", items[1], StringComparison.Ordinal);
        Assert.Contains("を加工して作成", File.ReadAllText(Path.Combine(outDir, "SOURCE.md")), StringComparison.Ordinal);

        // Generate the model from the imported files with the real generator, compile it and read its catalog.
        var files = Directory.EnumerateFiles(outDir, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => ("/s/standard/2023.09/" + Path.GetRelativePath(outDir, p).Replace('\\', '/'), File.ReadAllText(p)));
        var ct = TestContext.Current.CancellationToken;
        GeneratorHarness.Driver(files).RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(), out var output, out var diagnostics, ct);
        Assert.Empty(diagnostics);
        using var pe = new MemoryStream();
        var emit = output.Emit(pe, cancellationToken: ct);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(pe.ToArray());
        var catalog = (SpecCatalog)assembly.GetType("Ogaki.Migration.Standard.StandardSpec")!.GetProperty("Catalog")!.GetValue(null)!;

        Assert.Equal("2023.09", catalog.Version);
        var entity = Assert.Single(catalog.Entities);
        Assert.Equal(Group, entity.NameJa);
        Assert.Equal(["Atenabango"], entity.Key);
        Assert.Equal(29, entity.Items.Count);
        Assert.Equal(SheetTypes.Select(t => "031" + t.Code.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)), entity.Items.Select(i => i.ItemId));
        Assert.Equal(SheetTypes.Select(t => (t.Type, t.Digits)), entity.Items.Select(i => (i.Official!.DataType, i.Official.Digits)));
        Assert.All(entity.Items, i => Assert.Equal(Group, i.Official!.Group));
        var sex = entity.Find("Seibetsu")!;
        Assert.Equal(("性別", "seibetsu", 1, ItemType.Code, Requirement.Optional), (sex.NameJa, sex.Official!.FieldName, sex.Length, sex.Type, sex.Required));
        Assert.Equal(ItemType.Date, entity.Find("Seinengappi")!.Type);
        Assert.Equal(ItemType.Time, entity.Find("Sosajikoku")!.Type);
        Assert.Equal(Requirement.Conditional, entity.Find("JushoChoaza")!.Required);
        Assert.Equal("住所に町字が存在する場合は出力必須", entity.Find("JushoChoaza")!.Official!.Condition);
        // 独自施策システム等ID uses 999 (自治体固有コード): no code table to check against.
        Assert.Equal((ItemType.Text, (string?)null, "999"), (entity.Find("Dokujishisakushisutemunadoid")!.Type, entity.Find("Dokujishisakushisutemunadoid")!.CodeTable, entity.Find("Dokujishisakushisutemunadoid")!.Official!.Code));

        var table = catalog.FindCodeTable(sex.CodeTable!)!;
        Assert.Equal("性別", table.NameJa);
        Assert.Equal([("0", "不明（未記入）"), ("1", "男"), ("2", "女")], table.Values.Select(v => (v.Code, v.NameJa)));
        // The generated code type checks the domain.
        var codes = assembly.GetType("Ogaki.Migration.Standard.Codes.Seibetsu")!;
        Assert.Equal(true, codes.GetMethod("Contains")!.Invoke(null, ["0"]));
        Assert.Equal(false, codes.GetMethod("Contains")!.Invoke(null, ["9"]));
        // 代表宛名フラグ refers to code 002 of the code list (written 2 there).
        Assert.Equal(["代表宛名", "非代表宛名"], catalog.FindCodeTable(entity.Find("Daihyoatenafuragu")!.CodeTable!)!.Values.Select(v => v.NameJa));

        // The generated validator checks the official data types: X half-width, Ｎ full-width, the 性別 code domain.
        var record = assembly.GetType("Ogaki.Migration.Standard." + entity.Name)!;
        var fromValues = record.GetMethod("FromValues")!;
        var values = new object?[entity.Items.Count];
        values[entity.Find("Atenabango")!.Ordinal] = "12345678912345Ａ"; // X with a full-width letter
        values[entity.Find("Shimei")!.Ordinal] = "佐藤 一郎";           // Ｎ with a half-width space
        values[entity.Find("UjiNihonjin")!.Ordinal] = "佐藤";
        values[entity.Find("Seibetsu")!.Ordinal] = "9";
        var violations = new List<SpecViolation>();
        record.GetMethod("Validate")!.Invoke(fromValues.Invoke(null, [values]), [violations]);
        Assert.Contains(violations, v => v.Item.Identifier == "Atenabango" && v.Kind == ViolationKind.Type);
        Assert.Contains(violations, v => v.Item.Identifier == "Shimei" && v.Kind == ViolationKind.Type);
        Assert.DoesNotContain(violations, v => v.Item.Identifier == "UjiNihonjin");
        Assert.Contains(violations, v => v.Item.Identifier == "Seibetsu" && v.Kind == ViolationKind.CodeDomain);

        // The run-time loader reads the same files to the same catalog.
        var loaded = SpecCatalog.Load("2023.09", Path.Combine(_root, "standard"));
        Assert.Equal(entity.Items, loaded.Entities[0].Items);
    }

    [Fact]
    public void A_cell_it_cannot_read_is_named_by_sheet_row_and_column_and_nothing_is_written()
    {
        Directory.CreateDirectory(_root);
        var copy = Path.Combine(_root, "broken.xlsx");
        File.Copy(Workbook, copy);
        using (var doc = SpreadsheetDocument.Open(copy, isEditable: true))
        {
            var part = doc.WorkbookPart!;
            var sheet = part.Workbook!.Sheets!.Elements<Sheet>().First();
            var cells = ((WorksheetPart)part.GetPartById(sheet.Id!.Value!)).Worksheet!.Descendants<Cell>().ToList();
            Set(cells.Single(c => c.CellReference == "L9"), "Z");   // データ型 of 氏名
            Set(cells.Single(c => c.CellReference == "M10"), "五十"); // 桁数 of 氏_日本人
        }
        var outDir = Path.Combine(_root, "standard", "9.9");
        var e = Assert.Throws<WorkbookImportException>(() => OfficialWorkbookImporter.Import(copy, outDir));
        var sheetName = "項目定義書（住登外者宛名番号管理）住登外者宛名基本情報";
        Assert.Equal([(sheetName, 9, "L"), (sheetName, 10, "M")], e.Problems.Select(p => (p.Sheet, p.Row, p.Column)));
        Assert.Contains($"sheet 「{sheetName}」 row 9 column L: データ型 「Z」", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }

    static void Set(Cell cell, string text)
    {
        cell.DataType = CellValues.InlineString;
        cell.CellValue = null;
        cell.InlineString = new InlineString(new Text(text));
    }
}
