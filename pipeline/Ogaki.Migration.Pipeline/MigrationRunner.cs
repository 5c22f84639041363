using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation;

namespace Ogaki.Migration.Pipeline;

/// <summary>What a run is asked to do: the settings of <c>dry-run</c> or <c>reconcile</c>, already layered and checked.</summary>
public sealed record RunRequest
{
    /// <summary>Spec version the run maps to (must be the compiled one).</summary>
    public string SpecVersion { get; init; } = StandardSpec.Version;

    /// <summary>Folder of the legacy estate; empty: generate a sample in the run's work folder.</summary>
    public string? Source { get; init; }

    /// <summary>The sample generated when <see cref="Source"/> is empty (its output folder is the run's).</summary>
    public double SampleScale { get; init; } = 0.1;

    public int SampleSeed { get; init; } = 42;

    public bool SampleDefects { get; init; } = true;

    /// <summary>Target connection; empty: SQLite in the run's work folder.</summary>
    public string? Target { get; init; }

    /// <summary>Artifact store connection; empty: the runs folder.</summary>
    public string? Store { get; init; }

    public string RunsDirectory { get; init; } = "runs";

    public string? MappingDirectory { get; init; }

    public int BatchSize { get; init; } = 5_000;

    /// <summary>True (dry-run): load the target before reconciling. False (reconcile): only read the target back.</summary>
    public bool Load { get; init; } = true;

    /// <summary>Run id; null: a new one. With <see cref="Load"/>, an interrupted run's id resumes it.</summary>
    public string? RunId { get; init; }

    /// <summary>Auditor view: names and addresses shown in reports (個人番号 stay hidden).</summary>
    public bool Unmask { get; init; }

    /// <summary>The configuration as it goes into run-config.json and run.log, secrets masked.</summary>
    public string RedactedConfiguration { get; init; } = "{}";
}

/// <summary>The outcome of a run, for the command line and the end-to-end benchmark.</summary>
public sealed record RunOutcome(string RunId, ReconciliationResult Reconciliation, MappingResult Mapping, IReadOnlyList<StageTiming> Timings,
    TimeSpan Wall, string ReportsAt);

/// <summary>
/// The run, one flow for <c>dry-run</c>, <c>reconcile</c> and the benchmarks: estate (given or generated) → adapters →
/// mapping → load (dry-run only) → source side → reconcile by reading the target back → reports → manifest. Working
/// files (sample, SQLite target, sort spill files, run.log) stay in the run's work folder <c>&lt;runs&gt;/.work/&lt;run-id&gt;</c>.
/// Failures the operator can act on are <see cref="PipelineException"/>s.
/// </summary>
public sealed class MigrationRunner(IStageProgress progress)
{
    /// <summary>New run id: UTC time plus a random suffix, safe as a folder and blob prefix.</summary>
    public static string NewRunId() =>
        DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>The work folder of a run: sample, SQLite target, spill files and run.log.</summary>
    public static string WorkFolder(string runsDirectory, string runId) => Path.Combine(runsDirectory, ".work", runId);

    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.SpecVersion, StandardSpec.Version, StringComparison.Ordinal))
            throw new PipelineException($"spec version {request.SpecVersion} is configured but this build maps to {StandardSpec.Version}; rebuild with OgakiSpecVersion={request.SpecVersion} or change SpecVersion.");
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var runId = request.RunId ?? (request.Load ? "" : "reconcile-") + NewRunId();
        var work = WorkFolder(request.RunsDirectory, runId);
        Directory.CreateDirectory(work);
        using var logProvider = new RunLogFileProvider(Path.Combine(work, "run.log"));
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logProvider));
        var log = loggerFactory.CreateLogger(request.Load ? "dry-run" : "reconcile");
        log.LogInformation("run {RunId} started: spec {Spec}, configuration {Config}", runId, StandardSpec.Version, request.RedactedConfiguration);
        var job = new MigrationJob(progress);

        // A generated sample holds no real person, so it may use the flagged development key even where CI demands one.
        var pseudonymizer = CreatePseudonymizer(syntheticSample: string.IsNullOrWhiteSpace(request.Source));
        var source = request.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            source = Path.Combine(work, "source");
            if (!File.Exists(Path.Combine(source, "estate.json")))
            {
                var sw = Stopwatch.StartNew();
                var summary = await GenerateSampleAsync(new EstateOptions
                {
                    Scale = request.SampleScale, Seed = request.SampleSeed, OutputDirectory = source,
                    DefectRates = request.SampleDefects ? new DefectRates() : DefectRates.None,
                }, progress, ct);
                job.Timings.Add(new StageTiming("generate sample", summary.Counts.Where(c => !c.Key.Contains(':', StringComparison.Ordinal)).Sum(c => c.Value), sw.Elapsed));
            }
            log.LogInformation("sample estate (scale {Scale}, seed {Seed}) in {Source}", request.SampleScale, request.SampleSeed, source);
        }

        var targetConnection = string.IsNullOrWhiteSpace(request.Target) ? "sqlite:" + Path.Combine(work, "target.db") : request.Target;
        // The run's key also seals its manifest, so verify can tell a rewritten report from the one this run wrote.
        var store = CreateStore(request.Store, request.RunsDirectory, new ManifestSealer(pseudonymizer));
        var renderer = new ValueRenderer(pseudonymizer, new ReportPrivacy(request.Unmask));
        // Sort spill files hold personal data: they go to the run's work folder, next to the source and target.db.
        var reconciler = new Reconciler(new ReconcileOptions { TempDirectory = work }, renderer);
        var validation = new ValidationRun(new ValidationOptions { ItemRulesCheckedUpstream = true }, renderer);
        ReconciliationResult result;
        MappingResult mapping;
        await using (var target = CreateTarget(targetConnection))
        {
            // Without a load the mapping only collects the source side the target is compared with.
            await using var run = await job.MapAndLoadAsync(source, request.MappingDirectory, pseudonymizer, reconciler, validation,
                request.Load ? target : null, runId, request.BatchSize, ct);
            mapping = run.Mapping;
            log.LogInformation("mapped: {Counts}", string.Join("; ", mapping.Counts.Select(c => $"{c.Source} read {c.Read} mapped {c.Mapped} rejected {c.Rejected} excluded {c.Excluded}")));
            if (request.Load) log.LogInformation("loaded into {Target}", ConnectionStrings.Describe(targetConnection, "sqlite"));
            result = await job.ReconcileAsync(target, run, validation, renderer, reconciler, runId, started, ct);
        }
        log.LogInformation("reconciled: outcome {Outcome}, {Problems} problem(s)", result.Outcome, result.Problems.Count);
        await job.PublishAsync(store, runId, result, mapping, request.RedactedConfiguration, source, ct);
        log.LogInformation("reports written to {Store}", store.Description);
        logProvider.Dispose();
        try
        {
            await using (var logStream = File.OpenRead(Path.Combine(work, "run.log")))
                await store.PutAsync(runId, StandardSpec.Version, "log", "run.log", logStream, ct);
            await store.CompleteRunAsync(runId, ct);
        }
        catch (ArtifactStoreException e)
        {
            throw new PipelineException(e.Message, FailureKind.Infrastructure, e);
        }
        var reportsAt = store.Kind == "local" ? Path.Combine(request.RunsDirectory, runId) : store.Description + "/" + runId;
        return new RunOutcome(runId, result, mapping, job.Timings, wall.Elapsed, reportsAt);
    }

    /// <summary>The pseudonymiser of a run: the key from the environment, or the flagged development key for a synthetic sample.</summary>
    public static Pseudonymizer CreatePseudonymizer(bool syntheticSample = false)
    {
        try
        {
            return syntheticSample && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Pseudonymizer.EnvironmentVariable))
                ? Pseudonymizer.FromValues(null, null)
                : Pseudonymizer.FromEnvironment();
        }
        catch (PseudonymKeyMissingException e)
        {
            throw new PipelineException(e.Message + $". Set {Pseudonymizer.EnvironmentVariable} (a secret of at least 16 characters) in the environment.");
        }
    }

    /// <summary>The target of a connection; an unusable connection is invalid input.</summary>
    public static IStandardTarget CreateTarget(string connection)
    {
        try
        {
            return TargetFactory.Create(connection);
        }
        catch (ArgumentException e)
        {
            throw new PipelineException(e.Message);
        }
    }

    /// <summary>The artifact store of a connection (sealing finished runs with <paramref name="sealer"/>); an unusable connection is invalid input.</summary>
    public static IArtifactStore CreateStore(string? connection, string runsDirectory, ManifestSealer sealer)
    {
        try
        {
            return ArtifactStoreFactory.Create(connection, runsDirectory, sealer: sealer);
        }
        catch (ArgumentException e)
        {
            throw new PipelineException(e.Message);
        }
    }

    /// <summary>Writes the synthetic legacy estate, as <c>sample</c> and a dry run without a source do.</summary>
    public static async Task<EstateSummary> GenerateSampleAsync(EstateOptions options, IStageProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        try
        {
            return await progress.RunAsync("sample", null, report => LegacyEstateGenerator.WriteAsync(options, new Progress<EstateProgress>(p => report(p.Done)), ct));
        }
        catch (IOException e)
        {
            throw new PipelineException($"cannot write the estate to {options.OutputDirectory}: {e.Message}", FailureKind.Infrastructure, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new PipelineException($"cannot write the estate to {options.OutputDirectory}: {e.Message}", FailureKind.InvalidInput, e);
        }
    }
}
