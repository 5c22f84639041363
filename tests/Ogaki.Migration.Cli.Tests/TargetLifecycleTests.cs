using System.Text.Json;
using Npgsql;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// The target over a run's life: lost during the read-back, finished by the same run id; a second rehearsal into a
/// database an earlier one loaded; a target that does not exist. Real PostgreSQL and SQLite, through the CLI.
/// </summary>
[Collection(nameof(EnvironmentCollection))]
public class TargetLifecycleTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly Lazy<Task<string>> Estate = new(async () =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-cli-lifecycle-estate-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(dir, "estate.json")))
        {
            var r = await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "7", "--out", dir);
            Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        }
        return dir;
    });

    static async Task SqlAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    static string RunIdOf(string output) => DryRunTests.RunIdOf(output);

    static long TaxMapped(byte[] reconciliationJson)
    {
        using var json = JsonDocument.Parse(reconciliationJson);
        return json.RootElement.GetProperty("entities").EnumerateArray()
            .Single(e => e.GetProperty("entity").GetString() == TaxAssessmentSpec.Entity.Name).GetProperty("counts").GetProperty("mapped").GetInt64();
    }

    [Fact]
    public async Task A_target_lost_during_the_read_back_is_exit_3_everywhere_and_the_same_run_id_finishes_without_reloading()
    {
        using var tmp = new TempFolder();
        var estate = await Estate.Value;
        await using var db = await Services.FreshPostgresDatabaseAsync("lost");
        var pg = db.ConnectionString;
        var table = TaxAssessmentSpec.Entity.Table;
        // The schema first, then a trigger that takes the right to read the tax table away as its rows are committed:
        // the load succeeds and the read-back fails, as when a DBA revokes access or the table goes away mid-run.
        await using (var schema = Ogaki.Migration.Targets.TargetFactory.Create(pg))
            await schema.EnsureSchemaAsync(StandardSpec.Entities, Ct);
        await SqlAsync(pg, "CREATE FUNCTION lose_select() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
            $"IF NEW.entity = '{TaxAssessmentSpec.Entity.Name}' THEN EXECUTE 'REVOKE SELECT ON {table} FROM ' || quote_ident(current_user); END IF; RETURN NEW; END $$; " +
            "CREATE TRIGGER lose_select AFTER INSERT ON ogaki_run_ledger FOR EACH ROW EXECUTE FUNCTION lose_select();");

        var lost = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path);

        Assert.True(lost.ExitCode == ExitCodes.Infrastructure, lost.Output + lost.Error);
        var runId = RunIdOf(lost.Output);
        var run = Path.Combine(tmp.Path, runId);
        var failedReport = await File.ReadAllBytesAsync(Path.Combine(run, "reconciliation.json"), Ct);
        var taxMappedBefore = TaxMapped(failedReport);
        Assert.True(taxMappedBefore > 1, "mapped is what the mapping made, not the one row read before the failure");
        using (var json = JsonDocument.Parse(failedReport))
        {
            Assert.Equal(ExitCodes.Infrastructure, json.RootElement.GetProperty("exitCode").GetInt32()); // the report states the real exit code
            var problems = json.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            var problem = Assert.Single(problems);
            Assert.StartsWith("TaxAssessment: not compared:", problem, StringComparison.Ordinal);
        }
        Assert.Contains("(exit code 3)", await File.ReadAllTextAsync(Path.Combine(run, "reconciliation.md"), Ct), StringComparison.Ordinal);
        Assert.Contains("\"incomplete\"", await File.ReadAllTextAsync(Path.Combine(run, "manifest.json"), Ct), StringComparison.Ordinal);
        Assert.Contains("--run-id " + runId, lost.Output, StringComparison.Ordinal);

        // The access comes back; the same run id finishes: nothing is loaded again, the reconciliation completes.
        await SqlAsync(pg, $"GRANT SELECT ON {table} TO CURRENT_USER; DROP TRIGGER lose_select ON ogaki_run_ledger;");
        var resumed = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path, "--run-id", runId);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Output + resumed.Error);
        Assert.Contains("outcome: Reconciled (exit 0)", resumed.Output, StringComparison.Ordinal);
        // What was mapped is reported as mapped when the read-back failed, not as the rows read before the failure.
        Assert.Equal(TaxMapped(await File.ReadAllBytesAsync(Path.Combine(run, "reconciliation.json"), Ct)), taxMappedBefore);
        var verify = await CliRunner.RunAsync("verify", runId, "--runs", tmp.Path);
        Assert.True(verify.ExitCode == ExitCodes.Ok, verify.Output + verify.Error);
    }

    [Fact]
    public async Task A_second_rehearsal_into_a_loaded_database_is_refused_up_front_and_reset_target_drops_only_our_tables()
    {
        using var tmp = new TempFolder();
        var estate = await Estate.Value;
        await using var db = await Services.FreshPostgresDatabaseAsync("second");
        var pg = db.ConnectionString;
        await SqlAsync(pg, "CREATE TABLE municipal_notes (id int PRIMARY KEY); INSERT INTO municipal_notes VALUES (1);");
        var first = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        var firstId = RunIdOf(first.Output);

        var second = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path);

        Assert.Equal(ExitCodes.InvalidInput, second.ExitCode);
        var line = Assert.Single(second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(firstId, line, StringComparison.Ordinal);
        Assert.Contains("--reset-target", line, StringComparison.Ordinal);
        Assert.DoesNotContain("duplicate key", line, StringComparison.Ordinal);

        var reset = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", pg, "--runs", tmp.Path, "--reset-target");
        Assert.True(reset.ExitCode == ExitCodes.Ok, reset.Output + reset.Error);
        await using var conn = new NpgsqlConnection(pg);
        await conn.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM municipal_notes), (SELECT count(DISTINCT run_id) FROM ogaki_run_ledger)", conn);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        Assert.True(await r.ReadAsync(Ct));
        Assert.Equal(1L, r.GetInt64(0)); // a table of someone else's is never touched
        Assert.Equal(1L, r.GetInt64(1)); // only the new rehearsal is in the ledger
    }

    [Fact]
    public async Task Reconcile_against_a_sqlite_file_that_does_not_exist_is_one_infrastructure_error_and_creates_nothing()
    {
        using var tmp = new TempFolder();
        var estate = await Estate.Value;
        var missing = Path.Combine(tmp.Path, "no", "such.db");

        var r = await CliRunner.RunAsync("reconcile", "--source", estate, "--target", "sqlite:" + missing, "--runs", tmp.Path);

        Assert.Equal(ExitCodes.Infrastructure, r.ExitCode);
        var line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
        Assert.Empty(Directory.EnumerateFiles(tmp.Path, "reconciliation.json", SearchOption.AllDirectories));
    }
}
