using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;

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

    /// <summary>Run id; null: a new run. With <see cref="Load"/>, the id of an interrupted run resumes it; any other id is refused.</summary>
    public RunId? RunId { get; init; }

    /// <summary>Auditor view: names and addresses shown in reports (個人番号 stay hidden).</summary>
    public bool Unmask { get; init; }

    /// <summary>
    /// Before loading, drop this tool's tables in the target (entity tables, run ledger, schema table; nothing else), so a
    /// new rehearsal can load into a database an earlier one filled. Without it such a target is refused.
    /// </summary>
    public bool ResetTarget { get; init; }

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
    /// <summary>The work folder of a run: sample, SQLite target, spill files and run.log.</summary>
    public static string WorkFolder(string runsDirectory, RunId runId) => Path.Combine(runsDirectory, ".work", runId.Value);

    /// <summary>The id of the run this runner started, once it is known (null before): for a cancelled run's resume command.</summary>
    public string? CurrentRunId { get; private set; }

    public async Task<RunOutcome> RunAsync(RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.SpecVersion, StandardSpec.Version, StringComparison.Ordinal))
            throw new PipelineException($"spec version {request.SpecVersion} is configured but this build maps to {StandardSpec.Version}; rebuild with OgakiSpecVersion={request.SpecVersion} or change SpecVersion.");
        var wall = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        // A generated sample holds no real person, so it may use the flagged development key even where CI demands one.
        var pseudonymizer = CreatePseudonymizer(syntheticSample: string.IsNullOrWhiteSpace(request.Source));
        // The run's key also seals its manifest, so verify can tell a rewritten report from the one this run wrote.
        var store = CreateStore(request.Store, request.RunsDirectory, new ManifestSealer(pseudonymizer));
        var id = request.RunId ?? RunId.New(request.Load ? "" : "reconcile-");
        var resuming = request.RunId is not null;
        var runId = id.Value;
        var work = WorkFolder(request.RunsDirectory, id);
        // Checked before anything is written: a finished run is never redone, and an id with no work folder is a typo, not a new run.
        if (resuming) await CheckResumableAsync(store, id, work, ct);
        try
        {
            Directory.CreateDirectory(work);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"cannot create the run's work folder {work}: {e.Message} The runs folder {request.RunsDirectory} must be a folder this user can write.", FailureKind.InvalidInput, e);
        }
        using var logProvider = new RunLogFileProvider(Path.Combine(work, "run.log"));
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logProvider));
        var log = loggerFactory.CreateLogger(request.Load ? "dry-run" : "reconcile");
        log.LogInformation("run {RunId} started: spec {Spec}, configuration {Config}", runId, StandardSpec.Version, request.RedactedConfiguration);
        CurrentRunId = runId;
        // An operator's Ctrl-C / SIGTERM is part of the run's record: what was committed stays, the same id resumes.
        using var onCancel = ct.Register(() => log.LogWarning(
            "run {RunId} cancelled by the operator (Ctrl-C / SIGTERM); committed batches stay in the target's ledger; resume with --run-id {RunId}", runId, runId));
        var job = new MigrationJob(progress);

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
        // Reconciling against a SQLite file that is not there would create an empty one and report every row missing.
        if (!request.Load && ConnectionStrings.Classify(targetConnection) == ConnectionKind.Sqlite && !File.Exists(ConnectionStrings.Value(targetConnection)))
            throw new PipelineException($"target {ConnectionStrings.Describe(targetConnection, "sqlite")} does not exist: there is no loaded target to reconcile against; check --target.", FailureKind.Infrastructure);
        var renderer = new ValueRenderer(pseudonymizer, new ReportPrivacy(request.Unmask));
        // Sort spill files hold personal data: they go to the run's work folder only, and none outlives the run
        // (those of an attempt that was killed are removed when the run starts again).
        var spill = SpillFolder(work);
        DeleteFolder(spill);
        Directory.CreateDirectory(spill);
        var reconciler = new Reconciler(new ReconcileOptions { TempDirectory = spill }, renderer);
        using var validation = new ValidationRun(new ValidationOptions { ItemRulesCheckedUpstream = true }, renderer, spill);
        ReconciliationResult result;
        MappingResult mapping;
        try
        {
            await using (var target = CreateTarget(targetConnection))
            {
                // Without a load the mapping only collects the source side the target is compared with. With one, the
                // target is reset and checked for another rehearsal by the loader while the mapping starts.
                await using var run = await job.MapAndLoadAsync(source, request.MappingDirectory, pseudonymizer, reconciler, validation,
                    request.Load ? target : null, runId, request.BatchSize, ct,
                    request.Load ? token => PrepareTargetAsync(target, runId, request.ResetTarget, log, token) : null);
                mapping = run.Mapping;
                if (resuming)
                {
                    var resumed = string.Create(CultureInfo.InvariantCulture, $"resuming run {runId}: {run.SkippedBatches} of {run.Batches} batches already loaded");
                    progress.Notice(resumed);
                    log.LogInformation("{Resumed}", resumed);
                }
                log.LogInformation("mapped: {Counts}", string.Join("; ", mapping.Counts.Select(c => $"{c.Source} read {c.Read} mapped {c.Mapped} rejected {c.Rejected} excluded {c.Excluded}")));
                if (request.Load) log.LogInformation("loaded into {Target}", ConnectionStrings.Describe(targetConnection, "sqlite"));
                result = await job.ReconcileAsync(target, run, validation, renderer, reconciler, runId, started, ct);
            }
        }
        finally
        {
            DeleteFolder(spill);
        }
        log.LogInformation("reconciled: outcome {Outcome}, {Problems} problem(s)", result.Outcome, result.Problems.Count);
        await job.PublishAsync(store, runId, result, mapping, request.RedactedConfiguration, source, ct);
        log.LogInformation("reports written to {Store}", store.Description);
        logProvider.Dispose();
        try
        {
            await using (var logStream = File.OpenRead(Path.Combine(work, "run.log")))
                await store.PutAsync(runId, StandardSpec.Version, "log", "run.log", logStream, ct);
            // A run whose target could not be compared stays open: its reports say so, and the same run id can finish
            // the reconciliation once the target is back (loaded batches are skipped by the ledger, not loaded again).
            if (result.Outcome != ReconciliationOutcome.Error) await store.CompleteRunAsync(runId, ct);
        }
        catch (ArtifactStoreException e)
        {
            throw new PipelineException(e.Message, FailureKind.Infrastructure, e);
        }
        var reportsAt = store.Kind == "local" ? Path.Combine(request.RunsDirectory, runId) : store.Description + "/" + runId;
        return new RunOutcome(runId, result, mapping, job.Timings, wall.Elapsed, reportsAt);
    }

    /// <summary>
    /// Makes sure the target holds no other rehearsal: a run loading on top of another would fail on duplicate keys
    /// half-way, or worse mix two rehearsals. With <paramref name="reset"/> this tool's tables are dropped first.
    /// </summary>
    static async Task PrepareTargetAsync(IStandardTarget target, string runId, bool reset, ILogger log, CancellationToken ct)
    {
        try
        {
            if (reset)
            {
                var dropped = await target.ResetAsync(ct);
                log.LogInformation("--reset-target: dropped {Count} table(s) of this tool from {Target}: {Tables}", dropped.Count, target.Description, string.Join(", ", dropped));
            }
            await MigrationJob.EnsureSchemaAsync(target, ct);
            var others = (await target.GetLedgerAsync(null, ct)).Where(l => !string.Equals(l.RunId, runId, StringComparison.Ordinal))
                .GroupBy(l => l.RunId, StringComparer.Ordinal).Select(g => FormattableString.Invariant($"{g.Key} ({g.Sum(l => l.RowCount):N0} rows)")).ToList();
            if (others.Count > 0)
                throw new PipelineException($"the target {target.Description} already holds another rehearsal: run {string.Join(", run ", others)}. " +
                    $"Loading run {runId} on top would mix two rehearsals. Give --reset-target to drop this tool's tables there (its entity tables, " +
                    "run ledger and schema table; nothing else) and load afresh, or use an empty database; to finish an interrupted run, give its --run-id.");
        }
        catch (Exception e) when (e is not (PipelineException or OperationCanceledException))
        {
            throw new PipelineException($"cannot prepare the {target.Kind} target: {e.Message}; check the target connection and that it is reachable.", FailureKind.Infrastructure, e);
        }
    }

    /// <summary>The folder of a run's sort spill files (canonical rows with personal data), inside its work folder.</summary>
    public static string SpillFolder(string work) => Path.Combine(work, "spill");

    static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PipelineException($"cannot remove the spill folder {folder} (it holds personal data): {e.Message}", FailureKind.Infrastructure, e);
        }
    }

    /// <summary>A run given by id resumes only when it was started here and has not finished.</summary>
    static async Task CheckResumableAsync(IArtifactStore store, RunId id, string work, CancellationToken ct)
    {
        ArtifactManifest? manifest;
        try
        {
            manifest = await store.GetManifestAsync(id.Value, ct);
        }
        catch (ArtifactStoreException e)
        {
            throw new PipelineException(e.Message, FailureKind.Infrastructure, e);
        }
        if (manifest?.IsComplete == true)
            throw new PipelineException($"run {id} is finished (its artifacts in {store.Description} are complete) and is never redone; omit --run-id to start a new run.");
        if (!Directory.Exists(work))
            throw new PipelineException($"no run {id} to resume (no work folder {work}); omit --run-id to start a new run.");
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
