using Snapshooter;
using Snapshooter.Xunit3;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>sample, inspect, report diff, configuration and the documented exit codes on bad input.</summary>
[Collection(nameof(EnvironmentCollection))]
public class CommandTests
{
    internal static readonly Lazy<Task<string>> Estate = new(async () =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-cli-estate-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(dir, "estate.json")))
        {
            var r = await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "42", "--out", dir);
            Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        }
        return dir;
    });

    [Fact]
    public async Task Sample_writes_the_four_legacy_systems_with_ground_truth()
    {
        var dir = await Estate.Value;
        foreach (var f in new[] { "mainframe/ZEIMAST.dat", "opensys/JUMIN.dat", "opensys/SETAI.dat", "csv/IDO_RIREKI.csv", "sqlite/jidoteate.db", "ground-truth.csv", "gaiji.csv", "estate.json", "layouts/ZEIMAST.cpy" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
    }

    public static TheoryData<string, string[]> LegacyFiles => new()
    {
        { "mainframe", ["--layout", "layouts/ZEIMAST.cpy", "--encoding", "ibm930", "mainframe/ZEIMAST.dat"] },
        { "opensys-jumin", ["--layout", "layouts/JUMIN.layout.csv", "--encoding", "cp932", "opensys/JUMIN.dat"] },
        { "opensys-setai", ["--layout", "layouts/SETAI.layout.csv", "opensys/SETAI.dat"] },
        { "csv", ["csv/IDO_RIREKI.csv"] },
        { "sqlite", ["--table", "JUKYUSHA", "sqlite/jidoteate.db"] },
    };

    [Theory]
    [MemberData(nameof(LegacyFiles))]
    public async Task Inspect_decodes_each_legacy_file_type_as_json_lines(string kind, string[] args)
    {
        var dir = await Estate.Value;
        var full = args.Select(a => a.Contains('/', StringComparison.Ordinal) ? Path.Combine(dir, a) : a).ToList();
        var r = await CliRunner.RunAsync(["inspect", "--limit", "3", .. full]);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Error);
        var lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => System.Text.Json.JsonDocument.Parse(l).Dispose());
        Assert.Contains("inspect: 3 read", r.Error, StringComparison.Ordinal);
        Snapshot.Match(r.Output, SnapshotNameExtension.Create(kind));
    }

    [Fact]
    public async Task Inspect_masks_my_numbers_unless_asked()
    {
        var dir = await Estate.Value;
        var masked = await CliRunner.RunAsync("inspect", "--limit", "20", "--layout", Path.Combine(dir, "layouts/ZEIMAST.cpy"), Path.Combine(dir, "mainframe/ZEIMAST.dat"));
        var clear = await CliRunner.RunAsync("inspect", "--limit", "20", "--show-my-numbers", "--layout", Path.Combine(dir, "layouts/ZEIMAST.cpy"), Path.Combine(dir, "mainframe/ZEIMAST.dat"));
        Assert.False(Ogaki.Migration.Validation.Privacy.PersonalDataScanner.ContainsMyNumber(masked.Output));
        Assert.True(Ogaki.Migration.Validation.Privacy.PersonalDataScanner.ContainsMyNumber(clear.Output));
    }

    [Fact]
    public async Task Conformance_passes_a_correct_manifest_and_fails_a_wrong_one_with_a_clear_report()
    {
        var dir = await Estate.Value;
        using var tmp = new TempFolder();
        // Expectations taken from the file independently of our codec: layout offsets + the BCL's CP932 decoder.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var cp932 = System.Text.Encoding.GetEncoding(932);
        var data = Path.Combine(dir, "opensys", "SETAI.dat");
        var bytes = await File.ReadAllBytesAsync(data, TestContext.Current.CancellationToken);
        const int RecordLength = 318 + 2; // CRLF
        string Text(int offset, int length) => cp932.GetString(bytes, offset, length).TrimEnd(' ');
        var records = bytes.Length / RecordLength;
        string Manifest(long count) => System.Text.Json.JsonSerializer.Serialize(new
        {
            name = "SETAI cp932 (built-in sample)",
            layout = Path.Combine(dir, "layouts", "SETAI.layout.csv"),
            encoding = "cp932",
            sample = data,
            expectedRecordCount = count,
            expectedRecords = new object[]
            {
                new
                {
                    record = 1, offset = 0,
                    fields = new Dictionary<string, object>
                    {
                        ["SETAINUSHI_SHIMEI"] = Text(20, 40),
                        ["SETAINUSHI_KANA"] = Text(60, 40),
                        ["SETAIIN_SU"] = decimal.Parse(Text(100, 3), System.Globalization.CultureInfo.InvariantCulture),
                        ["MACHIAZA"] = Text(116, 60),
                    },
                },
            },
        });
        var good = Path.Combine(tmp.Path, "good.json");
        var bad = Path.Combine(tmp.Path, "bad.json");
        await File.WriteAllTextAsync(good, Manifest(records), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(bad, Manifest(records + 1), TestContext.Current.CancellationToken);
        var ok = await CliRunner.RunAsync("conformance", good);
        Assert.True(ok.ExitCode == ExitCodes.Ok, ok.Output + ok.Error);
        Assert.Contains("PASSED", ok.Output, StringComparison.Ordinal);
        var fail = await CliRunner.RunAsync("conformance", bad);
        Assert.Equal(ExitCodes.Discrepancies, fail.ExitCode);
        Assert.Contains("FAILED", fail.Output, StringComparison.Ordinal);
        Assert.Contains("[FAIL] required record-count", fail.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fitgap_reports_the_four_legacy_systems_against_the_spec()
    {
        var dir = await Estate.Value;
        var r = await CliRunner.RunAsync("fitgap", "--source", dir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Error);
        foreach (var system in new[] { "opensys", "csv", "mainframe", "sqlite" })
            Assert.Contains(system, r.Output, StringComparison.Ordinal);
        Snapshot.Match(r.Output);
    }

    [Fact]
    public async Task Missing_files_and_folders_are_one_line_with_the_invalid_input_code()
    {
        var r = await CliRunner.RunAsync("dry-run", "--source", "/nonexistent/estate", "--runs", Path.GetTempPath());
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("legacy source folder /nonexistent/estate not found", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        r = await CliRunner.RunAsync("inspect", "/nonexistent.dat");
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        r = await CliRunner.RunAsync("dry-run", "--config", "/nonexistent.json");
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("configuration file /nonexistent.json not found", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_configuration_is_invalid_input()
    {
        using var tmp = new TempFolder();
        var config = Path.Combine(tmp.Path, "bad.json");
        await File.WriteAllTextAsync(config, "{ \"Target\": ", TestContext.Current.CancellationToken);
        var r = await CliRunner.RunAsync("dry-run", "--config", config);
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("is not valid JSON", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_an_infrastructure_failure_and_the_run_stays_incomplete()
    {
        using var tmp = new TempFolder();
        var dir = await Estate.Value;
        var r = await CliRunner.RunAsync("dry-run", "--source", dir, "--target", "Host=127.0.0.1;Port=1;Username=x;Password=secret-pw;Database=x;Timeout=2", "--runs", tmp.Path);
        Assert.Equal(ExitCodes.Infrastructure, r.ExitCode);
        Assert.DoesNotContain("secret-pw", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // No run folder is presented as complete.
        Assert.All(Directory.EnumerateFiles(tmp.Path, "manifest.json", SearchOption.AllDirectories),
            m => Assert.Contains("\"incomplete\"", File.ReadAllText(m), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_diff_compares_two_rehearsals()
    {
        using var tmp = new TempFolder();
        var dir = await Estate.Value;
        var a = await CliRunner.RunAsync("dry-run", "--source", dir, "--runs", tmp.Path);
        var b = await CliRunner.RunAsync("dry-run", "--source", dir, "--runs", tmp.Path);
        string Id(string o) => Path.GetFileName(o[(o.LastIndexOf("reports: ", StringComparison.Ordinal) + 9)..].Split('\n')[0].Trim());
        var d = await CliRunner.RunAsync("report", "diff", Id(a.Output), Id(b.Output), "--runs", tmp.Path);
        Assert.True(d.ExitCode == ExitCodes.Ok, d.Error);
        Assert.NotEmpty(d.Output);
        // The same input twice: byte-identical reports apart from the run metadata.
        var ja = Ogaki.Migration.Validation.Reports.ReportScrubber.Scrub("reconciliation.json", await File.ReadAllTextAsync(Path.Combine(tmp.Path, Id(a.Output), "reconciliation.json"), TestContext.Current.CancellationToken));
        var jb = Ogaki.Migration.Validation.Reports.ReportScrubber.Scrub("reconciliation.json", await File.ReadAllTextAsync(Path.Combine(tmp.Path, Id(b.Output), "reconciliation.json"), TestContext.Current.CancellationToken));
        Assert.Equal(ja, jb);
    }

    [Fact]
    public async Task A_dry_run_reads_its_settings_from_a_configuration_file_and_the_environment()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await Services.FreshPostgresDatabaseAsync("config");
        var pg = db.ConnectionString;
        var blob = Services.AzureBlob;
        using var tmp = new TempFolder();
        var dir = await Estate.Value;
        var config = Path.Combine(tmp.Path, "rehearsal.json");
        await File.WriteAllTextAsync(config, System.Text.Json.JsonSerializer.Serialize(new { Source = dir, RunsDirectory = tmp.Path, BatchSize = 500 }), ct);
        Environment.SetEnvironmentVariable("OGAKI_Target", pg);
        Environment.SetEnvironmentVariable("OGAKI_Store", blob + ";Container=cli-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var r = await CliRunner.RunAsync("dry-run", "--config", config);
            Assert.True(r.ExitCode is ExitCodes.Ok or ExitCodes.Discrepancies, r.Output + r.Error);
            Assert.Contains("azure blob", await File.ReadAllTextAsync(Directory.EnumerateFiles(tmp.Path, "run-config.json", SearchOption.AllDirectories).First(), ct), StringComparison.Ordinal);
            Assert.DoesNotContain("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", string.Concat(Directory.EnumerateFiles(tmp.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText)), StringComparison.Ordinal);
            var runId = Path.GetFileName(r.Output[(r.Output.LastIndexOf("reports: ", StringComparison.Ordinal) + 9)..].Split('\n')[0].Trim());
            var verify = await CliRunner.RunAsync("verify", runId, "--runs", tmp.Path);
            Assert.True(verify.ExitCode == ExitCodes.Ok, verify.Output + verify.Error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OGAKI_Target", null);
            Environment.SetEnvironmentVariable("OGAKI_Store", null);
        }
    }
}
