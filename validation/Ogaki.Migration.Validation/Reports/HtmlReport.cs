using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
using System.Text;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>
/// Writes the self-contained HTML report: one file, inline CSS, no scripts; summary first, then drill-down per
/// entity in <c>&lt;details&gt;</c>; labels in Japanese with English.
/// </summary>
public static class HtmlReport
{
    const string Css = """
        body{font-family:"Noto Sans CJK JP","Noto Sans JP","Hiragino Sans","Yu Gothic","YuGothic",Meiryo,sans-serif;margin:2em;color:#222;line-height:1.5}
        .scroll{overflow-x:auto;max-width:100%}.scroll table{margin:0}
        @media (max-width:40em){body{margin:.6em}table{font-size:.8em}}
        h1{font-size:1.5em;border-bottom:2px solid #333}h2{font-size:1.2em;margin-top:1.6em}
        table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{border:1px solid #bbb;padding:.2em .5em;vertical-align:top}
        th{background:#eee;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:#17603a;font-weight:bold}.unknown{color:#666;white-space:nowrap}.ng{color:#a11;font-weight:bold}.warn{background:#fff3cd;padding:.5em;border:1px solid #e0c060}
        .outcome-reconciled{background:#e3f4e8}.outcome-discrepancies{background:#fdecea}.outcome-error{background:#f8d7da}
        .outcome-reconciled strong{color:#17603a}.outcome-discrepancies strong,.outcome-error strong{color:#a11}td.n{white-space:nowrap}
        #counts+.scroll :is(td,th):nth-child(-n+2){white-space:nowrap}
        .outcome{padding:.6em 1em;font-size:1.1em;border:1px solid #999;display:inline-block}
        details{margin:.6em 0;border:1px solid #ccc;padding:.3em .8em}summary{cursor:pointer;font-weight:bold}
        code{font-family:ui-monospace,Consolas,monospace;font-size:.95em}.run{color:#666;font-size:.85em;margin-top:2em;border-top:1px solid #ccc}
        """;

    public static string Write(ReconciliationResult r)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>移行照合レポート / Migration reconciliation report</title>\n<style>\n")
          .Append(Css).Append("\n</style>\n</head>\n<body>\n");
        sb.Append("<h1>移行照合レポート / Migration reconciliation report</h1>\n");
        sb.Append("<p class=\"outcome outcome-").Append(Names.Outcome(r.Outcome)).Append("\" id=\"outcome\">結果 / Outcome: <strong>")
          .Append(E(Names.OutcomeJa(r.Outcome))).Append("</strong> (exit code ").Append(r.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(")</p>\n");
        if (r.PseudonymKeySource == PseudonymKeySource.Development) sb.Append("<p class=\"warn\" id=\"dev-key\">警告 / Warning: ").Append(E(Names.DevelopmentKeyWarning)).Append("</p>\n");
        sb.Append("<table id=\"about\">\n");
        Kv(sb, "仕様版 / Spec version", r.SpecVersion);
        Kv(sb, "仮名化鍵 / Pseudonym key", r.PseudonymKeyId + " (" + Names.KeySource(r.PseudonymKeySource) + ")");
        Kv(sb, "個人情報 / Personal data", (r.Privacy.UnmaskPersonalData ? "unmasked (auditor option)" : "masked") + "; identifiers pseudonymised; 個人番号 never shown");
        Kv(sb, "許容差 / Tolerances", r.Tolerances.Count == 0 ? "none (exact)" : string.Join("; ", r.Tolerances.Select(MarkdownReport.Tolerance)));
        sb.Append("</table>\n");

        sb.Append("<h2 id=\"problems\">問題 / Problems</h2>\n");
        if (r.Problems.Count == 0) sb.Append("<p class=\"ok\">None.</p>\n");
        else
        {
            sb.Append("<ul>\n");
            foreach (var p in r.Problems) sb.Append("<li>").Append(E(p)).Append("</li>\n");
            sb.Append("</ul>\n");
        }

        sb.Append("<h2 id=\"counts\">件数 / Counts</h2>\n<table>\n<thead><tr>");
        foreach (var h in new[] { "業務 / Area", "対象 / Entity", "読込 / Read", "変換 / Mapped", "不正 / Rejected", "除外 / Excluded", Names.SourceAccountingHeading,
                     "登録 / Loaded", "一致 / Matched", "許容内 / Within tolerance", "欠落 / Missing", "余剰 / Unexpected", "重複 / Duplicate", "不一致 / Mismatch",
                     Names.TargetAgreementHeading })
            sb.Append("<th>").Append(E(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var a in AreaTotals.Of(r))
        {
            foreach (var e in r.Entities.Where(e => e.Entity.Area == a.Area))
                CountRow(sb, a.Area + " " + a.NameJa, e.Entity.Name + " " + e.Entity.NameJa, Counts.Of(e), false);
            CountRow(sb, a.Area + " 計 / total", "", a.Counts, true);
        }
        sb.Append("</tbody>\n</table>\n");
        sb.Append("<ul class=\"legend\">\n<li><strong>").Append(E(Names.SourceAccountingHeading)).Append("</strong>: ").Append(E(Names.SourceAccountingDefinition)).Append("</li>\n")
          .Append("<li><strong>").Append(E(Names.TargetAgreementHeading)).Append("</strong>: ").Append(E(Names.TargetAgreementDefinition)).Append("</li>\n</ul>\n");

        var differing = r.Entities.SelectMany(e => e.ControlTotals.Where(t => !t.Matches).Select(t => (e, t))).ToList();
        sb.Append("<h2 id=\"totals\">管理合計の差異 / Control totals that differ</h2>\n");
        if (differing.Count == 0) sb.Append("<p class=\"ok\">None.</p>\n");
        else
        {
            sb.Append("<table>\n<thead><tr><th>対象 / Entity</th><th>合計 / Total</th><th>区分 / Group</th><th>移行元 / Source</th><th>移行先 / Target</th><th>差 / Difference</th></tr></thead>\n<tbody>\n");
            foreach (var (e, t) in differing)
                sb.Append("<tr><td>").Append(E(e.Entity.Name)).Append("</td><td>").Append(E(t.NameJa)).Append("</td><td>").Append(E(t.Group)).Append("</td>")
                  .Append(Num(DecimalText.Grouped(t.Source))).Append(Num(DecimalText.Grouped(t.Target))).Append(Num(DecimalText.Grouped(t.Difference))).Append("</tr>\n");
            sb.Append("</tbody>\n</table>\n");
        }

        sb.Append("<h2 id=\"entities\">明細 / Details by entity</h2>\n");
        foreach (var e in r.Entities)
        {
            var problems = e.Problems().Count;
            sb.Append("<details id=\"entity-").Append(E(e.Entity.Name)).Append("\">\n<summary>").Append(E(e.Entity.Name + " " + e.Entity.NameJa + " (" + e.Entity.AreaNameJa + ")"))
              .Append(problems == 0 ? " <span class=\"ok\">OK</span>" : " <span class=\"ng\">NG</span>").Append("</summary>\n");
            if (e.Error is not null) sb.Append("<p class=\"ng\">エラー / Error: ").Append(E(e.Error)).Append("</p>\n");
            sb.Append("<p>Digests: source <code>").Append(E(e.SourceDigest)).Append("</code>, target <code>").Append(E(e.TargetDigest)).Append("</code></p>\n");
            sb.Append("<details>\n<summary>管理合計 / Control totals (").Append(Count(e.ControlTotals.Count)).Append(")</summary>\n<table>\n<thead><tr><th>合計 / Total</th><th>区分 / Group</th><th>移行元 / Source</th><th>移行先 / Target</th><th>差 / Difference</th><th></th></tr></thead>\n<tbody>\n");
            foreach (var t in e.ControlTotals)
                sb.Append("<tr><td>").Append(E(t.NameJa)).Append("</td><td>").Append(E(t.Group)).Append("</td>").Append(Num(DecimalText.Grouped(t.Source)))
                  .Append(Num(DecimalText.Grouped(t.Target))).Append(Num(DecimalText.Grouped(t.Difference)))
                  .Append(t.Matches ? "<td class=\"ok\">OK</td>" : "<td class=\"ng\">NG</td>").Append("</tr>\n");
            sb.Append("</tbody>\n</table>\n</details>\n");
            sb.Append("<details").Append(e.Discrepancies.Count > 0 ? " open=\"open\"" : "").Append(">\n<summary>差異明細 / Discrepancies (").Append(Count(e.DiscrepancyCount)).Append(")</summary>\n");
            if (e.Discrepancies.Count > 0)
            {
                sb.Append("<table class=\"discrepancies\">\n<thead><tr><th>種別 / Kind</th><th>キー / Key</th><th>件数 / Count (source/target)</th><th>移行元位置 / Source location</th><th>項目 / Item</th><th>移行元 / Source</th><th>移行先 / Target</th></tr></thead>\n<tbody>\n");
                foreach (var d in e.Discrepancies)
                {
                    var counts = Count(d.SourceCount) + "/" + Count(d.TargetCount);
                    var at = E(MarkdownReport.Location(d.Location));
                    if (d.Fields.Count == 0)
                        sb.Append("<tr><td>").Append(E(Names.KindJa(d.Kind))).Append("</td><td><code>").Append(E(d.Key)).Append("</code></td><td>").Append(counts).Append("</td><td>").Append(at)
                          .Append("</td><td></td><td></td><td></td></tr>\n");
                    foreach (var f in d.Fields)
                        sb.Append("<tr><td>").Append(E(Names.KindJa(d.Kind))).Append("</td><td><code>").Append(E(d.Key)).Append("</code></td><td>").Append(counts)
                          .Append("</td><td>").Append(at).Append("</td><td>").Append(E(f.ItemId + " " + f.ItemNameJa)).Append("</td><td>").Append(V(f.Source)).Append("</td><td>").Append(V(f.Target)).Append("</td></tr>\n");
                }
                sb.Append("</tbody>\n</table>\n");
                if (e.DiscrepanciesTruncated) sb.Append("<p>(truncated: only the first discrepancies are listed; the counts are complete)</p>\n");
            }
            sb.Append("</details>\n</details>\n");
        }

        sb.Append("<h2 id=\"rejects\">不正レコード / Rejects</h2>\n");
        if (r.Rejects.Count == 0) sb.Append("<p>None.</p>\n");
        else
        {
            // By reason first (what went wrong, how often), then each reason's rejects behind its own fold.
            var groups = RejectGroups.Of(r);
            sb.Append("<table id=\"reject-reasons\">\n<thead><tr><th>理由 / Reason code</th><th>件数 / Count</th></tr></thead>\n<tbody>\n");
            foreach (var g in groups) sb.Append("<tr><td><code>").Append(E(g.Reason)).Append("</code></td>").Append(Num(Count(g.Entries.Count))).Append("</tr>\n");
            sb.Append("<tr class=\"total\"><th>計 / total</th>").Append(Num(Count(r.Rejects.Count))).Append("</tr>\n</tbody>\n</table>\n");
            foreach (var g in groups)
            {
                sb.Append("<details class=\"reject-group\">\n<summary><code>").Append(E(g.Reason)).Append("</code> (").Append(Count(g.Entries.Count)).Append(")</summary>\n<table>\n<thead><tr>")
                  .Append("<th>ソース / Source</th><th>ファイル / File</th><th>レコード / Record</th><th>オフセット / Offset</th><th>項目 / Field</th><th>キー / Key</th><th>項目名 / Item</th><th>内容 / Reason</th></tr></thead>\n<tbody>\n");
                foreach (var x in g.Entries)
                    sb.Append("<tr><td>").Append(E(x.Source)).Append("</td><td>").Append(E(x.File)).Append("</td>").Append(Num(Count(x.RecordNumber))).Append(Num(Count(x.ByteOffset)))
                      .Append("<td>").Append(E(x.Field ?? "")).Append("</td><td><code>").Append(E(x.KeyPseudonym ?? "")).Append("</code></td><td>")
                      .Append(E(x.ItemId is null ? "" : x.ItemId + " " + x.ItemNameJa)).Append("</td><td>").Append(E(x.Message)).Append("</td></tr>\n");
                sb.Append("</tbody>\n</table>\n</details>\n");
            }
        }

        sb.Append("<h2 id=\"validation\">検証 / Validation</h2>\n");
        if (r.Validation is not { } v) sb.Append("<p>Not run.</p>\n");
        else
        {
            sb.Append("<p>Errors ").Append(Count(v.Errors)).Append(", warnings ").Append(Count(v.Warnings)).Append(", info ").Append(Count(v.Infos)).Append(".</p>\n");
            sb.Append("<table>\n<thead><tr><th>対象 / Entity</th><th>規則 / Rule</th><th>重大度 / Severity</th><th>件数 / Count</th></tr></thead>\n<tbody>\n");
            foreach (var c in v.Counts)
                sb.Append("<tr><td>").Append(E(c.Entity)).Append("</td><td>").Append(E(c.RuleId)).Append("</td><td>").Append(Names.Severity(c.Severity)).Append("</td>").Append(Num(Count(c.Count))).Append("</tr>\n");
            sb.Append("</tbody>\n</table>\n");
            if (v.Findings.Count > 0)
            {
                sb.Append("<details>\n<summary>").Append(Count(v.Findings.Count)).Append(" findings</summary>\n<table>\n<thead><tr><th>対象 / Entity</th><th>キー / Key</th><th>項目 / Item</th><th>重大度 / Severity</th><th>規則 / Rule</th><th>内容 / Message</th></tr></thead>\n<tbody>\n");
                foreach (var f in v.Findings)
                    sb.Append("<tr><td>").Append(E(f.Entity)).Append("</td><td><code>").Append(E(f.Key)).Append("</code></td><td>").Append(E(f.ItemId is null ? "" : f.ItemId + " " + f.ItemNameJa))
                      .Append("</td><td>").Append(Names.Severity(f.Severity)).Append("</td><td>").Append(E(f.RuleId)).Append("</td><td>").Append(E(f.Message)).Append("</td></tr>\n");
                sb.Append("</tbody>\n</table>\n</details>\n");
            }
        }

        sb.Append(ReportScrubber.Begin).Append('\n');
        sb.Append("<div class=\"run\" id=\"run\">\n<h2>実行情報 / Run metadata</h2>\n<table>\n");
        Kv(sb, "Run id", r.Run.RunId);
        Kv(sb, "Started (UTC)", MarkdownReport.Utc(r.Run.StartedUtc));
        Kv(sb, "Finished (UTC)", MarkdownReport.Utc(r.Run.FinishedUtc));
        Kv(sb, "Machine", r.Run.Machine);
        Kv(sb, "Tool version", r.Run.ToolVersion);
        sb.Append("</table>\n</div>\n").Append(ReportScrubber.End).Append('\n');
        sb.Append("</body>\n</html>\n");
        // Every table scrolls sideways inside its own box, so a narrow screen keeps the page readable.
        return sb.ToString().Replace("<table", "<div class=\"scroll\"><table", StringComparison.Ordinal).Replace("</table>", "</table></div>", StringComparison.Ordinal);
    }

    static void CountRow(StringBuilder sb, string area, string entity, Counts c, bool total)
    {
        sb.Append(total ? "<tr class=\"total\"><th>" : "<tr><td>").Append(E(area)).Append(total ? "</th><th>" : "</td><td>").Append(E(entity)).Append(total ? "</th>" : "</td>");
        foreach (var n in new long?[] { c.Read, c.Mapped, c.Rejected, c.Excluded })
            sb.Append(Num(MarkdownReport.N(n)));
        sb.Append(Verdict(c.Balanced));
        foreach (var n in new long?[] { c.Loaded, c.Matched, c.MatchedWithinTolerance, c.Missing, c.Unexpected, c.Duplicates, c.Mismatches })
            sb.Append(Num(MarkdownReport.N(n)));
        sb.Append(Verdict(c.TargetAgrees)).Append("</tr>\n");
    }

    /// <summary>A verdict cell: green only for a verdict that holds; unknown is grey, never green.</summary>
    static string Verdict(bool? ok) => ok switch
    {
        true => "<td class=\"ok\">OK</td>",
        false => "<td class=\"ng\">NG</td>",
        null => "<td class=\"unknown\">– (not given)</td>",
    };

    static void Kv(StringBuilder sb, string k, string v) => sb.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");

    static string Num(string s) => "<td class=\"n\">" + E(s) + "</td>";

    static string Count(long n) => MarkdownReport.N(n);

    static string V(string? v) => v is null ? "<em>(null)</em>" : "<code>" + E(v) + "</code>";

    /// <summary>HTML text escape (the five special characters only, so Japanese text stays readable).</summary>
    static string E(string s)
    {
        if (s.AsSpan().IndexOfAny("&<>\"'") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }
}
