namespace Ogaki.Migration.Cli.Tests;

/// <summary>Run ids, resume, spill files and clean: what a run leaves behind and which ids it accepts.</summary>
[Collection(nameof(EnvironmentCollection))]
public class RunLifecycleTests
{
    static readonly Lazy<Task<string>> Estate = new(async () =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-cli-lifecycle-estate-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(dir, "estate.json")))
        {
            var r = await CliRunner.RunAsync("sample", "--scale", "0.002", "--seed", "3", "--out", dir);
            Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        }
        return dir;
    });

    [Theory]
    [InlineData("../../escape")]
    [InlineData("/tmp/abs")]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    public async Task A_run_id_that_could_leave_the_runs_folder_is_refused_before_anything_is_written(string id)
    {
        using var tmp = new TempFolder();
        var runs = Path.Combine(tmp.Path, "a", "b", "runs");
        var r = await CliRunner.RunAsync("dry-run", "--source", await Estate.Value, "--runs", runs, "--run-id", id);
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("run id", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_unknown_run_id_is_refused_instead_of_silently_starting_a_new_run()
    {
        using var tmp = new TempFolder();
        var r = await CliRunner.RunAsync("dry-run", "--source", await Estate.Value, "--runs", tmp.Path, "--run-id", "20990101-000000-abcdef");
        Assert.Equal(ExitCodes.InvalidInput, r.ExitCode);
        Assert.Contains("no run 20990101-000000-abcdef to resume", r.Error, StringComparison.Ordinal);
        Assert.Contains("omit --run-id to start a new run", r.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(tmp.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_finished_run_is_refused_at_once_and_an_interrupted_one_resumes_saying_what_the_ledger_holds()
    {
        using var tmp = new TempFolder();
        var estate = await Estate.Value;
        var first = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", tmp.Path, "--batch-size", "200");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        var runId = DryRunTests.RunIdOf(first.Output);

        var again = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", tmp.Path, "--batch-size", "200", "--run-id", runId);
        Assert.Equal(ExitCodes.InvalidInput, again.ExitCode);
        Assert.Contains($"run {runId} is finished", again.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("map:", again.Output, StringComparison.Ordinal); // nothing was redone

        // Interrupted after the load, before the reports: the artifacts are gone, the work folder and its ledger remain.
        Directory.Delete(Path.Combine(tmp.Path, runId), recursive: true);
        var resumed = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", tmp.Path, "--batch-size", "200", "--run-id", runId);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Output + resumed.Error);
        var line = resumed.Output.Split('\n').Single(l => l.StartsWith($"resuming run {runId}: ", StringComparison.Ordinal)).Trim();
        var counts = line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ');
        Assert.Equal(counts[0], counts[2]); // "N of N batches already loaded": every batch came from the ledger
        Assert.True(int.Parse(counts[0], System.Globalization.CultureInfo.InvariantCulture) > 1, line);
    }
}
