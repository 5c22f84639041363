using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
using Ogaki.Migration.Validation.Reports;
using System.Text;

namespace Ogaki.Migration.Validation.Tests;

public class ReportTests
{
    internal static async Task<MemoryReportSink> Write(ReconciliationResult r)
    {
        var sink = new MemoryReportSink();
        await ReconciliationReports.WriteAllAsync(r, sink, TestContext.Current.CancellationToken);
        return sink;
    }

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }) ? bytes.AsSpan(3) : bytes);

    [Fact]
    public async Task Outcome_and_problems_of_the_sample()
    {
        var r = await ReportSample.BuildAsync(ReportSample.Run("a"));
        Assert.Equal(ReconciliationOutcome.Discrepancies, r.Outcome);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(
            [
                "Resident: 3 record discrepancies",
                "TaxAssessment: 1 record discrepancies",
                "TaxAssessment: 1 control totals differ",
                "validation: 2 errors",
            ],
            r.Problems);
        var fixedRun = await ReportSample.BuildAsync(ReportSample.Run("b"), fixedAfter: true);
        Assert.Equal(["validation: 2 errors"], fixedRun.Problems);
    }

    [Fact]
    public async Task Reports_are_byte_identical_apart_from_run_metadata()
    {
        var first = await Write(await ReportSample.BuildAsync(ReportSample.Run("run-1")));
        var second = await Write(await ReportSample.BuildAsync(ReportSample.Run("run-2")));
        var again = await Write(await ReportSample.BuildAsync(ReportSample.Run("run-1")));
        Assert.Equal(ReportFiles.All.Order(StringComparer.Ordinal), first.Files.Keys);
        foreach (var name in ReportFiles.All)
        {
            Assert.Equal(first.Files[name], again.Files[name]);
            Assert.Equal(ReportScrubber.Scrub(name, Text(first.Files[name])), ReportScrubber.Scrub(name, Text(second.Files[name])));
        }
        Assert.NotEqual(first.Files[ReportFiles.Json], second.Files[ReportFiles.Json]); // the run block does differ
        Assert.Contains("host-run-1", Text(first.Files[ReportFiles.Html]), StringComparison.Ordinal);
        Assert.DoesNotContain("host-run-1", ReportScrubber.Scrub(ReportFiles.Html, Text(first.Files[ReportFiles.Html])), StringComparison.Ordinal);
        Assert.DoesNotContain("host-run-1", ReportScrubber.Scrub(ReportFiles.Json, Text(first.Files[ReportFiles.Json])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_report_snapshot()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("snap")));
        Snap.Match(ReportScrubber.Scrub(ReportFiles.Json, Text(sink.Files[ReportFiles.Json])), "ReportTests.Json_report_snapshot");
    }

    [Fact]
    public async Task Markdown_report_snapshot()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("snap")));
        Snap.Match(ReportScrubber.Scrub(ReportFiles.Markdown, Text(sink.Files[ReportFiles.Markdown])), "ReportTests.Markdown_report_snapshot");
    }

    [Fact]
    public async Task Csv_report_snapshots()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("snap")));
        foreach (var name in new[] { ReportFiles.DiscrepanciesCsv, ReportFiles.RejectsCsv, ReportFiles.FindingsCsv })
        {
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, sink.Files[name][..3]);
            Snap.Match(Text(sink.Files[name]), "ReportTests.Csv_report_snapshots_" + name);
        }
    }

    [Fact]
    public async Task Html_report_is_self_contained_with_summary_first_and_drill_down()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("html")));
        var html = Text(sink.Files[ReportFiles.Html]);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"ja\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        var outcome = html.IndexOf("id=\"outcome\"", StringComparison.Ordinal);
        var counts = html.IndexOf("id=\"counts\"", StringComparison.Ordinal);
        var details = html.IndexOf("<details", StringComparison.Ordinal);
        Assert.True(outcome > 0 && outcome < counts && counts < details);
        Assert.Equal(CountOf(html, "<details"), CountOf(html, "</details>"));
        Assert.Equal(CountOf(html, "<table"), CountOf(html, "</table>"));
        Assert.Equal(CountOf(html, "<tr"), CountOf(html, "</tr>"));
        Assert.Contains("<details id=\"entity-Resident\">", html, StringComparison.Ordinal);
        Assert.Contains("件数 / Counts", html, StringComparison.Ordinal);
        Assert.Contains("差異あり / discrepancies", html, StringComparison.Ordinal);
        Assert.Contains("項目不一致 / field mismatch", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(ReportScrubber.Begin, StringComparison.Ordinal) < html.IndexOf("id=\"run\"", StringComparison.Ordinal));
        Assert.EndsWith("</body>\n</html>\n", html, StringComparison.Ordinal);
        // A well-formed XML subset: parses as XHTML once the doctype and void meta are handled.
        var xml = html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal).Replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\"/>", StringComparison.Ordinal)
            .Replace("initial-scale=1\">", "initial-scale=1\"/>", StringComparison.Ordinal);
        _ = System.Xml.Linq.XDocument.Parse(xml);
    }

    static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    [Fact]
    public async Task No_report_holds_a_clear_my_number_or_a_masked_name()
    {
        var dir = Directory.CreateTempSubdirectory("ogaki-reports-");
        try
        {
            var r = await ReportSample.BuildAsync(ReportSample.Run("pii"));
            await ReconciliationReports.WriteToDirectoryAsync(r, dir.FullName, TestContext.Current.CancellationToken);
            Assert.Equal(ReportFiles.All.Count, Directory.GetFiles(dir.FullName).Length);
            Assert.Empty(PersonalDataScanner.ScanDirectory(dir.FullName));
            foreach (var file in Directory.GetFiles(dir.FullName))
            {
                var text = File.ReadAllText(file);
                Assert.DoesNotContain(ReportSample.MyNumberB, text, StringComparison.Ordinal);
                Assert.DoesNotContain(ReportSample.MyNumberB2, text, StringComparison.Ordinal);
                Assert.DoesNotContain("山田", text, StringComparison.Ordinal);
                Assert.DoesNotContain(ReportSample.A, text, StringComparison.Ordinal); // 宛名番号 only as pseudonyms
            }
            // The sanity check of the check itself: the scanner does see a planted number.
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "planted.txt"), "x\nid " + ReportSample.MyNumberB + "\n", TestContext.Current.CancellationToken);
            var hit = Assert.Single(PersonalDataScanner.ScanDirectory(dir.FullName));
            Assert.Equal((2, 4, "9018"), (hit.Line, hit.Column, hit.LastFourDigits));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Auditor_unmask_shows_names_but_never_my_numbers()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("audit"), unmask: true));
        var md = Text(sink.Files[ReportFiles.Markdown]);
        Assert.Contains("`山田　花子` | `山田　華子`", md, StringComparison.Ordinal);
        Assert.Contains("unmasked (auditor option)", md, StringComparison.Ordinal);
        foreach (var bytes in sink.Files.Values) Assert.False(PersonalDataScanner.ContainsMyNumber(Text(bytes)));
    }

    [Fact]
    public async Task Development_key_is_flagged_in_every_report()
    {
        var dev = Pseudonymizer.FromValues(null, null);
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("dev"), pseudonymizer: dev));
        Assert.Contains("\"keySource\": \"development\"", Text(sink.Files[ReportFiles.Json]), StringComparison.Ordinal);
        Assert.Contains("id=\"dev-key\"", Text(sink.Files[ReportFiles.Html]), StringComparison.Ordinal);
        Assert.Contains("**警告 / Warning:**", Text(sink.Files[ReportFiles.Markdown]), StringComparison.Ordinal);
        var configured = await Write(await ReportSample.BuildAsync(ReportSample.Run("dev")));
        Assert.DoesNotContain("dev-key", Text(configured.Files[ReportFiles.Html]), StringComparison.Ordinal);
    }
}

/// <summary>What an auditor reads: labelled verdicts, filterable rejects, source locations, a narrow-screen layout.</summary>
public class AuditorReportTests
{
    static Task<MemoryReportSink> Write(ReconciliationResult r) => ReportTests.Write(r);

    static string Text(byte[] bytes) => ReportTests.Text(bytes);

    [Fact]
    public async Task Source_accounting_and_target_agreement_are_separate_verdicts_and_never_greener_than_the_truth()
    {
        var r = await ReportSample.BuildAsync(ReportSample.Run("verdicts"));
        var resident = r.Entities.Single(e => e.Entity.Name == "Resident");
        // Resident: read 4 = mapped 3 + rejected 1, yet a row is missing, one unexpected and one mismatched.
        Assert.True(resident.SourceBalanced);
        Assert.False(resident.TargetAgrees);
        Assert.True(r.Entities.Single(e => e.Entity.Name == "Household").TargetAgrees);
        var sink = await Write(r);

        var md = Text(sink.Files[ReportFiles.Markdown]);
        var row = md.Split('\n').Single(l => l.StartsWith("| JUKI 住民記録 | Resident ", StringComparison.Ordinal));
        var cells = row.Split('|').Select(c => c.Trim()).ToList();
        Assert.Equal("OK", cells[7]);       // 受入勘定 / Source accounting
        Assert.Equal("**NG**", cells[15]);  // 移行先照合 / Target agreement
        Assert.Contains("受入勘定 / Source accounting: read = mapped + rejected + excluded", md, StringComparison.Ordinal);
        Assert.DoesNotContain("均衡 / Balanced", md, StringComparison.Ordinal);
        // The JUKI area total is not agreed either, because one of its entities is not.
        Assert.EndsWith("| **NG** |", md.Split('\n').Single(l => l.StartsWith("| **JUKI 計 / total**", StringComparison.Ordinal)), StringComparison.Ordinal);

        var html = Text(sink.Files[ReportFiles.Html]);
        var htmlRow = html.Split('\n').Single(l => l.Contains("<td>Resident 住民", StringComparison.Ordinal) && l.StartsWith("<tr>", StringComparison.Ordinal));
        Assert.Equal(["ok", "ng"], System.Text.RegularExpressions.Regex.Matches(htmlRow, "<td class=\"(ok|ng|unknown)\">").Select(m => m.Groups[1].Value));

        using var json = System.Text.Json.JsonDocument.Parse(sink.Files[ReportFiles.Json]);
        var entity = json.RootElement.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == "Resident");
        Assert.Equal("ok", entity.GetProperty("verdicts").GetProperty("sourceAccounting").GetString());
        Assert.Equal("ng", entity.GetProperty("verdicts").GetProperty("targetAgreement").GetString());
        var tax = json.RootElement.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == "TaxAssessment");
        Assert.Equal("unknown", tax.GetProperty("verdicts").GetProperty("sourceAccounting").GetString()); // no pipeline counts: not green
    }

    [Fact]
    public async Task Rejects_csv_has_a_column_per_fact_and_the_html_groups_rejects_by_reason()
    {
        var sink = await Write(await ReportSample.BuildAsync(ReportSample.Run("rejects")));
        var lines = Text(sink.Files[ReportFiles.RejectsCsv]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("source,file,record,offset,field,key_pseudonym,item_id,項目名,reason_code,reason", lines[0]);
        var date = lines.Single(l => l.Contains("invalid-date", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["mainframe:JUKIMAST", "JUKIMAST.DAT", "21", "20160", "R-SEINEN-YMD"], date[..5]);
        Assert.Matches("^p-[a-p]{16}$", date[5]);
        Assert.Equal(["00100012", "生年月日", "invalid-date", "not a real date"], date[6..]);
        // Both problems of the one record carry the same key, each with its own item.
        Assert.Equal(2, lines.Count(l => l.Contains(date[5], StringComparison.Ordinal)));

        var html = Text(sink.Files[ReportFiles.Html]);
        var reasons = html.IndexOf("id=\"reject-reasons\"", StringComparison.Ordinal);
        Assert.True(reasons > 0 && reasons < html.IndexOf("class=\"reject-group\"", StringComparison.Ordinal));
        Assert.Contains("<tr><td><code>invalid-packed-decimal</code></td><td class=\"n\">1</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"total\"><th>計 / total</th><td class=\"n\">4</td></tr>", html, StringComparison.Ordinal);
        Assert.Equal(4, html.Split("class=\"reject-group\"").Length - 1); // one fold per reason code
    }

    [Fact]
    public async Task Html_names_a_cjk_font_stack_and_scrolls_tables_on_a_narrow_screen()
    {
        var html = Text((await Write(await ReportSample.BuildAsync(ReportSample.Run("narrow")))).Files[ReportFiles.Html]);
        Assert.Contains("font-family:\"Noto Sans CJK JP\"", html, StringComparison.Ordinal);
        foreach (var font in new[] { "\"Yu Gothic\"", "Meiryo", "sans-serif" }) Assert.Contains(font, html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Equal(html.Split("<table").Length, html.Split("<div class=\"scroll\"><table").Length); // every table in a scroll box
    }

    [Fact]
    public void Reports_say_the_tool_version_with_its_commit()
    {
        var run = RunMetadata.Now("v", DateTimeOffset.UtcNow);
        Assert.Equal(ToolVersion.Current, run.ToolVersion);
        Assert.StartsWith("0.1.0", ToolVersion.Current, StringComparison.Ordinal);
        Assert.NotEqual("1.0.0.0", ToolVersion.Current);
    }
}
