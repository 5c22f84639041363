using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ogaki.Migration.Spec.Import;

/// <summary>
/// The cell texts of one worksheet, read with the Open XML SDK. Shared and inline strings are read from their text
/// runs only (<c>t</c> and <c>r/t</c>): the phonetic guides (<c>rPh</c>, furigana) that Excel stores beside Japanese
/// text are left out, so 「住登外者宛名基本情報」 does not become 「住登外者宛名基本情報アテナキホン」.
/// </summary>
internal sealed class WorkbookSheet
{
    readonly Dictionary<(int Row, string Column), string> _cells = [];

    public string Name { get; }

    /// <summary>1-based row numbers that hold at least one cell, in order.</summary>
    public IReadOnlyList<int> Rows { get; }

    WorkbookSheet(string name, IEnumerable<(int Row, string Column, string Text)> cells)
    {
        Name = name;
        foreach (var (row, column, text) in cells) _cells[(row, column)] = text;
        Rows = _cells.Keys.Select(k => k.Row).Distinct().Order().ToList();
    }

    /// <summary>The trimmed text of a cell ("" when empty).</summary>
    public string this[int row, string column] => _cells.TryGetValue((row, column), out var t) ? t : "";

    /// <summary>The non-empty cells of a row, by column letter.</summary>
    public IEnumerable<(string Column, string Text)> CellsOf(int row) =>
        _cells.Where(c => c.Key.Row == row && c.Value.Length > 0).Select(c => (c.Key.Column, c.Value));

    public static IReadOnlyList<WorkbookSheet> ReadAll(SpreadsheetDocument document)
    {
        var book = document.WorkbookPart ?? throw new InvalidDataException("the file has no workbook part");
        var shared = book.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().ToList() ?? [];
        var sheets = new List<WorkbookSheet>();
        foreach (var sheet in book.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } id || book.GetPartById(id) is not WorksheetPart part) continue;
            var cells = part.Worksheet?.Descendants<Cell>()
                .Where(c => c.CellReference?.Value is not null)
                .Select(c => Split(c.CellReference!.Value!) is var (row, column) ? (row, column, Text(c, shared).Trim()) : default)
                ?? [];
            sheets.Add(new WorkbookSheet(sheet.Name?.Value ?? "", cells));
        }
        return sheets;
    }

    static string Text(Cell cell, List<SharedStringItem> shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
            return int.TryParse(cell.CellValue?.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < shared.Count
                ? RunText(shared[i])
                : "";
        if (cell.DataType?.Value == CellValues.InlineString)
            return cell.InlineString is { } inline ? RunText(inline) : "";
        return cell.CellValue?.Text ?? "";
    }

    /// <summary>Direct <c>t</c> children and the <c>t</c> of each rich-text run; never the phonetic runs.</summary>
    static string RunText(DocumentFormat.OpenXml.OpenXmlElement item) =>
        string.Concat(item.Elements<Text>().Select(t => t.Text))
        + string.Concat(item.Elements<Run>().Select(r => r.Text?.Text ?? ""));

    static (int Row, string Column) Split(string reference)
    {
        var letters = reference.TakeWhile(char.IsAsciiLetter).Count();
        return (int.Parse(reference.AsSpan(letters), System.Globalization.CultureInfo.InvariantCulture), reference[..letters]);
    }
}
