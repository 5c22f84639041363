namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// A run accounts for its sources: data lost before mapping (a file emptied, overwritten, cut short, a record deleted
/// under its trailer) is a reconciliation problem in every report and exit 1, never "Reconciled".
/// </summary>
[Collection(nameof(EnvironmentCollection))]
public class SourceAccountingTests
{
    const int ZeimastRecord = 700; // RECFM=F LRECL=700, no terminator

    public static TheoryData<string, string> Damages => new()
    {
        { "empty JUMIN.dat", "fixed:JUMIN.dat: empty" },
        { "random JUMIN.dat", "fixed:JUMIN.dat: unreadable" },
        { "JUMIN.dat cut at a record boundary", "fixed:JUMIN.dat: expected-count" },
        { "JUMIN.dat mostly undecodable", "fixed:JUMIN.dat: unreadable" },
        { "ZEIMAST.dat cut in half", "fixed:ZEIMAST.dat: control-count" },
        { "ZEIMAST.dat one record deleted", "fixed:ZEIMAST.dat: control-count" },
        { "SHIHARAI emptied", "sqlite:jidoteate.db:SHIHARAI: empty" },
        { "IDO_RIREKI.csv rows deleted", "csv:IDO_RIREKI.csv: expected-count" },
    };

    static void Damage(string estate, string damage)
    {
        string F(string p) => Path.Combine(estate, p);
        switch (damage)
        {
            case "empty JUMIN.dat":
                File.WriteAllBytes(F("opensys/JUMIN.dat"), []);
                break;
            case "random JUMIN.dat":
                var random = new byte[new FileInfo(F("opensys/JUMIN.dat")).Length];
                new Random(7).NextBytes(random);
                File.WriteAllBytes(F("opensys/JUMIN.dat"), random);
                break;
            case "JUMIN.dat cut at a record boundary":
                var jumin = File.ReadAllBytes(F("opensys/JUMIN.dat"));
                File.WriteAllBytes(F("opensys/JUMIN.dat"), jumin[..(800 * 10)]); // 798 bytes + CRLF
                break;
            case "JUMIN.dat mostly undecodable":
                // Letters in 宛名番号 (PIC 9) of two records in three: every record is still there, most do not decode.
                var most = File.ReadAllBytes(F("opensys/JUMIN.dat"));
                for (var at = 0; at + 800 <= most.Length; at += 800)
                    if (at / 800 % 3 != 0) most.AsSpan(at, 10).Fill((byte)'Z');
                File.WriteAllBytes(F("opensys/JUMIN.dat"), most);
                break;
            case "ZEIMAST.dat cut in half":
                var half = File.ReadAllBytes(F("mainframe/ZEIMAST.dat"));
                File.WriteAllBytes(F("mainframe/ZEIMAST.dat"), half[..(half.Length / ZeimastRecord / 2 * ZeimastRecord)]);
                break;
            case "ZEIMAST.dat one record deleted":
                var z = File.ReadAllBytes(F("mainframe/ZEIMAST.dat"));
                File.WriteAllBytes(F("mainframe/ZEIMAST.dat"), [.. z[..(ZeimastRecord * 5)], .. z[(ZeimastRecord * 6)..]]);
                break;
            case "SHIHARAI emptied":
                using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={F("sqlite/jidoteate.db")};Pooling=False"))
                {
                    conn.Open();
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "DELETE FROM SHIHARAI";
                    cmd.ExecuteNonQuery();
                }
                break;
            case "IDO_RIREKI.csv rows deleted":
                var lines = File.ReadAllLines(F("csv/IDO_RIREKI.csv"));
                File.WriteAllLines(F("csv/IDO_RIREKI.csv"), lines[..^3]);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Lost_source_data_is_a_problem_in_every_report_and_exit_1(string damage, string problem)
    {
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        SmallEstate.Copy(await SmallEstate.PathAsync(), estate);
        Damage(estate, damage);
        var runs = Path.Combine(tmp.Path, "runs");
        var r = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", runs);
        Assert.True(r.ExitCode == ExitCodes.Discrepancies, $"{damage}: exit {r.ExitCode}\n{r.Output}{r.Error}");
        Assert.Contains("source " + problem, r.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Reconciled", r.Output, StringComparison.Ordinal);
        var run = Directory.GetDirectories(runs).Single(d => !Path.GetFileName(d).StartsWith('.'));
        foreach (var report in new[] { "reconciliation.md", "reconciliation.html", "reconciliation.json" })
            Assert.Contains(problem, File.ReadAllText(Path.Combine(run, report)), StringComparison.Ordinal);
        var kind = problem[(problem.LastIndexOf(": ", StringComparison.Ordinal) + 2)..];
        Assert.Contains($" | {kind} | ", File.ReadAllText(Path.Combine(run, "mapping", "mapping-report.md")), StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "reconciliation.json")));
        Assert.Equal("discrepancies", json.RootElement.GetProperty("outcome").GetString(), ignoreCase: true);
    }

    [Fact]
    public async Task An_intact_estate_meets_its_expected_counts_and_verify_takes_the_run_folder_path()
    {
        using var tmp = new TempFolder();
        var runs = Path.Combine(tmp.Path, "runs");
        var r = await CliRunner.RunAsync("dry-run", "--source", await SmallEstate.PathAsync(), "--runs", runs);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        Assert.Contains("0 problem(s)", r.Output, StringComparison.Ordinal);
        var run = Directory.GetDirectories(runs).Single(d => !Path.GetFileName(d).StartsWith('.'));
        // The path the dry-run prints ("reports: runs/<id>") is accepted as well as the id.
        var v = await CliRunner.RunAsync("verify", run + "/");
        Assert.True(v.ExitCode == ExitCodes.Ok, v.Output + v.Error);
        Assert.Contains("verify: intact", v.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_counts_of_a_real_extract_come_from_expected_counts_json()
    {
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        SmallEstate.Copy(await SmallEstate.PathAsync(), estate);
        // A real extract has no estate.json; its own control file announces one JUMIN record more than it holds.
        File.Delete(Path.Combine(estate, "estate.json"));
        var jumin = File.ReadAllBytes(Path.Combine(estate, "opensys/JUMIN.dat")).Length / 800;
        File.WriteAllText(Path.Combine(estate, "expected-counts.json"), $"{{\"counts\": {{\"opensys/JUMIN.dat\": {jumin + 1}}}}}");
        var r = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", Path.Combine(tmp.Path, "runs"));
        Assert.True(r.ExitCode == ExitCodes.Discrepancies, r.Output + r.Error);
        Assert.Contains($"fixed:JUMIN.dat: expected-count: {jumin} records read; expected-counts.json announces {jumin + 1} (1 missing)", r.Output, StringComparison.Ordinal);
    }
}
