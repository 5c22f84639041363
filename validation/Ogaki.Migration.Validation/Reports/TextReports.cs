using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>Writes the Markdown report: summary first, then per-entity control totals and discrepancies, rejects, validation.</summary>
public static class MarkdownReport
{
    public static string Write(ReconciliationResult r)
    {
        var sb = new StringBuilder();
        sb.Append("# 移行照合レポート / Migration reconciliation report\n\n");
        sb.Append("- 結果 / Outcome: **").Append(Names.OutcomeJa(r.Outcome)).Append("** (exit code ").Append(N(r.ExitCode)).Append(")\n");
        sb.Append("- 仕様版 / Spec version: ").Append(Cell(r.SpecVersion)).Append('\n');
        sb.Append("- 仮名化鍵 / Pseudonym key: ").Append(r.PseudonymKeyId).Append(" (").Append(Names.KeySource(r.PseudonymKeySource)).Append(")\n");
        if (r.PseudonymKeySource == PseudonymKeySource.Development) sb.Append("- **警告 / Warning:** ").Append(Names.DevelopmentKeyWarning).Append('\n');
        sb.Append("- 個人情報 / Personal data: ").Append(r.Privacy.UnmaskPersonalData ? "unmasked (auditor option)" : "masked")
          .Append("; identifiers pseudonymised; 個人番号 never shown\n");
        sb.Append("- 許容差 / Tolerances: ").Append(r.Tolerances.Count == 0 ? "none (exact)" : string.Join("; ", r.Tolerances.Select(Tolerance))).Append('\n');

        sb.Append("\n## 問題 / Problems\n\n");
        if (r.Problems.Count == 0) sb.Append("None.\n");
        foreach (var p in r.Problems) sb.Append("- ").Append(Cell(p)).Append('\n');

        sb.Append("\n## 件数 / Counts\n\n");
        sb.Append("| 業務 / Area | 対象 / Entity | 読込 / Read | 変換 / Mapped | 不正 / Rejected | 除外 / Excluded | ").Append(Names.SourceAccountingHeading)
          .Append(" | 登録 / Loaded | 一致 / Matched | 許容内 / Within tolerance | 欠落 / Missing | 余剰 / Unexpected | 重複 / Duplicate | 不一致 / Mismatch | ")
          .Append(Names.TargetAgreementHeading).Append(" |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var a in AreaTotals.Of(r))
        {
            foreach (var e in r.Entities.Where(e => e.Entity.Area == a.Area))
                CountRow(sb, a.Area + " " + a.NameJa, e.Entity.Name + " " + e.Entity.NameJa, Counts.Of(e));
            CountRow(sb, "**" + a.Area + " 計 / total**", "", a.Counts);
        }
        sb.Append("\n- ").Append(Names.SourceAccountingHeading).Append(": ").Append(Names.SourceAccountingDefinition).Append(".\n");
        sb.Append("- ").Append(Names.TargetAgreementHeading).Append(": ").Append(Names.TargetAgreementDefinition).Append(".\n");

        var differing = r.Entities.SelectMany(e => e.ControlTotals.Where(t => !t.Matches).Select(t => (e, t))).ToList();
        sb.Append("\n## 管理合計の差異 / Control totals that differ\n\n");
        if (differing.Count == 0) sb.Append("None: every control total matches exactly").Append(r.Tolerances.Count == 0 ? "" : " or within tolerance").Append(".\n");
        else
        {
            sb.Append("| 対象 / Entity | 合計 / Total | 区分 / Group | 移行元 / Source | 移行先 / Target | 差 / Difference |\n|---|---|---|---:|---:|---:|\n");
            foreach (var (e, t) in differing)
                sb.Append("| ").Append(e.Entity.Name).Append(" | ").Append(Cell(t.NameJa)).Append(" | ").Append(Cell(t.Group)).Append(" | ")
                  .Append(DecimalText.Grouped(t.Source)).Append(" | ").Append(DecimalText.Grouped(t.Target)).Append(" | ").Append(DecimalText.Grouped(t.Difference)).Append(" |\n");
        }

        foreach (var e in r.Entities)
        {
            sb.Append("\n## ").Append(e.Entity.Name).Append(' ').Append(e.Entity.NameJa).Append(" (").Append(e.Entity.AreaNameJa).Append(")\n\n");
            if (e.Error is not null) sb.Append("**エラー / Error:** ").Append(Cell(e.Error)).Append("\n\n");
            sb.Append("Digests: source `").Append(e.SourceDigest).Append("`, target `").Append(e.TargetDigest).Append("`\n\n");
            sb.Append("### 管理合計 / Control totals\n\n");
            if (e.ControlTotals.Count == 0) sb.Append("None.\n");
            else
            {
                sb.Append("| 合計 / Total | 区分 / Group | 移行元 / Source | 移行先 / Target | 差 / Difference | |\n|---|---|---:|---:|---:|---|\n");
                foreach (var t in e.ControlTotals)
                    sb.Append("| ").Append(Cell(t.NameJa)).Append(" | ").Append(Cell(t.Group)).Append(" | ").Append(DecimalText.Grouped(t.Source)).Append(" | ")
                      .Append(DecimalText.Grouped(t.Target)).Append(" | ").Append(DecimalText.Grouped(t.Difference)).Append(" | ").Append(t.Matches ? "OK" : "**NG**").Append(" |\n");
            }
            sb.Append("\n### 差異明細 / Discrepancies\n\n");
            if (e.Discrepancies.Count == 0) sb.Append("None.\n");
            else
            {
                sb.Append("| 種別 / Kind | キー / Key | 件数 / Count (source/target) | 移行元位置 / Source location | 項目 / Item | 移行元 / Source | 移行先 / Target |\n|---|---|---|---|---|---|---|\n");
                foreach (var d in e.Discrepancies)
                {
                    var counts = N(d.SourceCount) + "/" + N(d.TargetCount);
                    var at = Cell(Location(d.Location));
                    if (d.Fields.Count == 0)
                        sb.Append("| ").Append(Names.KindJa(d.Kind)).Append(" | ").Append(d.Key).Append(" | ").Append(counts).Append(" | ").Append(at).Append(" | | | |\n");
                    foreach (var f in d.Fields)
                        sb.Append("| ").Append(Names.KindJa(d.Kind)).Append(" | ").Append(d.Key).Append(" | ").Append(counts).Append(" | ").Append(at).Append(" | ")
                          .Append(f.ItemId).Append(' ').Append(Cell(f.ItemNameJa)).Append(" | ").Append(Value(f.Source)).Append(" | ").Append(Value(f.Target)).Append(" |\n");
                }
                if (e.DiscrepanciesTruncated) sb.Append("\n(truncated: only the first discrepancies are listed; the counts above are complete)\n");
            }
        }

        sb.Append("\n## 不正レコード / Rejects\n\n");
        if (r.Rejects.Count == 0) sb.Append("None.\n");
        else
        {
            sb.Append("| 理由 / Reason code | 件数 / Count |\n|---|---:|\n");
            foreach (var g in RejectGroups.Of(r)) sb.Append("| ").Append(Cell(g.Reason)).Append(" | ").Append(N(g.Entries.Count)).Append(" |\n");
            sb.Append("\n| 理由 / Reason code | ソース / Source | ファイル / File | レコード / Record | オフセット / Offset | 項目 / Field | キー / Key | 項目ID / Item | 内容 / Reason |\n|---|---|---|---:|---:|---|---|---|---|\n");
            foreach (var g in RejectGroups.Of(r))
                foreach (var x in g.Entries)
                    sb.Append("| ").Append(Cell(x.Reason)).Append(" | ").Append(Cell(x.Source)).Append(" | ").Append(Cell(x.File)).Append(" | ").Append(N(x.RecordNumber)).Append(" | ")
                      .Append(N(x.ByteOffset)).Append(" | ").Append(Cell(x.Field ?? "")).Append(" | ").Append(x.KeyPseudonym ?? "").Append(" | ")
                      .Append(x.ItemId is null ? "" : x.ItemId + " " + Cell(x.ItemNameJa ?? "")).Append(" | ").Append(Cell(x.Message)).Append(" |\n");
        }

        sb.Append("\n## 検証 / Validation\n\n");
        if (r.Validation is not { } v) sb.Append("Not run.\n");
        else
        {
            sb.Append("Errors ").Append(N(v.Errors)).Append(", warnings ").Append(N(v.Warnings)).Append(", info ").Append(N(v.Infos)).Append(".\n\n");
            if (v.Counts.Count > 0)
            {
                sb.Append("| 対象 / Entity | 規則 / Rule | 重大度 / Severity | 件数 / Count |\n|---|---|---|---:|\n");
                foreach (var c in v.Counts)
                    sb.Append("| ").Append(c.Entity).Append(" | ").Append(c.RuleId).Append(" | ").Append(Names.Severity(c.Severity)).Append(" | ").Append(N(c.Count)).Append(" |\n");
            }
            if (v.Findings.Count > 0)
            {
                sb.Append("\n| 対象 / Entity | キー / Key | 項目 / Item | 重大度 / Severity | 規則 / Rule | 内容 / Message |\n|---|---|---|---|---|---|\n");
                foreach (var f in v.Findings)
                    sb.Append("| ").Append(f.Entity).Append(" | ").Append(f.Key).Append(" | ").Append(f.ItemId is null ? "" : f.ItemId + " " + Cell(f.ItemNameJa ?? ""))
                      .Append(" | ").Append(Names.Severity(f.Severity)).Append(" | ").Append(f.RuleId).Append(" | ").Append(Cell(f.Message)).Append(" |\n");
                if (v.Truncated) sb.Append("\n(truncated: only the first findings are listed; the counts above are complete)\n");
            }
        }

        sb.Append('\n').Append(ReportScrubber.Begin).Append('\n');
        sb.Append("## 実行情報 / Run metadata\n\n");
        sb.Append("- Run id: ").Append(Cell(r.Run.RunId)).Append('\n');
        sb.Append("- Started (UTC): ").Append(Utc(r.Run.StartedUtc)).Append('\n');
        sb.Append("- Finished (UTC): ").Append(Utc(r.Run.FinishedUtc)).Append('\n');
        sb.Append("- Machine: ").Append(Cell(r.Run.Machine)).Append('\n');
        sb.Append("- Tool version: ").Append(Cell(r.Run.ToolVersion)).Append('\n');
        sb.Append(ReportScrubber.End).Append('\n');
        return sb.ToString();
    }

    static void CountRow(StringBuilder sb, string area, string entity, Counts c) =>
        sb.Append("| ").Append(area).Append(" | ").Append(Cell(entity)).Append(" | ").Append(N(c.Read)).Append(" | ").Append(N(c.Mapped)).Append(" | ")
          .Append(N(c.Rejected)).Append(" | ").Append(N(c.Excluded)).Append(" | ").Append(Verdict(c.Balanced)).Append(" | ").Append(N(c.Loaded)).Append(" | ")
          .Append(N(c.Matched)).Append(" | ").Append(N(c.MatchedWithinTolerance)).Append(" | ").Append(N(c.Missing)).Append(" | ").Append(N(c.Unexpected)).Append(" | ")
          .Append(N(c.Duplicates)).Append(" | ").Append(N(c.Mismatches)).Append(" | ").Append(Verdict(c.TargetAgrees)).Append(" |\n");

    static string Verdict(bool? ok) => ok switch { true => "OK", false => "**NG**", null => "– (not given)" };

    internal static string Tolerance(ToleranceRule t) =>
        t.Entity + "." + t.Identifier + (t.Ignore ? " ignored" : " ±" + DecimalText.Format(t.AbsoluteAmount));

    /// <summary>A source location as one short text (<c>JUKIMAST.DAT #17 @16320</c>); empty when unknown.</summary>
    internal static string Location(Adapters.Sdk.SourceLocation? l) => l is not { } x ? ""
        : x.File + " #" + x.RecordNumber.ToString(CultureInfo.InvariantCulture) + (x.ByteOffset >= 0 ? " @" + x.ByteOffset.ToString(CultureInfo.InvariantCulture) : "");

    internal static string N(long? n) => n is { } v ? v.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    internal static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    static string Value(string? v) => v is null ? "(null)" : "`" + Cell(v).Replace("`", "'", StringComparison.Ordinal) + "`";

    static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

/// <summary>Writes the CSV reports: UTF-8 with BOM, LF line ends, RFC 4180 quoting. No run metadata.</summary>
public static class CsvReports
{
    static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static byte[] Discrepancies(ReconciliationResult r)
    {
        var sb = new StringBuilder();
        Row(sb, "entity", "entity_ja", "kind", "key", "source_count", "target_count", "item_id", "item_name_ja", "identifier", "source_value", "target_value",
            "source_file", "source_record", "source_offset");
        foreach (var e in r.Entities)
            foreach (var d in e.Discrepancies)
            {
                var sc = d.SourceCount.ToString(CultureInfo.InvariantCulture);
                var tc = d.TargetCount.ToString(CultureInfo.InvariantCulture);
                var (file, record, offset) = d.Location is { } l
                    ? (l.File, l.RecordNumber.ToString(CultureInfo.InvariantCulture), l.ByteOffset.ToString(CultureInfo.InvariantCulture))
                    : ("", "", "");
                if (d.Fields.Count == 0) Row(sb, e.Entity.Name, e.Entity.NameJa, Names.Kind(d.Kind), d.Key, sc, tc, "", "", "", "", "", file, record, offset);
                foreach (var f in d.Fields)
                    Row(sb, e.Entity.Name, e.Entity.NameJa, Names.Kind(d.Kind), d.Key, sc, tc, f.ItemId, f.ItemNameJa, f.Identifier, f.Source ?? "", f.Target ?? "",
                        file, record, offset);
            }
        return Encode(sb);
    }

    public static byte[] Rejects(ReconciliationResult r)
    {
        var sb = new StringBuilder();
        // One column per fact, so a spreadsheet can filter by file, key, item or reason without parsing a message.
        Row(sb, "source", "file", "record", "offset", "field", "key_pseudonym", "item_id", "項目名", "reason_code", "reason");
        foreach (var x in r.Rejects)
            Row(sb, x.Source, x.File, x.RecordNumber.ToString(CultureInfo.InvariantCulture), x.ByteOffset.ToString(CultureInfo.InvariantCulture), x.Field ?? "",
                x.KeyPseudonym ?? "", x.ItemId ?? "", x.ItemNameJa ?? "", x.Reason, x.Message);
        return Encode(sb);
    }

    public static byte[] Findings(ReconciliationResult r)
    {
        var sb = new StringBuilder();
        Row(sb, "entity", "key", "severity", "rule", "item_id", "item_name_ja", "message");
        foreach (var f in r.Validation?.Findings ?? [])
            Row(sb, f.Entity, f.Key, Names.Severity(f.Severity), f.RuleId, f.ItemId ?? "", f.ItemNameJa ?? "", f.Message);
        return Encode(sb);
    }

    static byte[] Encode(StringBuilder sb) => [.. Bom, .. Encoding.UTF8.GetBytes(sb.ToString())];

    static void Row(StringBuilder sb, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0) sb.Append('"').Append(f.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else sb.Append(f);
        }
        sb.Append('\n');
    }
}

/// <summary>Writes every report of a result through a sink.</summary>
public static class ReconciliationReports
{
    /// <summary>Writes <see cref="ReportFiles.All"/>; returns the names written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAllAsync(ReconciliationResult result, IReportSink sink, CancellationToken cancellationToken = default)
    {
        await sink.WriteAsync(ReportFiles.Json, JsonReport.Write(result), cancellationToken).ConfigureAwait(false);
        await sink.WriteAsync(ReportFiles.Html, Encoding.UTF8.GetBytes(HtmlReport.Write(result)), cancellationToken).ConfigureAwait(false);
        await sink.WriteAsync(ReportFiles.Markdown, Encoding.UTF8.GetBytes(MarkdownReport.Write(result)), cancellationToken).ConfigureAwait(false);
        await sink.WriteAsync(ReportFiles.DiscrepanciesCsv, CsvReports.Discrepancies(result), cancellationToken).ConfigureAwait(false);
        await sink.WriteAsync(ReportFiles.RejectsCsv, CsvReports.Rejects(result), cancellationToken).ConfigureAwait(false);
        await sink.WriteAsync(ReportFiles.FindingsCsv, CsvReports.Findings(result), cancellationToken).ConfigureAwait(false);
        return ReportFiles.All;
    }

    /// <summary>Writes every report into a folder.</summary>
    public static Task<IReadOnlyList<string>> WriteToDirectoryAsync(ReconciliationResult result, string directory, CancellationToken cancellationToken = default) =>
        WriteAllAsync(result, new DirectoryReportSink(directory), cancellationToken);
}

/// <summary>Rejects grouped by reason code, the largest group first (ties by code), for the reports' summaries.</summary>
internal sealed record RejectGroups(string Reason, IReadOnlyList<RejectEntry> Entries)
{
    public static IReadOnlyList<RejectGroups> Of(ReconciliationResult r) => r.Rejects
        .GroupBy(x => x.Reason, StringComparer.Ordinal)
        .Select(g => new RejectGroups(g.Key, g.ToList()))
        .OrderByDescending(g => g.Entries.Count).ThenBy(g => g.Reason, StringComparer.Ordinal)
        .ToList();
}
