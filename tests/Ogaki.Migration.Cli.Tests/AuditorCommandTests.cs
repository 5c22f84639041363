using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reports;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>What an auditor or operator sees from the command line: source locations and lookup, one version, the development-key warning.</summary>
[Collection(nameof(EnvironmentCollection))]
public class AuditorCommandTests
{
    [Fact]
    public async Task Discrepancies_name_their_source_record_and_lookup_leads_an_authorised_user_back_to_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var tmp = new TempFolder();
        var estate = Path.Combine(tmp.Path, "estate");
        var db = Path.Combine(tmp.Path, "target.db");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "11", "--no-defects", "--out", estate)).ExitCode);
        var load = await CliRunner.RunAsync("dry-run", "--source", estate, "--target", "sqlite:" + db, "--runs", tmp.Path);
        Assert.True(load.ExitCode == ExitCodes.Ok, load.Output + load.Error);

        // Behind the pipeline's back: one resident deleted, another renamed.
        string deleted;
        await using (var conn = new SqliteConnection("Data Source=" + db + ";Pooling=False"))
        {
            await conn.OpenAsync(ct);
            await using var pick = conn.CreateCommand();
            pick.CommandText = "SELECT atena_no FROM juki_resident ORDER BY atena_no LIMIT 1";
            deleted = (string)(await pick.ExecuteScalarAsync(ct))!;
            await using var tamper = conn.CreateCommand();
            tamper.CommandText = $"DELETE FROM juki_resident WHERE atena_no = '{deleted}'; " +
                "UPDATE juki_resident SET shimei = shimei || '改' WHERE atena_no = (SELECT max(atena_no) FROM juki_resident);";
            await tamper.ExecuteNonQueryAsync(ct);
        }
        var rec = await CliRunner.RunAsync("reconcile", "--source", estate, "--target", "sqlite:" + db, "--runs", tmp.Path);
        Assert.True(rec.ExitCode == ExitCodes.Discrepancies, rec.Output + rec.Error);
        var runId = DryRunTests.RunIdOf(rec.Output);
        var run = Path.Combine(tmp.Path, runId);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(run, "reconciliation.json")));
        var resident = json.RootElement.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("entity").GetString() == "Resident");
        var discrepancies = resident.GetProperty("discrepancies").EnumerateArray().ToList();
        Assert.Equal(2, discrepancies.Count);
        foreach (var d in discrepancies)
        {
            var at = d.GetProperty("sourceLocation");
            Assert.Equal(JsonValueKind.Object, at.ValueKind);
            Assert.False(string.IsNullOrEmpty(at.GetProperty("file").GetString()));
            Assert.True(at.GetProperty("recordNumber").GetInt64() >= 1);
        }
        var missing = discrepancies.Single(d => d.GetProperty("kind").GetString() == "missingInTarget");
        var pseudonym = missing.GetProperty("key").GetString()!;
        var location = missing.GetProperty("sourceLocation");
        var file = location.GetProperty("file").GetString()!;
        var record = location.GetProperty("recordNumber").GetInt64();
        Assert.Contains(file + " #" + record, await File.ReadAllTextAsync(Path.Combine(run, "reconciliation.md"), ct), StringComparison.Ordinal);
        Assert.Contains("," + file + "," + record + ",", await File.ReadAllTextAsync(Path.Combine(run, "discrepancies.csv"), ct), StringComparison.Ordinal);

        var found = await CliRunner.RunAsync("lookup", runId, pseudonym, "--runs", tmp.Path);
        Assert.True(found.ExitCode == ExitCodes.Ok, found.Output + found.Error);
        Assert.Contains($"discrepancy:missingInTarget  Resident  {pseudonym}", found.Output, StringComparison.Ordinal);
        Assert.Contains($"at {file} record {record}", found.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(deleted, found.Output, StringComparison.Ordinal);
        Assert.False(PersonalDataScanner.ContainsMyNumber(found.Output));

        var verified = await CliRunner.RunAsync("lookup", runId, pseudonym, "--runs", tmp.Path, "--verify", deleted);
        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
        Assert.Contains("is the pseudonym of the given identifier", verified.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(deleted, verified.Output, StringComparison.Ordinal);
        var wrong = await CliRunner.RunAsync("lookup", runId, pseudonym, "--runs", tmp.Path, "--verify", deleted + "9");
        Assert.Equal(ExitCodes.Discrepancies, wrong.ExitCode);

        var absent = await CliRunner.RunAsync("lookup", runId, "p-aaaaaaaaaaaaaaaa", "--runs", tmp.Path);
        Assert.Equal(ExitCodes.InvalidInput, absent.ExitCode);
        Assert.Contains("does not occur", absent.Error, StringComparison.Ordinal);

        // Another key cannot follow the pseudonym back, and no key at all is refused.
        var key = Environment.GetEnvironmentVariable(Pseudonymizer.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, "another-key-of-another-run-42");
            var other = await CliRunner.RunAsync("lookup", runId, pseudonym, "--runs", tmp.Path);
            Assert.Equal(ExitCodes.InvalidInput, other.ExitCode);
            Assert.Contains("is not the key of this run", other.Error, StringComparison.Ordinal);
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, null);
            var none = await CliRunner.RunAsync("lookup", runId, pseudonym, "--runs", tmp.Path);
            Assert.Equal(ExitCodes.InvalidInput, none.ExitCode);
            Assert.Contains("authorised users", none.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, key);
        }
    }

    [Fact]
    public async Task The_development_key_is_warned_on_stderr_and_reports_carry_the_version_the_tool_prints()
    {
        using var tmp = new TempFolder();
        var key = Environment.GetEnvironmentVariable(Pseudonymizer.EnvironmentVariable);
        CliRunner.Result dev;
        try
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, null);
            dev = await CliRunner.RunAsync("dry-run", "--scale", "0.002", "--clean-sample", "--runs", tmp.Path);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, key);
        }
        Assert.True(dev.ExitCode == ExitCodes.Ok, dev.Output + dev.Error);
        Assert.Contains("ogaki-migrate: warning: OGAKI_PSEUDONYM_KEY was not set", dev.Error, StringComparison.Ordinal);

        var version = await CliRunner.RunAsync("--version");
        Assert.Equal(ExitCodes.Ok, version.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(tmp.Path, DryRunTests.RunIdOf(dev.Output), "reconciliation.json")));
        var reported = json.RootElement.GetProperty("run").GetProperty("toolVersion").GetString();
        Assert.Equal(version.Output.Trim(), reported);
        Assert.Equal(ToolVersion.Current, reported);

        try
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, "a-key-from-the-environment-0042");
            var withKey = await CliRunner.RunAsync("dry-run", "--scale", "0.002", "--clean-sample", "--runs", tmp.Path);
            Assert.Equal(ExitCodes.Ok, withKey.ExitCode);
            Assert.DoesNotContain("warning", withKey.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Pseudonymizer.EnvironmentVariable, key);
        }
    }
}
