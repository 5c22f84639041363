namespace Ogaki.Migration.Cli.Tests;

/// <summary>Ctrl-C / SIGTERM in the middle of a dry run: the run id, the exact resume command, and the cancel in run.log.</summary>
[Collection(nameof(EnvironmentCollection))]
public class CancelTests
{
    /// <summary>Console output that cancels the run as soon as the sample stage has printed its line, as an operator pressing Ctrl-C then would.</summary>
    sealed class CancelAfterSample(CancellationTokenSource cts) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains("sample:", StringComparison.Ordinal) == true) cts.Cancel();
        }
    }

    [Fact]
    public async Task A_cancelled_dry_run_prints_its_run_id_and_resume_command_logs_the_cancel_and_resumes_with_it()
    {
        using var tmp = new TempFolder();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var output = new CancelAfterSample(cts);
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["dry-run", "--scale", "0.002", "--runs", tmp.Path, "--batch-size", "50"], output, error, cts.Token);

        Assert.True(code == ExitCodes.Cancelled, output + error.ToString());
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var at = line.IndexOf("Resume with: ", StringComparison.Ordinal);
        Assert.True(at > 0, line);
        var resume = line[(at + "Resume with: ".Length)..].Trim();
        Assert.StartsWith("ogaki-migrate dry-run --scale 0.002 --runs ", resume, StringComparison.Ordinal);
        var words = resume.Split(' ');
        Assert.Equal("--run-id", words[^2]);
        var runId = words[^1];
        Assert.Contains("run " + runId + " stopped", line, StringComparison.Ordinal);
        var log = await File.ReadAllTextAsync(Path.Combine(tmp.Path, ".work", runId, "run.log"), TestContext.Current.CancellationToken);
        Assert.Contains("cancelled by the operator", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(tmp.Path, runId, "manifest.json")) &&
            File.ReadAllText(Path.Combine(tmp.Path, runId, "manifest.json")).Contains("\"complete\"", StringComparison.Ordinal));

        // The printed command, as typed, finishes the run.
        var resumed = await CliRunner.RunAsync(words[1..]);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Output + resumed.Error);
        Assert.Contains("resuming run " + runId, resumed.Output + resumed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_resume_command_masks_connection_secrets_and_drops_reset_target()
    {
        var parse = CliApp.Build(TextWriter.Null, TextWriter.Null).Parse(
            ["dry-run", "--source", "estate dir", "--target", "Host=db;Username=mig;Password=s3cret;Database=mig", "--reset-target", "--run-id", "old"]);
        var line = DryRunCommand.ResumeCommand(parse, "20261204-070000-abcdef");
        Assert.Equal("ogaki-migrate dry-run --source 'estate dir' --target 'Host=db;Username=mig;Password=***;Database=mig' --run-id 20261204-070000-abcdef", line);
    }
}
