using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Mappers.FitGap;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation;

namespace Ogaki.Migration.Cli.Pipeline;

/// <summary>Timing and throughput of one stage, for the summary and the benchmarks.</summary>
public sealed record StageTiming(string Stage, long Records, TimeSpan Elapsed)
{
    public double RecordsPerSecond => Records / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// The steps of a migration rehearsal, shared by <c>dry-run</c>, <c>reconcile</c> and the end-to-end benchmark:
/// map the legacy sources, load the target in ledgered batches, reconcile by reading the target back, and
/// publish the reports to the artifact store.
/// </summary>
public sealed class MigrationJob(StageProgress progress)
{
    MappingConfig? _config;

    public List<StageTiming> Timings { get; } = [];

    /// <summary>Reads and maps every legacy source of an estate folder.</summary>
    public async Task<MappingResult> MapAsync(string estateDirectory, string? mappingDirectory, Pseudonymizer pseudonymizer, CancellationToken ct)
    {
        MappingConfig config;
        try
        {
            _config = config = MappingConfig.Load(mappingDirectory, Path.Combine(estateDirectory, "gaiji.csv") is var g && File.Exists(g) ? g : null);
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new CliException($"mapping configuration {mappingDirectory ?? MappingConfig.DefaultRoot()} cannot be read: {e.Message}");
        }
        var sources = EstateFolder.Open(estateDirectory);
        var sw = Stopwatch.StartNew();
        var result = await progress.RunAsync("map", null, async report =>
        {
            var r = await new MappingEngine(config).RunAsync(sources, new MappingOptions(Pseudonymizer: pseudonymizer), ct);
            report(r.Counts.Sum(c => c.Read));
            return r;
        });
        Timings.Add(new StageTiming("read + map + item validation", result.Counts.Sum(c => c.Read), sw.Elapsed));
        return result;
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

    /// <summary>Loads every mapped entity into the target, one transaction per batch with its ledger row.</summary>
    public async Task<IReadOnlyDictionary<string, long>> LoadAsync(IStandardTarget target, MappingResult mapping, string runId, int batchSize, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            await target.EnsureSchemaAsync(StandardSpec.Entities, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CliException($"cannot prepare the {target.Kind} target schema: {e.Message}; check the target connection and that it is reachable.", ExitCodes.Infrastructure, e);
        }
        var written = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var total = StandardSpec.Entities.Sum(e => (long)mapping.RecordsOf(e.Name).Count);
        await progress.RunAsync("load", total, async report =>
        {
            long done = 0;
            foreach (var entity in StandardSpec.Entities)
            {
                var records = mapping.RecordsOf(entity.Name);
                long rows = 0;
                for (int start = 0, batch = 1; start < records.Count; start += batchSize, batch++)
                {
                    var slice = records.Skip(start).Take(batchSize).ToList();
                    BatchResult result;
                    try
                    {
                        result = await target.LoadBatchAsync(new LoadBatch(runId, StandardSpec.Version, entity, batch, start + 1, start + slice.Count, slice), ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        throw new CliException($"loading {entity.Name} batch {batch} (input records {start + 1}–{start + slice.Count}) into {target.Kind} failed: {e.Message}; " +
                            "nothing of that batch was committed — fix the cause and run again with the same --run-id to resume.", ExitCodes.Infrastructure, e);
                    }
                    rows += result.RowsWritten;
                    done += slice.Count;
                    report(done);
                }
                written[entity.Name] = rows;
            }
            return written;
        });
        Timings.Add(new StageTiming("load (" + target.Kind + ")", total, sw.Elapsed));
        return written;
    }

    /// <summary>Reconciles every entity by reading the target back, and validates the mapped records.</summary>
    public async Task<ReconciliationResult> ReconcileAsync(IStandardTarget target, MappingResult mapping, string runId, DateTimeOffset started,
        Pseudonymizer pseudonymizer, ReportPrivacy privacy, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var renderer = new ValueRenderer(pseudonymizer, privacy);
        var reconciler = new Reconciler(new ReconcileOptions(), renderer);
        var counts = SourceCountsByEntity(mapping);
        var entities = new List<EntityReconciliation>();
        var total = StandardSpec.Entities.Sum(e => (long)mapping.RecordsOf(e.Name).Count);
        await progress.RunAsync("reconcile", total, async report =>
        {
            long done = 0;
            foreach (var entity in StandardSpec.Entities)
            {
                var records = mapping.RecordsOf(entity.Name);
                entities.Add(await reconciler.ReconcileTargetAsync(target, entity, ToAsync(records), counts.GetValueOrDefault(entity.Name), ct));
                done += records.Count;
                report(done);
            }
            return entities;
        });
        var validation = new ValidationRun(new ValidationOptions(), renderer);
        foreach (var entity in StandardSpec.Entities)
            foreach (var r in mapping.RecordsOf(entity.Name))
                validation.Add(r);
        var rejects = mapping.Rejects.SelectMany(r => r.Issues.Select(i => new RejectEntry(r.Source, r.Location.File, r.Location.RecordNumber, r.Location.ByteOffset,
            i.Field ?? r.Location.Field, i.Reason, $"{r.PseudonymKey}: " + (i.ItemId is null ? "" : $"{i.ItemId} {i.ItemNameJa}: ") + i.Message)));
        var result = ReconciliationResult.Create(StandardSpec.Version, RunMetadata.Now(runId, started), pseudonymizer, privacy, entities, rejects, validation.Complete());
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

    static readonly string[] PrimaryEntities = [.. Enum.GetValues<SourceRole>().Select(EstateFolder.PrimaryEntity)];

    /// <summary>Read/rejected/excluded of each source, attached to the entity it emits once per record.</summary>
    static Dictionary<string, Ogaki.Migration.Validation.SourceCounts> SourceCountsByEntity(MappingResult mapping)
    {
        var byEntity = new Dictionary<string, Ogaki.Migration.Validation.SourceCounts>(StringComparer.Ordinal);
        foreach (var c in mapping.Counts)
        {
            if (PrimaryEntities.FirstOrDefault(c.RecordsByEntity.ContainsKey) is not { } entity) continue;
            // One reason per rejected record (its first), so rejected counts records, not issues.
            var rejected = mapping.Rejects.Where(r => string.Equals(r.Source, c.Source, StringComparison.Ordinal))
                .GroupBy(r => r.Reason, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            byEntity[entity] = new Ogaki.Migration.Validation.SourceCounts(c.Read, rejected, c.ExcludedByReason);
        }
        return byEntity;
    }

    static async IAsyncEnumerable<IStandardRecord> ToAsync(IReadOnlyList<IStandardRecord> records)
    {
        foreach (var r in records) yield return r;
        await Task.CompletedTask;
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
                throw new CliException(e.Message + (e.LocalCopy is null ? "" : $" The local copy is kept in {e.LocalCopy}."), ExitCodes.Infrastructure, e);
            }
            names.Add(name);
        }
    }

    /// <summary>Formats a count for tables.</summary>
    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
