using System.CommandLine;
using System.Globalization;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.Validation.Reconciliation;
using Spectre.Console;

namespace Ogaki.Migration.Cli;

/// <summary><c>dry-run</c>: the whole rehearsal, from legacy files to signed-off reports.</summary>
public static class DryRunCommand
{
    /// <summary>Options shared by dry-run and reconcile.</summary>
    internal sealed class CommonOptions
    {
        public readonly Option<string?> Config = new("--config", "-c") { Description = "Run configuration file (JSON). Settings: SpecVersion, Source, Sample:Scale, Sample:Seed, Target, Store, RunsDirectory, MappingDirectory, BatchSize." };
        public readonly Option<string?> Source = new("--source") { Description = "Legacy estate folder (default: generate a sample; env OGAKI_Source)." };
        public readonly Option<string?> Target = new("--target") { Description = "Target: sqlite:<path> or a PostgreSQL connection string (default: SQLite in the run's work folder; env OGAKI_Target)." };
        public readonly Option<string?> Store = new("--store") { Description = "Artifact store: a folder or an Azure Blob connection string (default: the runs folder; env OGAKI_Store)." };
        public readonly Option<string?> Runs = new("--runs") { Description = "Local runs folder (default runs; env OGAKI_RunsDirectory)." };
        public readonly Option<string?> Mapping = new("--mapping") { Description = "Mapping configuration folder (default: the one shipped with the tool)." };
        public readonly Option<bool> Unmask = new("--unmask") { Description = "Auditor view: show names and addresses in reports (個人番号 stay hidden)." };

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Config, Source, Target, Store, Runs, Mapping, Unmask }) c.Options.Add(o);
        }

        public Dictionary<string, string?> Overrides(ParseResult p) => new(StringComparer.Ordinal)
        {
            ["Source"] = p.GetValue(Source),
            ["Target"] = p.GetValue(Target),
            ["Store"] = p.GetValue(Store),
            ["RunsDirectory"] = p.GetValue(Runs),
            ["MappingDirectory"] = p.GetValue(Mapping),
        };
    }

    public static Command Build(TextWriter output)
    {
        var common = new CommonOptions();
        var scale = new Option<double?>("--scale") { Description = "Scale of the generated sample (default 0.1; 1.0 = 大垣市)." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the generated sample (default 42)." };
        var runId = new Option<string?>("--run-id") { Description = "The id of an interrupted run, to resume it (completed batches are skipped). A finished run or an id with no work folder is refused; omit it to start a new run. Ids: a letter or digit, then up to 63 letters, digits, '.', '_', '-'." };
        var clean = new Option<bool>("--clean-sample") { Description = "Generate the sample without injected defects (default: with defects and their ground truth)." };
        var batch = new Option<int?>("--batch-size") { Description = "Records per load batch (one transaction each; default 5000)." };
        var reset = new Option<bool>("--reset-target") { Description = "Drop this tool's tables in the target first (its entity tables, run ledger and schema table; nothing else), to rehearse again into a database an earlier run loaded." };
        var command = new Command("dry-run",
            "The whole rehearsal (移行リハーサル): read the legacy systems through their adapters, map, validate, load the target, " +
            "reconcile by reading the target back, and write reports and a manifest to the artifact store.\n" +
            "With no options: a generated sample (scale 0.1), SQLite, and runs/<run-id>/.\n\n" +
            "Examples:\n  ogaki-migrate dry-run\n  ogaki-migrate dry-run --source estate --target \"Host=127.0.0.1;Port=5432;Username=mig;Database=mig\"\n" +
            "  OGAKI_Target='Host=…' OGAKI_Store='UseDevelopmentStorage=true' ogaki-migrate dry-run --config rehearsal.json");
        common.AddTo(command);
        command.Options.Add(scale);
        command.Options.Add(seed);
        command.Options.Add(runId);
        command.Options.Add(batch);
        command.Options.Add(clean);
        command.Options.Add(reset);
        command.SetAction(async (parse, ct) =>
        {
            // The id names folders: checked before anything else is read or written.
            RunId? id = null;
            if (parse.GetValue(runId) is { } text)
                id = RunId.TryParse(text, out var parsed, out var problem) ? parsed : throw new CliException(problem + "; give the id of an interrupted run, or omit --run-id to start a new run.");
            var overrides = common.Overrides(parse);
            if (parse.GetValue(scale) is { } s) overrides["Sample:Scale"] = s.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(seed) is { } sd) overrides["Sample:Seed"] = sd.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(clean)) overrides["Sample:Defects"] = "false";
            if (parse.GetValue(batch) is { } b) overrides["BatchSize"] = b.ToString(CultureInfo.InvariantCulture);
            var config = RunConfiguration.Load(parse.GetValue(common.Config), overrides);
            try
            {
                return await RunAsync(config, id, parse.GetValue(common.Unmask), parse.GetValue(reset), output, ct);
            }
            catch (RunCancelledException e)
            {
                throw new CliException($"cancelled: run {e.RunId} stopped; what was loaded is kept. Resume with: {ResumeCommand(parse, e.RunId)}", ExitCodes.Cancelled, e);
            }
        });
        return command;
    }

    /// <summary>Runs the rehearsal through the pipeline's runner, drawing progress and the summary on <paramref name="output"/>.</summary>
    public static async Task<int> RunAsync(RunConfiguration config, RunId? runId, bool unmask, bool resetTarget, TextWriter output, CancellationToken ct)
    {
        var runner = new MigrationRunner(new StageProgress(output, StageProgress.ShouldBeLive(output)));
        RunOutcome outcome;
        try
        {
            outcome = await runner.RunAsync(config.ToRunRequest(load: true, runId, unmask) with { ResetTarget = resetTarget }, ct);
        }
        catch (OperationCanceledException e) when (ct.IsCancellationRequested && runner.CurrentRunId is { } started)
        {
            throw new RunCancelledException(started, e);
        }
        var exit = ExitCodeOf(outcome.Reconciliation);
        PrintSummary(outcome, exit, output);
        return exit;
    }

    /// <summary>A dry run stopped by the operator after it had a run id.</summary>
    internal sealed class RunCancelledException(string runId, Exception inner) : Exception("run " + runId + " cancelled", inner)
    {
        public string RunId { get; } = runId;
    }

    /// <summary>
    /// The command line that resumes a cancelled run: the same words with <c>--run-id</c> set (and <c>--reset-target</c>
    /// dropped: a resume must not empty the target it continues). Secrets in connection strings are masked, so the
    /// line is safe to print; give them again through the environment.
    /// </summary>
    public static string ResumeCommand(ParseResult parse, string runId)
    {
        var words = new List<string> { "ogaki-migrate" };
        var tokens = parse.Tokens.Select(t => t.Value).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "--run-id") { i++; continue; }
            if (tokens[i].StartsWith("--run-id=", StringComparison.Ordinal) || tokens[i] is "--reset-target") continue;
            words.Add(Quote(Ogaki.Migration.Spec.Privacy.ConnectionStrings.Mask(tokens[i])));
        }
        words.Add("--run-id");
        words.Add(runId);
        return string.Join(' ', words);

        static string Quote(string word) =>
            word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',') ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>The exit code the reports state (0, 1, or 3 when the comparison could not be made).</summary>
    internal static int ExitCodeOf(ReconciliationResult result) => result.ExitCode;

    static void PrintSummary(RunOutcome o, int exit, TextWriter output)
    {
        var table = new Table().Title($"dry run {o.RunId}")
            .AddColumn("area").AddColumn("source").AddColumn(new TableColumn("read").RightAligned()).AddColumn(new TableColumn("mapped").RightAligned())
            .AddColumn(new TableColumn("rejected").RightAligned()).AddColumn(new TableColumn("excluded").RightAligned());
        foreach (var c in o.Mapping.Counts)
            table.AddRow(c.Area, Markup.Escape(c.Source), N(c.Read), N(c.Mapped), N(c.Rejected), N(c.Excluded));
        SampleCommand.Render(table, output);

        var entities = new Table().AddColumn("entity").AddColumn(new TableColumn("mapped").RightAligned()).AddColumn(new TableColumn("loaded").RightAligned())
            .AddColumn(new TableColumn("reconciled").RightAligned()).AddColumn(new TableColumn("discrepancies").RightAligned()).AddColumn("control totals");
        foreach (var e in o.Reconciliation.Entities)
            entities.AddRow(Markup.Escape($"{e.Entity.Area} {e.Entity.Name} {e.Entity.NameJa}"), N(e.Mapped), N(e.Loaded), N(e.Matched),
                N(e.DiscrepancyCount), e.ControlTotals.All(t => t.Matches) ? "match" : "DIFFER");
        SampleCommand.Render(entities, output);

        var timings = new Table().AddColumn("stage").AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("records/s").RightAligned());
        foreach (var t in o.Timings)
            timings.AddRow(Markup.Escape(t.Stage), N(t.Records), t.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), N((long)t.RecordsPerSecond));
        SampleCommand.Render(timings, output);
        foreach (var p in o.Reconciliation.Problems.Take(10)) output.WriteLine("  - " + PiiRedactor.Redact(p).ReplaceLineEndings(" "));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outcome: {o.Reconciliation.Outcome} (exit {exit}); {o.Reconciliation.Problems.Count} problem(s); wall {o.Wall.TotalSeconds:F1}s"));
        output.WriteLine("reports: " + o.ReportsAt);
        if (o.Reconciliation.Outcome == ReconciliationOutcome.Error)
            output.WriteLine($"the target could not be compared; run {o.RunId} stays open: when the target is back, run the same command with --run-id {o.RunId} to finish (loaded batches are not loaded again).");
    }

    /// <summary>Formats a count for tables.</summary>
    internal static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
