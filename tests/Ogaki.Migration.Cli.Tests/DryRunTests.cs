using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Validation.Privacy;
using System.Text.Json;
using Npgsql;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>dry-run, verify and report diff, driven in-process as a user would type them.</summary>
[Collection(nameof(EnvironmentCollection))]
public class DryRunTests
{
    internal static string RunIdOf(string output)
    {
        var marker = "reports: ";
        var at = output.LastIndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        var path = output[(at + marker.Length)..].Split('\n')[0].Trim();
        return Path.GetFileName(path);
    }

    [Fact]
    public async Task A_dry_run_on_a_clean_sample_reconciles_writes_every_report_and_verifies()
    {
        using var tmp = new TempFolder();
        var r = await CliRunner.RunAsync("dry-run", "--scale", "0.003", "--clean-sample", "--runs", tmp.Path);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        Assert.Contains("outcome: Reconciled (exit 0)", r.Output, StringComparison.Ordinal);
        Assert.Contains("Resident", r.Output, StringComparison.Ordinal);
        var runId = RunIdOf(r.Output);
        var run = Path.Combine(tmp.Path, runId);
        foreach (var f in new[] { "reconciliation.json", "reconciliation.html", "reconciliation.md", "discrepancies.csv", "rejects.csv", "run.log", "manifest.json", "mapping/mapping-report.md" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "manifest.json")));
        Assert.Equal("complete", manifest.RootElement.GetProperty("status").GetString());

        var verify = await CliRunner.RunAsync("verify", runId, "--runs", tmp.Path);
        Assert.Equal(ExitCodes.Ok, verify.ExitCode);
        Assert.Contains("verify: intact", verify.Output, StringComparison.Ordinal);

        // A report rewritten by someone who also recomputes the manifest and its hash file: the seal gives it away.
        var md = Path.Combine(run, "reconciliation.md");
        await File.AppendAllTextAsync(md, "\nsigned off", TestContext.Current.CancellationToken);
        var mdBytes = await File.ReadAllBytesAsync(md, TestContext.Current.CancellationToken);
        var old = ArtifactManifest.Parse(await File.ReadAllBytesAsync(Path.Combine(run, "manifest.json"), TestContext.Current.CancellationToken));
        var forged = (old with
        {
            Artifacts = [.. old.Artifacts.Select(a => a.Name == "reconciliation.md"
                ? a with { Size = mdBytes.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(mdBytes)) }
                : a)],
        }).ToBytes();
        await File.WriteAllBytesAsync(Path.Combine(run, "manifest.json"), forged, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(run, "manifest.json.sha256"), ArtifactManifest.HashFile(forged), TestContext.Current.CancellationToken);
        verify = await CliRunner.RunAsync("verify", runId, "--runs", tmp.Path);
        Assert.Equal(ExitCodes.Discrepancies, verify.ExitCode);
        Assert.Contains("rewritten after the run", verify.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("verify: intact", verify.Output, StringComparison.Ordinal);

        // An auditor's copy altered behind the manifest's back is caught.
        await File.AppendAllTextAsync(Path.Combine(run, "reconciliation.md"), "\nedited", TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(run, "rejects.csv"));
        await File.WriteAllTextAsync(Path.Combine(run, "extra.txt"), "x", TestContext.Current.CancellationToken);
        verify = await CliRunner.RunAsync("verify", runId, "--runs", tmp.Path);
        Assert.Equal(ExitCodes.Discrepancies, verify.ExitCode);
        Assert.Contains("changed [reconciliation.md]", verify.Output, StringComparison.Ordinal);
        Assert.Contains("missing [rejects.csv]", verify.Output, StringComparison.Ordinal);
        Assert.Contains("extra [extra.txt]", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_into_standard_files_writes_one_file_per_group_and_reconciles_by_reading_them_back()
    {
        using var tmp = new TempFolder();
        var output = Path.Combine(tmp.Path, "out");
        var r = await CliRunner.RunAsync("dry-run", "--scale", "0.003", "--clean-sample", "--runs", tmp.Path, "--target", "files:" + output);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        Assert.Contains("outcome: Reconciled (exit 0)", r.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(tmp.Path, RunIdOf(r.Output), "reconciliation.json")));
        var entities = json.RootElement.GetProperty("entities").EnumerateArray().ToList();

        // One UTF-8 CSV per グループ (entity), nothing else but the ledger and the manifest.
        var csv = Directory.EnumerateFiles(output, "*.csv").Select(Path.GetFileName).Where(f => f != "_ledger.csv").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Ogaki.Migration.Standard.StandardSpec.Entities.Select(e => e.Table + ".csv").Order(StringComparer.Ordinal), csv);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(csv.Count, files.Count);
        foreach (var f in files)
        {
            var path = Path.Combine(output, f.GetProperty("file").GetString()!);
            Assert.Equal(f.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))));
            // The manifest's row count is what was loaded and matched.
            var matched = entities.Single(e => e.GetProperty("entity").GetString() == f.GetProperty("entity").GetString()).GetProperty("counts").GetProperty("matched").GetInt64();
            Assert.Equal(matched, f.GetProperty("rows").GetInt64());
        }
        Assert.Contains(files, f => f.GetProperty("rows").GetInt64() > 0);

        // Columns in データ項目ID order, named by the spec's ローマ字 field names (ours are provisional, and the manifest says
        // so); dates as YYYY-MM-DD; a date that may be 不詳 is followed (in id order, at the end) by its 不詳フラグ and 不詳表記.
        var resident = Ogaki.Migration.Standard.ResidentSpec.Entity;
        var lines = await File.ReadAllLinesAsync(Path.Combine(output, resident.Table + ".csv"), TestContext.Current.CancellationToken);
        Assert.StartsWith("atenabango,setaibango,", lines[0], StringComparison.Ordinal);
        Assert.Contains(",seinengappi_fushofuragu,seinengappi_fushohyoki,", lines[0], StringComparison.Ordinal);
        var residentFile = files.Single(f => f.GetProperty("entity").GetString() == "Resident");
        Assert.Contains(residentFile.GetProperty("provisional_field_names").EnumerateArray(), p => p.GetProperty("field").GetString() == "atenabango");
        var firstRow = lines[1];
        Assert.Matches(@",\d{4}-\d{2}-\d{2},", firstRow);
    }

    [Fact]
    public async Task A_dry_run_with_injected_defects_accounts_for_every_record_and_leaks_no_my_number()
    {
        using var tmp = new TempFolder();
        var r = await CliRunner.RunAsync("dry-run", "--scale", "0.005", "--runs", tmp.Path);
        // The injected defects are rejects (root causes); records that merely refer to a rejected one are warnings,
        // so the rehearsal reconciles.
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        var run = Path.Combine(tmp.Path, RunIdOf(r.Output));
        var findings = File.ReadAllLines(Path.Combine(run, "findings.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.DoesNotContain(findings, f => f[2] == "error");
        Assert.Contains(findings, f => f[3] == "taxpayer-resident-rejected" && f[2] == "warning");
        // The sorted source side spilled to the work folder holds personal data: nothing of it is left behind.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(tmp.Path, ".work"), "ogaki-reconcile-*", SearchOption.AllDirectories));
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "reconciliation.json")));
        var rejects = File.ReadAllLines(Path.Combine(run, "rejects.csv"));
        Assert.True(rejects.Length > 1, "the injected defects must appear as rejects");
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(Path.Combine(run, "rejects.csv"))[..3]); // UTF-8 BOM for Excel
        // Nothing lost: for every source, read = mapped + rejected + excluded; every mapped row is loaded and matched.
        foreach (var e in json.RootElement.GetProperty("entities").EnumerateArray())
        {
            var c = e.GetProperty("counts");
            Assert.Equal(c.GetProperty("mapped").GetInt64(), c.GetProperty("matched").GetInt64());
            if (c.GetProperty("read").ValueKind == JsonValueKind.Number)
                Assert.Equal(c.GetProperty("read").GetInt64(), c.GetProperty("mapped").GetInt64() + c.GetProperty("rejected").GetInt64() + c.GetProperty("excluded").GetInt64());
        }
        // No clear 個人番号 in any artifact of the run (the source legacy files hold thousands).
        foreach (var file in Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories))
            Assert.Empty(PersonalDataScanner.ScanFile(file));
        // ... although the source holds them: 個人番号 of JUMIN.dat's records (layout: KOJIN_NO at offset 653, 12 bytes, CRLF records of 798 bytes).
        var jumin = await File.ReadAllBytesAsync(Path.Combine(tmp.Path, ".work", RunIdOf(r.Output), "source", "opensys", "JUMIN.dat"), TestContext.Current.CancellationToken);
        var myNumbers = Enumerable.Range(0, jumin.Length / 800).Select(i => System.Text.Encoding.ASCII.GetString(jumin, i * 800 + 653, 12))
            .Where(n => Ogaki.Migration.Spec.CheckDigits.IsValidMyNumber(n)).ToList();
        Assert.True(myNumbers.Count > 100, $"{myNumbers.Count} valid My Numbers in the source");
        var reports = string.Concat(Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain(myNumbers, reports.Contains);
    }

    [Fact]
    public async Task The_same_estate_loads_into_postgresql_and_sqlite_with_identical_table_checksums()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await Services.FreshPostgresDatabaseAsync("parity");
        var pg = db.ConnectionString;
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("sample", "--scale", "0.003", "--seed", "11", "--out", estate)).ExitCode);
        var sqlite = "sqlite:" + Path.Combine(tmp.Path, "target.db");
        foreach (var target in new[] { pg, sqlite })
        {
            var r = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", target, "--runs", tmp.Path);
            Assert.True(r.ExitCode is ExitCodes.Ok or ExitCodes.Discrepancies, r.Output + r.Error);
        }
        await using var a = Ogaki.Migration.Targets.TargetFactory.Create(pg);
        await using var b = Ogaki.Migration.Targets.TargetFactory.Create(sqlite);
        foreach (var entity in Ogaki.Migration.Standard.StandardSpec.Entities)
        {
            var ca = await Ogaki.Migration.Targets.TableChecksum.ComputeAsync(a, entity, ct);
            var cb = await Ogaki.Migration.Targets.TableChecksum.ComputeAsync(b, entity, ct);
            Assert.Equal(ca, cb);
            Assert.True(ca.RowCount > 0, entity.Name);
        }
    }

    [Fact]
    public async Task Reconcile_lists_exactly_the_rows_changed_in_postgresql_behind_the_pipelines_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await Services.FreshPostgresDatabaseAsync("reconcile");
        var pg = db.ConnectionString;
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("sample", "--scale", "0.003", "--seed", "7", "--no-defects", "--out", estate)).ExitCode);
        var load = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path);
        Assert.True(load.ExitCode == ExitCodes.Ok, load.Output + load.Error);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("reconcile", "--source", estate, "--target", pg, "--runs", tmp.Path)).ExitCode);

        // Behind the pipeline's back: delete two residents, alter one name, alter one tax amount, duplicate one household.
        string[] deleted, altered;
        await using (var conn = new NpgsqlConnection(pg))
        {
            await conn.OpenAsync(ct);
            async Task<string[]> Keys(string sql)
            {
                var keys = new List<string>();
                await using var cmd = new NpgsqlCommand(sql, conn);
                await using var rd = await cmd.ExecuteReaderAsync(ct);
                while (await rd.ReadAsync(ct)) keys.Add(rd.GetString(0));
                return [.. keys];
            }
            deleted = await Keys("SELECT atena_no FROM juki_resident ORDER BY atena_no COLLATE \"C\" LIMIT 2");
            altered = await Keys("SELECT atena_no FROM juki_resident ORDER BY atena_no COLLATE \"C\" DESC LIMIT 1");
            var sql = $"""
                DELETE FROM juki_resident WHERE atena_no IN ('{deleted[0]}', '{deleted[1]}');
                UPDATE juki_resident SET shimei = shimei || '改' WHERE atena_no = '{altered[0]}';
                UPDATE kzei_assessment SET nen_zeigaku = nen_zeigaku + 100 WHERE ctid = (SELECT ctid FROM kzei_assessment ORDER BY atena_no COLLATE "C", kazei_nendo LIMIT 1);
                ALTER TABLE juki_household DROP CONSTRAINT IF EXISTS pk_juki_household;
                DO $$ DECLARE c text; BEGIN
                  SELECT conname INTO c FROM pg_constraint WHERE conrelid = 'juki_household'::regclass AND contype = 'p';
                  IF c IS NOT NULL THEN EXECUTE 'ALTER TABLE juki_household DROP CONSTRAINT ' || quote_ident(c); END IF; END $$;
                INSERT INTO juki_household SELECT * FROM juki_household ORDER BY setai_no COLLATE "C" LIMIT 1;
                ALTER TABLE juki_household ALTER COLUMN setai_no DROP NOT NULL;
                INSERT INTO juki_household SELECT * FROM juki_household ORDER BY setai_no COLLATE "C" DESC LIMIT 1;
                UPDATE juki_household SET setai_no = NULL WHERE ctid = (SELECT max(ctid) FROM juki_household);
                """;
            await using var tamper = new NpgsqlCommand(sql, conn);
            await tamper.ExecuteNonQueryAsync(ct);
        }

        var rec = await CliRunner.RunAsync("reconcile", "--source", estate, "--target", pg, "--runs", tmp.Path);
        Assert.True(rec.ExitCode == ExitCodes.Discrepancies, rec.Output + rec.Error);
        var run = Path.Combine(tmp.Path, RunIdOf(rec.Output));
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "reconciliation.json")));
        var entities = json.RootElement.GetProperty("entities").EnumerateArray().ToDictionary(e => e.GetProperty("entity").GetString()!);
        long Count(string entity, string counter) => entities[entity].GetProperty("counts").GetProperty(counter).GetInt64();
        Assert.Equal(2, Count("Resident", "missingInTarget"));
        Assert.Equal(1, Count("Resident", "fieldMismatch"));
        Assert.Equal(0, Count("Resident", "unexpectedInTarget"));
        Assert.Equal(1, Count("TaxAssessment", "fieldMismatch"));
        Assert.Equal(1, Count("Household", "duplicate"));
        Assert.Equal(1, Count("Household", "unexpectedInTarget")); // the row whose key was set to NULL, read back last
        foreach (var other in new[] { "ResidentHistory", "TaxIncome", "AllowanceRecipient", "AllowanceChild" })
            Assert.Equal(Count(other, "mapped"), Count(other, "matched"));
        var csv = await File.ReadAllTextAsync(Path.Combine(run, "discrepancies.csv"), ct);
        Assert.Contains("00100008", csv, StringComparison.Ordinal); // 氏名 is the differing item
        Assert.Contains("00400017", csv, StringComparison.Ordinal); // 年税額
        Assert.DoesNotContain(deleted[0], csv, StringComparison.Ordinal); // keys are pseudonymised
        // The tax control total differs by exactly 100 yen.
        Assert.Contains("100", File.ReadAllText(Path.Combine(run, "reconciliation.md")), StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;
