// MappingEngine: the run, source by source in role order. Partial files: Workers (each batch mapped and validated
// in parallel), RunState (the ordered stage: keys, links, counts, rejects, the sink).

using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// The mapping engine: legacy sources → standard records, validated per item, linked across areas, with
/// rejects, the excluded register, counts and reports. Deterministic: same input and config give the same
/// output and reports in the same order, whatever the thread timing.
/// </summary>
public sealed partial class MappingEngine
{
    readonly MappingConfig _config;
    readonly IReadOnlyDictionary<(string System, string RecordType), RecordMapper> _mappers;

    public MappingEngine(MappingConfig config)
    {
        _config = config;
        _mappers = RecordMapper.BuildAll(config);
    }

    public MappingConfig Config => _config;

    /// <summary>The compiled mapper of a (system, record type), or null.</summary>
    public RecordMapper? FindMapper(string system, string recordType) => _mappers.GetValueOrDefault((system, recordType));

    public async Task<MappingResult> RunAsync(IEnumerable<MappingSource> sources, MappingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MappingOptions();
        var degree = options.Degree > 0 ? options.Degree : Math.Max(1, Environment.ProcessorCount);
        using var run = new RunState(_config, options.Pseudonymizer ?? Pseudonymizer.FromEnvironment(), options.RetainRecords, options.Sink, options.Located, options.TempDirectory);
        var ordered = sources.Select((s, i) => (s, i)).OrderBy(x => (int)x.s.Role).ThenBy(x => x.i).Select(x => x.s).ToList();
        var householdsFinal = false;
        var read = 0L;
        foreach (var source in ordered)
        {
            if (!householdsFinal && source.Role > SourceRole.Residents)
            {
                await run.FinalizeHouseholdsAsync(cancellationToken).ConfigureAwait(false);
                householdsFinal = true;
            }
            read = await RunSourceAsync(source, run, degree, options.BatchSize, read, options.Progress, cancellationToken).ConfigureAwait(false);
        }
        if (!householdsFinal) await run.FinalizeHouseholdsAsync(cancellationToken).ConfigureAwait(false);
        return run.ToResult();
    }

    /// <returns>Records read over all sources so far (<paramref name="read"/> plus this source's).</returns>
    async Task<long> RunSourceAsync(MappingSource source, RunState run, int degree, int batchSize, long read, Action<long>? progress, CancellationToken ct)
    {
        var counts = run.CountsFor(source);
        var batches = OrderedBatches.MapAsync<Worker, Outcome>(
            source.Adapter.ReadAsync(ct),
            () => new Worker(_config, run.Links),
            (w, b) => MapBatch(source, w, b, run.Pseudonymizer),
            degree, batchSize, ct);
        await foreach (var b in batches.ConfigureAwait(false))
        {
            for (var i = 0; i < b.Count; i++)
                run.Accept(source, counts, b.Items[i], ref b.Outcomes[i]);
            await run.FlushAsync(ct).ConfigureAwait(false);
            read += b.Count;
            progress?.Invoke(read);
        }
        return read;
    }
}
