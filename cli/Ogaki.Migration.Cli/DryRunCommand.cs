using Ogaki.Migration.Spec;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Cli.Pipeline;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation;
using Spectre.Console;

namespace Ogaki.Migration.Cli;

/// <summary>The outcome of a dry run, for the command and the end-to-end benchmark.</summary>
public sealed record DryRunOutcome(string RunId, int ExitCode, ReconciliationResult Reconciliation, MappingResult Mapping, IReadOnlyList<StageTiming> Timings,
    TimeSpan Wall, string ReportsAt);

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
        var runId = new Option<string?>("--run-id") { Description = "Run id; give the id of an interrupted run to resume it (completed batches are skipped)." };
        var clean = new Option<bool>("--clean-sample") { Description = "Generate the sample without injected defects (default: with defects and their ground truth)." };
        var batch = new Option<int?>("--batch-size") { Description = "Records per load batch (one transaction each; default 5000)." };
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
        command.SetAction(async (parse, ct) =>
        {
            var overrides = common.Overrides(parse);
            if (parse.GetValue(scale) is { } s) overrides["Sample:Scale"] = s.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(seed) is { } sd) overrides["Sample:Seed"] = sd.ToString(CultureInfo.InvariantCulture);
            if (parse.GetValue(clean)) overrides["Sample:Defects"] = "false";
            if (parse.GetValue(batch) is { } b) overrides["BatchSize"] = b.ToString(CultureInfo.InvariantCulture);
            var config = RunConfiguration.Load(parse.GetValue(common.Config), overrides);
            var outcome = await RunAsync(config, parse.GetValue(runId), parse.GetValue(common.Unmask), output, ct);
            return outcome.ExitCode;
        });
        return command;
    }

    /// <summary>New run id: UTC time plus a random suffix, safe as a folder and blob prefix.</summary>
    public static string NewRunId() =>
        DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    public static async Task<DryRunOutcome> RunAsync(RunConfiguration config, string? runId, bool unmask, TextWriter output, CancellationToken ct)
    {
        if (!string.Equals(config.SpecVersion, StandardSpec.Version, StringComparison.Ordinal))
            throw new CliException($"spec version {config.SpecVersion} is configured but this build maps to {StandardSpec.Version}; rebuild with OgakiSpecVersion={config.SpecVersion} or change SpecVersion.");
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        runId ??= NewRunId();
        var work = Path.Combine(config.RunsDirectory, ".work", runId);
        Directory.CreateDirectory(work);
        using var logProvider = new RunLogFileProvider(Path.Combine(work, "run.log"));
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logProvider));
        var log = loggerFactory.CreateLogger("dry-run");
        log.LogInformation("run {RunId} started: spec {Spec}, configuration {Config}", runId, StandardSpec.Version, config.ToRedactedJson());
        var progress = new StageProgress(output, StageProgress.ShouldBeLive(output));
        var job = new MigrationJob(progress);

        // A generated sample holds no real person, so it may use the flagged development key even where CI demands one.
        var pseudonymizer = CreatePseudonymizer(syntheticSample: string.IsNullOrWhiteSpace(config.Source));
        var source = config.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            source = Path.Combine(work, "source");
            if (!File.Exists(Path.Combine(source, "estate.json")))
            {
                var sw = Stopwatch.StartNew();
                var summary = await SampleCommand.GenerateAsync(new EstateOptions
                {
                    Scale = config.Sample.Scale, Seed = config.Sample.Seed, OutputDirectory = source,
                    DefectRates = config.Sample.Defects ? new DefectRates() : DefectRates.None,
                }, output, ct);
                job.Timings.Add(new StageTiming("generate sample", summary.Counts.Where(c => !c.Key.Contains(':', StringComparison.Ordinal)).Sum(c => c.Value), sw.Elapsed));
            }
            log.LogInformation("sample estate (scale {Scale}, seed {Seed}) in {Source}", config.Sample.Scale, config.Sample.Seed, source);
        }

        var targetConnection = string.IsNullOrWhiteSpace(config.Target) ? "sqlite:" + Path.Combine(work, "target.db") : config.Target;
        var store = ArtifactStoreFactory.Create(config.Store, config.RunsDirectory, sealer: new ManifestSealer(pseudonymizer));
        var renderer = new ValueRenderer(pseudonymizer, new ReportPrivacy(unmask));
        // Sort spill files hold personal data: they go to the run's work folder, next to the source and target.db.
        var reconciler = new Reconciler(new ReconcileOptions { TempDirectory = work }, renderer);
        var validation = new ValidationRun(new ValidationOptions { ItemRulesCheckedUpstream = true }, renderer);
        ReconciliationResult result;
        MappingResult mapping;
        await using (var target = CreateTarget(targetConnection))
        {
            await using var run = await job.MapAndLoadAsync(source, config.MappingDirectory, pseudonymizer, reconciler, validation, target, runId, config.BatchSize, ct);
            mapping = run.Mapping;
            log.LogInformation("mapped: {Counts}", string.Join("; ", mapping.Counts.Select(c => $"{c.Source} read {c.Read} mapped {c.Mapped} rejected {c.Rejected} excluded {c.Excluded}")));
            log.LogInformation("loaded into {Target}", RunConfiguration.DescribeConnection(targetConnection, "sqlite"));
            result = await job.ReconcileAsync(target, run, validation, renderer, reconciler, runId, started, ct);
        }
        log.LogInformation("reconciled: outcome {Outcome}, {Problems} problem(s)", result.Outcome, result.Problems.Count);
        await job.PublishAsync(store, runId, result, mapping, config.ToRedactedJson(), source, ct);
        log.LogInformation("reports written to {Store}", store.Description);
        logProvider.Dispose();
        await using (var logStream = File.OpenRead(Path.Combine(work, "run.log")))
            await store.PutAsync(runId, StandardSpec.Version, "log", "run.log", logStream, ct);
        try
        {
            await store.CompleteRunAsync(runId, ct);
        }
        catch (ArtifactStoreException e)
        {
            throw new CliException(e.Message, ExitCodes.Infrastructure, e);
        }
        var reportsAt = store.Kind == "local" ? Path.Combine(config.RunsDirectory, runId) : store.Description + "/" + runId;
        var exit = ExitCodeOf(result);
        var outcome = new DryRunOutcome(runId, exit, result, mapping, job.Timings, wall.Elapsed, reportsAt);
        PrintSummary(outcome, output);
        return outcome;
    }

    internal static int ExitCodeOf(ReconciliationResult result) => result.Outcome switch
    {
        ReconciliationOutcome.Reconciled => ExitCodes.Ok,
        ReconciliationOutcome.Discrepancies => ExitCodes.Discrepancies,
        _ => ExitCodes.Infrastructure,
    };

    internal static Pseudonymizer CreatePseudonymizer(bool syntheticSample = false)
    {
        try
        {
            return syntheticSample && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Pseudonymizer.EnvironmentVariable))
                ? Pseudonymizer.FromValues(null, null)
                : Pseudonymizer.FromEnvironment();
        }
        catch (PseudonymKeyMissingException e)
        {
            throw new CliException(e.Message + $". Set {Pseudonymizer.EnvironmentVariable} (a secret of at least 16 characters) in the environment.");
        }
    }

    internal static IStandardTarget CreateTarget(string connection)
    {
        try
        {
            return TargetFactory.Create(connection);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message);
        }
    }

    static void PrintSummary(DryRunOutcome o, TextWriter output)
    {
        var table = new Table().Title($"dry run {o.RunId}")
            .AddColumn("area").AddColumn("source").AddColumn(new TableColumn("read").RightAligned()).AddColumn(new TableColumn("mapped").RightAligned())
            .AddColumn(new TableColumn("rejected").RightAligned()).AddColumn(new TableColumn("excluded").RightAligned());
        foreach (var c in o.Mapping.Counts)
            table.AddRow(c.Area, Markup.Escape(c.Source), MigrationJob.N(c.Read), MigrationJob.N(c.Mapped), MigrationJob.N(c.Rejected), MigrationJob.N(c.Excluded));
        SampleCommand.Render(table, output);

        var entities = new Table().AddColumn("entity").AddColumn(new TableColumn("mapped").RightAligned()).AddColumn(new TableColumn("loaded").RightAligned())
            .AddColumn(new TableColumn("reconciled").RightAligned()).AddColumn(new TableColumn("discrepancies").RightAligned()).AddColumn("control totals");
        foreach (var e in o.Reconciliation.Entities)
            entities.AddRow(Markup.Escape($"{e.Entity.Area} {e.Entity.Name} {e.Entity.NameJa}"), MigrationJob.N(e.Mapped), MigrationJob.N(e.Loaded), MigrationJob.N(e.Matched),
                MigrationJob.N(e.DiscrepancyCount), e.ControlTotals.All(t => t.Matches) ? "match" : "DIFFER");
        SampleCommand.Render(entities, output);

        var timings = new Table().AddColumn("stage").AddColumn(new TableColumn("records").RightAligned()).AddColumn(new TableColumn("seconds").RightAligned()).AddColumn(new TableColumn("records/s").RightAligned());
        foreach (var t in o.Timings)
            timings.AddRow(Markup.Escape(t.Stage), MigrationJob.N(t.Records), t.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), MigrationJob.N((long)t.RecordsPerSecond));
        SampleCommand.Render(timings, output);
        foreach (var p in o.Reconciliation.Problems.Take(10)) output.WriteLine("  - " + PiiRedactor.Redact(p).ReplaceLineEndings(" "));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outcome: {o.Reconciliation.Outcome} (exit {o.ExitCode}); {o.Reconciliation.Problems.Count} problem(s); wall {o.Wall.TotalSeconds:F1}s"));
        output.WriteLine("reports: " + o.ReportsAt);
    }
}
