using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ogaki.Migration.LegacyEstate;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// Issue #6's done-when at full size: a dry run of the scale-1 sample (大垣市, seed 42, the default injected defects)
/// into real PostgreSQL reconciles, and its reports list exactly the injected defects of the ground truth — every
/// row of <c>rejects.csv</c> is an injected defect of its file, record and kind, and every injected defect the
/// mapping rejects is there (unknown dates are kept, not rejected).
/// </summary>
public sealed partial class ScaleOneReportTests
{
    [Fact]
    public async Task A_scale_1_dry_run_reports_exactly_the_injected_defects()
    {
        await using var db = await Services.FreshPostgresDatabaseAsync("scale1");
        var pg = db.ConnectionString;
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("sample", "--scale", "1", "--seed", "42", "--out", estate)).ExitCode);
        var r = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        var run = Path.Combine(tmp.Path, DryRunTests.RunIdOf(r.Output));

        // (file or SQLite table, record number, kind); a record with several issues lists each of them.
        var rejectKinds = DefectKinds.All.Where(k => k != DefectKinds.UnknownDate).ToHashSet(StringComparer.Ordinal);
        var truth = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(estate, "ground-truth.csv")).Skip(1))
        {
            var c = line.Split(',', 6); // system,file,record_key,kind,field,detail
            if (!rejectKinds.Contains(c[3])) continue;
            var file = c[1] == "jidoteate.db" ? c[4][..c[4].IndexOf('.', StringComparison.Ordinal)] : c[1];
            truth.Add($"{file}#{RecordNo().Match(c[5]).Groups[1].Value} {c[3]}");
        }
        var reported = File.ReadLines(Path.Combine(run, "rejects.csv")).Skip(1)
            .Select(l => l.Split(',', 10)) // source,file,record,offset,field,key_pseudonym,item_id,項目名,reason_code,reason
            .Select(c => $"{c[1]}#{c[2]} {c[8]}").Distinct(StringComparer.Ordinal).ToList();
        truth.Sort(StringComparer.Ordinal);
        reported.Sort(StringComparer.Ordinal);
        Assert.True(truth.Count > 1000, $"{truth.Count} injected defects");
        var missing = truth.Except(reported, StringComparer.Ordinal).Take(10).ToList();
        var extra = reported.Except(truth, StringComparer.Ordinal).Take(10).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: {string.Join(" | ", missing)}\nextra: {string.Join(" | ", extra)}");
        Assert.Equal(truth, reported);

        // Every loaded row was read back and matched; nothing else differs.
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "reconciliation.json")));
        Assert.Equal("reconciled", json.RootElement.GetProperty("outcome").GetString());
        foreach (var e in json.RootElement.GetProperty("entities").EnumerateArray())
        {
            var c = e.GetProperty("counts");
            Assert.Equal(c.GetProperty("mapped").GetInt64(), c.GetProperty("matched").GetInt64());
            Assert.Equal(c.GetProperty("loaded").GetInt64(), c.GetProperty("matched").GetInt64());
        }
        Assert.Single(File.ReadLines(Path.Combine(run, "discrepancies.csv"))); // the header only
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{truth.Count} injected defects reported as rejects"));
    }

    [GeneratedRegex(@"^record (\d+)")]
    private static partial Regex RecordNo();
}
