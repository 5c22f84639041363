using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Mappers.FitGap;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
using Ogaki.Migration.Validation.Reports;

namespace Ogaki.Migration.Pipeline;

/// <summary>Timing and throughput of one stage, for the summary and the benchmarks.</summary>
public sealed record StageTiming(string Stage, long Records, TimeSpan Elapsed)
{
    public double RecordsPerSecond => Records / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>A mapped run: counts, rejects and reports of the mapping, each entity's source side and the rows the load wrote.</summary>
public sealed class MappedRun(MappingResult mapping, IReadOnlyDictionary<string, SourceSide> sources, IReadOnlyDictionary<string, long> written,
    int batches = 0, int skippedBatches = 0) : IAsyncDisposable
{
    /// <summary>Load batches of the run (0 without a load).</summary>
    public int Batches { get; } = batches;

    /// <summary>Batches the run ledger already held (loaded by an earlier attempt of the same run), skipped now.</summary>
    public int SkippedBatches { get; } = skippedBatches;

    public MappingResult Mapping { get; } = mapping;

    /// <summary>Source side per entity name (entities with no mapped record have none).</summary>
    public IReadOnlyDictionary<string, SourceSide> Sources { get; } = sources;

    /// <summary>Rows written per entity (0 for batches the ledger already held).</summary>
    public IReadOnlyDictionary<string, long> Written { get; } = written;

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Sources.Values) await s.DisposeAsync();
    }
}

/// <summary>
/// The steps of a migration rehearsal, shared by <c>dry-run</c>, <c>reconcile</c> and the end-to-end benchmark:
/// map the legacy sources, load the target in ledgered batches, reconcile by reading the target back, and
/// publish the reports to the artifact store.
/// </summary>
public sealed class MigrationJob(IStageProgress progress)
{
    MappingConfig? _config;

    public List<StageTiming> Timings { get; } = [];

    /// <summary>Reads and maps every legacy source of an estate folder, keeping counts, rejects and reports only.</summary>
    public Task<MappingResult> MapAsync(string estateDirectory, string? mappingDirectory, Pseudonymizer pseudonymizer, CancellationToken ct) =>
        MapCoreAsync(estateDirectory, mappingDirectory, pseudonymizer, null, "read + map + item validation", ct);

    async Task<MappingResult> MapCoreAsync(string estateDirectory, string? mappingDirectory, Pseudonymizer pseudonymizer, MappedRecordSink? sink, string stage,
        CancellationToken ct, MappedRecordLocated? located = null, string? tempDirectory = null)
    {
        MappingConfig config;
        try
        {
            _config = config = MappingConfig.Load(mappingDirectory, Path.Combine(estateDirectory, "gaiji.csv") is var g && File.Exists(g) ? g : null);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new PipelineException($"mapping configuration {mappingDirectory ?? MappingConfig.DefaultRoot()} cannot be read: {e.Message}");
        }
        var sources = EstateFolder.Open(estateDirectory);
        var sw = Stopwatch.StartNew();
        var result = await progress.RunAsync("map", null, async report =>
        {
            // Records stream through the sink; none is kept, so memory does not grow with the estate.
            var r = await new MappingEngine(config).RunAsync(sources, new MappingOptions(Pseudonymizer: pseudonymizer, Sink: sink, RetainRecords: false, Progress: report, Located: located, TempDirectory: tempDirectory), ct);
            report(r.Counts.Sum(c => c.Read));
            return r;
        });
        Timings.Add(new StageTiming(stage, result.Counts.Sum(c => c.Read), sw.Elapsed));
        return result;
    }

    /// <summary>
    /// Reads and maps every legacy source, streaming each batch of mapped records on as it comes: validated, added
    /// to its entity's <see cref="SourceSide"/> for the reconciliation and, with a target, loaded in ledgered batches
    /// of <paramref name="batchSize"/> by a background loader, so loading overlaps mapping and memory stays flat.
    /// Batch boundaries depend only on the (deterministic) mapping order, so a rerun with the same run id resumes.
    /// The target is made ready (<paramref name="prepareTarget"/>, then its schema, then <see cref="IStandardTarget.BeginLoadAsync"/>)
    /// by the loader before its first batch, while the mapping already runs: the server's DDL and the mapping's first
    /// records overlap. A target that cannot be made ready stops the mapping at its next hand-over with that error.
    /// </summary>
    /// <param name="prepareTarget">What the caller checks or changes on the target first (reset, another rehearsal), or null.</param>
    public async Task<MappedRun> MapAndLoadAsync(string estateDirectory, string? mappingDirectory, Pseudonymizer pseudonymizer, Reconciler reconciler,
        ValidationRun validation, IStandardTarget? target, string runId, int batchSize, CancellationToken ct,
        Func<CancellationToken, Task>? prepareTarget = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sides = new Dictionary<string, SourceSide>(StringComparer.Ordinal);
        var pending = new Dictionary<string, (List<IStandardRecord> Records, int Batch, long Input)>(StringComparer.Ordinal);
        // Batches are independent transactions (or groups of them) with their own ledger rows, so the order they
        // commit in does not matter for resume.
        var loader = target is null ? null : new BatchLoader(target, async token =>
        {
            if (prepareTarget is not null) await prepareTarget(token);
            await EnsureSchemaAsync(target, token);
            await BeginLoadAsync(target, token);
        }, cancellationToken: ct);

        ValueTask Send(SpecEntity entity, List<IStandardRecord> records, int batch, long first) =>
            loader!.SendAsync(new LoadBatch(runId, StandardSpec.Version, entity, batch, first, first + records.Count - 1, records));

        SourceSide SideOf(SpecEntity entity) => sides.TryGetValue(entity.Name, out var side) ? side : sides[entity.Name] = reconciler.CreateSourceSide(entity);

        async ValueTask Sink(SpecEntity entity, IReadOnlyList<IStandardRecord> records, CancellationToken token)
        {
            var side = SideOf(entity);
            foreach (var r in records)
            {
                validation.Add(r);
                side.Add(r);
            }
            if (target is null) return;
            if (!pending.TryGetValue(entity.Name, out var p)) p = (new List<IStandardRecord>(batchSize), 1, 1);
            foreach (var r in records)
            {
                p.Records.Add(r);
                if (p.Records.Count < batchSize) continue;
                await Send(entity, p.Records, p.Batch, p.Input);
                p = (new List<IStandardRecord>(batchSize), p.Batch + 1, p.Input + batchSize); // made at its final size, not grown
            }
            pending[entity.Name] = p;
        }

        try
        {
            var mapping = await MapCoreAsync(estateDirectory, mappingDirectory, pseudonymizer, Sink,
                target is null ? "read + map + validation" : "read + map + validation + load (" + target.Kind + ")", ct,
                located: (record, at) => SideOf(record.Entity).Locate(record, at), // so discrepancies can name their source record
                tempDirectory: reconciler.Options.TempDirectory); // the duplicate-key files go where the sort spills go
            if (target is not null)
            {
                foreach (var entity in StandardSpec.Entities)
                    if (pending.TryGetValue(entity.Name, out var p) && p.Records.Count > 0)
                        await Send(entity, p.Records, p.Batch, p.Input);
                await loader!.CompleteAsync();
                var keys = Stopwatch.StartNew();
                var built = await CompleteLoadAsync(target, ct);
                Timings.Add(new StageTiming("  of which load (" + target.Kind + ", overlapped, " + loader.Parallelism + " connection" + (loader.Parallelism == 1 ? "" : "s") + ")",
                    loader.LoadedRows, loader.Busy + keys.Elapsed));
                if (built.Count > 0)
                    Timings.Add(new StageTiming(string.Create(CultureInfo.InvariantCulture, $"  of which keys built after the load ({built.Count} tables)"), loader.LoadedRows, keys.Elapsed));
            }
            // What is still buffered goes to disk now, so only the entity being reconciled holds rows in memory.
            foreach (var side in sides.Values) await side.SpillAsync();
            return new MappedRun(mapping, sides, loader?.Written ?? new SortedDictionary<string, long>(StringComparer.Ordinal), loader?.Batches ?? 0, loader?.SkippedBatches ?? 0);
        }
        catch
        {
            if (loader is not null) await loader.AbortAsync(); // the mapping's or the loader's error is the one rethrown
            foreach (var side in sides.Values) await side.DisposeAsync();
            throw;
        }
    }

    internal static async Task EnsureSchemaAsync(IStandardTarget target, CancellationToken ct)
    {
        try
        {
            await target.EnsureSchemaAsync(StandardSpec.Entities, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PipelineException($"cannot prepare the {target.Kind} target schema: {e.Message}; check the target connection and that it is reachable.", FailureKind.Infrastructure, e);
        }
    }

    static async Task BeginLoadAsync(IStandardTarget target, CancellationToken ct)
    {
        try
        {
            await target.BeginLoadAsync(StandardSpec.Entities, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PipelineException($"cannot prepare the {target.Kind} target for the load: {ConnectionStrings.Mask(e.Message)}; check the target connection and that it is reachable.", FailureKind.Infrastructure, e);
        }
    }

    static async Task<IReadOnlyList<string>> CompleteLoadAsync(IStandardTarget target, CancellationToken ct)
    {
        try
        {
            return await target.CompleteLoadAsync(StandardSpec.Entities, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PipelineException($"{(e is TargetKeyException ? e.Message : $"building the keys of the {target.Kind} target after the load failed: {ConnectionStrings.Mask(e.Message)}")}; " +
                "every batch is committed — run again with the same --run-id to finish.", FailureKind.Infrastructure, e);
        }
    }

    /// <summary>Maps the estate and analyses fit and gap of its legacy layouts against the spec.</summary>
    public async Task<(MappingResult Mapping, FitGapReport Report)> FitGapAsync(string estateDirectory, string? mappingDirectory, Pseudonymizer pseudonymizer, CancellationToken ct)
    {
        var mapping = await MapAsync(estateDirectory, mappingDirectory, pseudonymizer, ct);
        return (mapping, FitGapAnalysis.Analyze(_config!, await LayoutsAsync(estateDirectory, ct), mapping));
    }

    /// <summary>The field names of every legacy record type, from the first record of each source.</summary>
    static async Task<IReadOnlyList<LegacyLayout>> LayoutsAsync(string estateDirectory, CancellationToken ct)
    {
        var layouts = new List<LegacyLayout>();
        foreach (var source in EstateFolder.Open(estateDirectory))
        {
            await foreach (var item in source.Adapter.ReadAsync(ct))
            {
                if (item.Record is not { } r || (r.RecordType.Length > 0 && r.RecordType != source.RecordType)) continue;
                layouts.Add(LegacyLayout.FromRecord(r, source.System, source.RecordType));
                break;
            }
        }
        return layouts;
    }

    /// <summary>Reconciles every entity by reading the target back against the source sides collected while mapping.</summary>
    public async Task<ReconciliationResult> ReconcileAsync(IStandardTarget target, MappedRun run, ValidationRun validation, ValueRenderer renderer,
        Reconciler reconciler, string runId, DateTimeOffset started, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var mapping = run.Mapping;
        var counts = SourceCountsByEntity(mapping);
        var entities = new List<EntityReconciliation>();
        var total = run.Sources.Values.Sum(s => s.Count);
        await progress.RunAsync("reconcile", total, async report =>
        {
            long done = 0;
            foreach (var entity in StandardSpec.Entities)
            {
                // An entity with no mapped record still reconciles: the target may hold rows nobody expects.
                await using var side = run.Sources.TryGetValue(entity.Name, out var s) ? s : reconciler.CreateSourceSide(entity);
                entities.Add(await reconciler.ReconcileReadBackAsync(target.ReadBackCanonicalAsync, side, counts.GetValueOrDefault(entity.Name), ct));
                done += side.Count;
                report(done);
            }
            return entities;
        });
        var rejects = mapping.Rejects.SelectMany(RejectEntry.From);
        var result = ReconciliationResult.Create(StandardSpec.Version, RunMetadata.Now(runId, started), renderer.Pseudonymizer, renderer.Privacy, entities, rejects,
            validation.Complete(OutsideOf(mapping)), sourceProblems: mapping.SourceProblems);
        Timings.Add(new StageTiming("reconcile (read back, hash, diff)", total, sw.Elapsed));
        return result;
    }

    /// <summary>Writes reports, mapping reports, the fit-gap analysis and the configuration versions to the store.</summary>
    public async Task<IReadOnlyList<string>> PublishAsync(IArtifactStore store, string runId, ReconciliationResult result, MappingResult mapping,
        string redactedConfig, string estateDirectory, CancellationToken ct)
    {
        var names = new List<string>();
        var sink = new StoreSink(store, runId, names);
        await ReconciliationReports.WriteAllAsync(result, sink, ct);
        await sink.WriteAsync("mapping/mapping-report.md", Encoding.UTF8.GetBytes(mapping.ToMarkdown()), ct);
        var fitGap = FitGapAnalysis.Analyze(_config!, await LayoutsAsync(estateDirectory, ct), mapping);
        await sink.WriteAsync("mapping/fitgap.md", Encoding.UTF8.GetBytes(fitGap.ToMarkdown()), ct);
        var versions = new StringBuilder("file,sha256\n");
        foreach (var v in mapping.ConfigVersions) versions.Append(v.Path).Append(',').Append(v.Sha256).Append('\n');
        versions.Append("(all),").Append(mapping.ConfigSha256).Append('\n');
        await sink.WriteAsync("mapping/config-versions.csv", Encoding.UTF8.GetBytes(versions.ToString()), ct);
        await sink.WriteAsync("run-config.json", Encoding.UTF8.GetBytes(redactedConfig), ct);
        return names;
    }

    /// <summary>住登外者 (excluded from the resident sources) and the keys of rejected records, for the cross-record rules.</summary>
    internal static OutsideRecords OutsideOf(MappingResult mapping)
    {
        var resident = ResidentSpec.Entity.Name;
        var residentSources = mapping.Counts.Where(c => c.RecordsByEntity.ContainsKey(resident)).Select(c => c.Source).ToHashSet(StringComparer.Ordinal);
        var jutogai = mapping.Excluded.Where(e => residentSources.Contains(e.Source)).Select(e => e.RecordKey).ToHashSet(StringComparer.Ordinal);
        var rejected = mapping.Rejects.Where(r => r.Entity is not null)
            .GroupBy(r => r.Entity!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.RecordKey).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return new OutsideRecords(jutogai, rejected);
    }

    static readonly string[] PrimaryEntities = [.. Enum.GetValues<SourceRole>().Select(EstateFolder.PrimaryEntity)];

    /// <summary>Read/rejected/excluded of each source, attached to the entity it emits once per record.</summary>
    static Dictionary<string, Ogaki.Migration.Validation.Reconciliation.SourceCounts> SourceCountsByEntity(MappingResult mapping)
    {
        var byEntity = new Dictionary<string, Ogaki.Migration.Validation.Reconciliation.SourceCounts>(StringComparer.Ordinal);
        foreach (var c in mapping.Counts)
        {
            if (PrimaryEntities.FirstOrDefault(c.RecordsByEntity.ContainsKey) is not { } entity) continue;
            // One reason per rejected record (its first), so rejected counts records, not issues.
            var rejected = mapping.Rejects.Where(r => string.Equals(r.Source, c.Source, StringComparison.Ordinal))
                .GroupBy(r => r.Reason, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            byEntity[entity] = new Ogaki.Migration.Validation.Reconciliation.SourceCounts(c.Read, rejected, c.ExcludedByReason);
        }
        return byEntity;
    }

    /// <summary>Report sink that stores each report as an artifact of the run.</summary>
    sealed class StoreSink(IArtifactStore store, string runId, List<string> names) : IReportSink
    {
        public async Task WriteAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            var kind = name.Contains('/', StringComparison.Ordinal) ? name[..name.IndexOf('/', StringComparison.Ordinal)] : Path.GetExtension(name).TrimStart('.');
            try
            {
                await store.PutAsync(runId, StandardSpec.Version, kind.Length == 0 ? "report" : kind, name, stream, cancellationToken);
            }
            catch (ArtifactStoreException e)
            {
                throw new PipelineException(e.Message + (e.LocalCopy is null ? "" : $" The local copy is kept in {e.LocalCopy}."), FailureKind.Infrastructure, e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A local store folder that cannot be written (a file in its path, no permission): the same failure, one line.
                throw new PipelineException($"cannot store {name} of run {runId}: {e.Message}", FailureKind.Infrastructure, e);
            }
            names.Add(name);
        }
    }
}
