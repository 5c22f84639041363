namespace Ogaki.Migration.Spec.Import;

/// <summary>One cell (or sheet) of the workbook that could not be read: sheet, 1-based row, column letter and why.</summary>
public sealed record WorkbookProblem(string Sheet, int Row, string Column, string Message)
{
    public override string ToString() => Row > 0
        ? $"sheet 「{Sheet}」 row {Row} column {Column}: {Message}"
        : Sheet.Length > 0 ? $"sheet 「{Sheet}」: {Message}" : Message;
}

/// <summary>The workbook could not be imported; <see cref="Problems"/> lists every cell that could not be read.</summary>
public sealed class WorkbookImportException(string workbook, IReadOnlyList<WorkbookProblem> problems)
    : Exception($"{workbook}: {problems.Count} problem(s) — " + string.Join(Environment.NewLine + "  ", problems))
{
    public IReadOnlyList<WorkbookProblem> Problems { get; } = problems;
}
