using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
using Ogaki.Migration.Validation.Reports;
using Snapshooter;
using Snapshooter.Xunit3;

namespace Ogaki.Migration.Cli.Tests;

/// <summary>
/// Exactness guard: a small fixed-seed estate (with its injected defects) is mapped and reconciled, and every mapped
/// standard record (every item, canonical text) and every report is compared with its snapshot, so a change in any
/// migrated value or report line shows up as a readable diff.
/// </summary>
public class SampleSnapshotTests
{
    // A fixed test key (not a secret) so pseudonyms in the snapshots are stable from run to run.
    static readonly Pseudonymizer Key = new("snapshot-test-pseudonym-key-0001");

    // Every item in clear, except what no file may hold in clear: identifiers are pseudonymised and 個人番号 hidden,
    // both keyed, so a changed value still changes the snapshot.
    static readonly ValueRenderer Renderer = new(Key, new ReportPrivacy(UnmaskPersonalData: true));

    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Defects at 25 times the default rates, so a sample this small holds every kind and the reject and finding
    // reports have lines to guard.
    static readonly DefectRates Dense = new()
    {
        InvalidCheckDigit = 0.05, UnmappedCode = 0.05, ImpossibleDate = 0.05, UnknownDate = 0.075,
        OrphanMember = 0.025, DuplicateKey = 0.025, OverLength = 0.05, UnmappableGaiji = 0.025,
    };

    static async Task<string> SampleAsync(string folder)
    {
        var estate = Path.Combine(folder, "estate");
        await LegacyEstateGenerator.WriteAsync(new EstateOptions { Scale = 0.0005, Seed = 42, OutputDirectory = estate, DefectRates = Dense }, null,
            TestContext.Current.CancellationToken);
        return estate;
    }

    [Fact]
    public async Task Mapped_standard_records_of_a_fixed_seed_sample_match_their_snapshots()
    {
        using var tmp = new TempFolder();
        var estate = await SampleAsync(tmp.Path);
        var config = MappingConfig.Load(null, Path.Combine(estate, "gaiji.csv"));
        var mapping = await new MappingEngine(config).RunAsync(EstateFolder.Open(estate), new MappingOptions(Pseudonymizer: Key), TestContext.Current.CancellationToken);
        foreach (var entity in StandardSpec.Entities)
        {
            var records = mapping.RecordsOf(entity.Name);
            Assert.NotEmpty(records);
            Snapshot.Match(CanonicalJsonLines(entity, records), SnapshotNameExtension.Create(entity.Name));
        }
    }

    [Fact]
    public async Task Reconciliation_reports_of_a_fixed_seed_sample_match_their_snapshots()
    {
        using var tmp = new TempFolder();
        var estate = await SampleAsync(tmp.Path);
        var ct = TestContext.Current.CancellationToken;
        var job = new MigrationJob(IStageProgress.None);
        var renderer = new ValueRenderer(Key, ReportPrivacy.Default);
        var reconciler = new Reconciler(new ReconcileOptions(), renderer);
        var validation = new ValidationRun(new ValidationOptions { ItemRulesCheckedUpstream = true }, renderer);
        ReconciliationResult result;
        await using (var target = TargetFactory.Create("sqlite:" + Path.Combine(tmp.Path, "target.db")))
        {
            await using var run = await job.MapAndLoadAsync(estate, null, Key, reconciler, validation, target, "snapshot", 500, ct);
            result = await job.ReconcileAsync(target, run, validation, renderer, reconciler, "snapshot", DateTimeOffset.UnixEpoch, ct);
        }
        Assert.Equal(ReconciliationOutcome.Reconciled, result.Outcome);
        var sink = new MemorySink();
        await ReconciliationReports.WriteAllAsync(result, sink, ct);
        foreach (var name in new[] { ReportFiles.Json, ReportFiles.Markdown, ReportFiles.DiscrepanciesCsv, ReportFiles.RejectsCsv, ReportFiles.FindingsCsv })
            Snapshot.Match(ReportScrubber.Scrub(name, Encoding.UTF8.GetString(sink.Files[name].Span).TrimStart('\uFEFF')), SnapshotNameExtension.Create(name));
    }

    /// <summary>One JSON object per record, in key order, item identifiers as names and values as shown above.</summary>
    static string CanonicalJsonLines(SpecEntity entity, IReadOnlyList<IStandardRecord> records)
    {
        var rows = records.Select(r => Enumerable.Range(0, entity.Items.Count).Select(r.GetValue).ToArray()).ToList();
        rows.Sort(new RowKeyComparer(entity));
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            var o = new Dictionary<string, string?>(StringComparer.Ordinal); // spec item order
            foreach (var item in entity.Items) o[item.Identifier] = Renderer.Render(item, CanonicalValue.ToText(row[item.Ordinal]));
            sb.Append(JsonSerializer.Serialize(o, Json)).Append('\n');
        }
        return sb.ToString();
    }

    sealed class MemorySink : IReportSink
    {
        public Dictionary<string, ReadOnlyMemory<byte>> Files { get; } = new(StringComparer.Ordinal);

        public Task WriteAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        {
            Files[name] = content.ToArray();
            return Task.CompletedTask;
        }
    }
}
