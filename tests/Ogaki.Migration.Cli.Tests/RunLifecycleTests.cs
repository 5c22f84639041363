namespace Ogaki.Migration.Cli.Tests;

/// <summary>Run ids, resume, spill files and clean: what a run leaves behind and which ids it accepts.</summary>
[Collection(nameof(EnvironmentCollection))]
public class RunLifecycleTests
{
    /// <summary>The small estate the command tests share (read only).</summary>
    static Lazy<Task<string>> Estate => CommandTests.Estate;

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

    static IEnumerable<string> SpillFiles(string root) => Directory.EnumerateFiles(root, "ogaki-reconcile-*", SearchOption.AllDirectories);

    [Fact]
    public async Task Spill_files_stay_in_the_work_folder_and_those_of_a_killed_attempt_go_when_the_run_starts_again()
    {
        using var tmp = new TempFolder();
        var estate = await Estate.Value;
        var first = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", tmp.Path);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        var runId = DryRunTests.RunIdOf(first.Output);
        Assert.Empty(SpillFiles(tmp.Path));

        // What a SIGKILL during the reconciliation leaves: sorted runs of canonical rows, and no reports yet.
        var spill = Path.Combine(tmp.Path, ".work", runId, "spill");
        Directory.CreateDirectory(spill);
        await File.WriteAllTextAsync(Path.Combine(spill, "ogaki-reconcile-0123456789abcdef.run"), "山田太郎 123456789012", TestContext.Current.CancellationToken);
        Directory.Delete(Path.Combine(tmp.Path, runId), recursive: true);

        var resumed = await CliRunner.RunAsync("dry-run", "--source", estate, "--runs", tmp.Path, "--run-id", runId);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Output + resumed.Error);
        Assert.Empty(SpillFiles(tmp.Path));
        Assert.False(Directory.Exists(spill));
    }

    [Fact]
    public async Task Clean_removes_work_folders_of_finished_runs_and_with_older_than_abandoned_ones_and_says_which()
    {
        using var tmp = new TempFolder();
        var ct = TestContext.Current.CancellationToken;
        var store = new Ogaki.Migration.Artifacts.LocalArtifactStore(tmp.Path);
        await store.PutAsync("20260101-000000-aaaaaa", "1.1", "report", "reconciliation.md", new MemoryStream("# ok"u8.ToArray()), ct);
        await store.CompleteRunAsync("20260101-000000-aaaaaa", ct);
        string Work(string id)
        {
            var w = Directory.CreateDirectory(Path.Combine(tmp.Path, ".work", id)).FullName;
            File.WriteAllText(Path.Combine(w, "run.log"), "x");
            return w;
        }
        var finished = Work("20260101-000000-aaaaaa");
        var abandoned = Work("20260102-000000-bbbbbb");
        var recent = Work("20260103-000000-cccccc");
        var old = DateTime.UtcNow.AddDays(-30);
        File.SetLastWriteTimeUtc(Path.Combine(abandoned, "run.log"), old);
        Directory.SetLastWriteTimeUtc(abandoned, old);

        var r = await CliRunner.RunAsync("clean", "--runs", tmp.Path);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        Assert.Contains($"removed {finished} (run 20260101-000000-aaaaaa, finished)", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(finished));
        Assert.True(Directory.Exists(abandoned) && Directory.Exists(recent));
        Assert.True(File.Exists(Path.Combine(tmp.Path, "20260101-000000-aaaaaa", "reconciliation.md"))); // reports stay

        r = await CliRunner.RunAsync("clean", "--runs", tmp.Path, "--older-than", "7");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.Output + r.Error);
        Assert.Contains($"removed {abandoned} (run 20260102-000000-bbbbbb, unfinished", r.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(abandoned));
        Assert.True(Directory.Exists(recent));
        Assert.Contains("1 work folder(s) removed", r.Output, StringComparison.Ordinal);
    }
}
