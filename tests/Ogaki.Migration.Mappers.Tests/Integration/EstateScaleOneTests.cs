using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Mappers.Tests.Integration;

/// <summary>
/// The scale-1 sample (大垣市: 160,485 residents; seed 42, the default defect rates a dry run uses), generated once
/// for the class into a temporary folder and mapped as the dry run maps it: streamed through a sink with
/// <c>RetainRecords: false</c>. Issue #4's done-when: the rejects are exactly the injected defects the mapping is
/// responsible for — by file, record, key and kind, no more and no fewer.
/// </summary>
public sealed partial class EstateScaleOneFixture : IAsyncLifetime
{
    public const double Scale = 1.0;

    readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("estate-scale1");

    public string Root => _dir.FullName;

    public MappingResult Result { get; private set; } = null!;

    /// <summary>Standard records the sink received, per entity.</summary>
    public Dictionary<string, long> SinkRecords { get; } = new(StringComparer.Ordinal);

    /// <summary>Sink calls whose records were not all of the entity named in the call.</summary>
    public int MixedBatches { get; private set; }

    /// <summary>Ground-truth rows; <c>Key</c> is the standard record key (see <see cref="StandardKey"/>).</summary>
    public List<(string File, long Record, string Key, string Kind, string Field)> Truth { get; } = [];

    public EstateSummary Estate { get; private set; } = null!;

    public TimeSpan GenerateTime { get; private set; }

    public TimeSpan MapTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var sw = Stopwatch.StartNew();
        Estate = await LegacyEstateGenerator.WriteAsync(new EstateOptions { Scale = Scale, Seed = 42, OutputDirectory = Root }, cancellationToken: ct);
        GenerateTime = sw.Elapsed;
        var config = MappingConfig.Load(gaijiOverride: LegacySources.GaijiTable(Root));
        sw.Restart();
        Result = await new MappingEngine(config).RunAsync(LegacySources.FromFolder(Root),
            new MappingOptions(Pseudonymizer: new Pseudonymizer("scale-one-test-key"), Sink: CountAsync, RetainRecords: false), ct);
        MapTime = sw.Elapsed;
        var recipients = await RecipientAtenaByNumberAsync(ct);
        foreach (var line in File.ReadLines(Path.Combine(Root, "ground-truth.csv")).Skip(1))
        {
            var c = line.Split(',', 6);
            var file = c[1] == "jidoteate.db" ? c[4][..c[4].IndexOf('.', StringComparison.Ordinal)] : c[1];
            var m = RecordNo().Match(c[5]);
            Truth.Add((file, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), StandardKey(file, c[2], recipients), c[3], c[4]));
        }
    }

    /// <summary>
    /// The ground truth names allowance rows by the legacy 受給者番号 (JUKYUSHA: <c>受給者番号</c>; TAISHO_JIDO:
    /// <c>受給者番号/児童宛名番号/yyyymm</c>); the standard key is the recipient's 宛名番号
    /// (<c>宛名番号</c>; <c>受給者宛名番号/児童宛名番号/yyyy-MM</c>). Other files use the standard key already.
    /// </summary>
    static string StandardKey(string file, string key, Dictionary<string, string> recipients)
    {
        switch (file)
        {
            case "JUKYUSHA":
                return recipients[key];
            case "TAISHO_JIDO":
                var p = key.Split('/');
                return $"{recipients[p[0]]}/{p[1]}/{p[2][..4]}-{p[2][4..]}";
            default:
                return key;
        }
    }

    /// <summary>受給者番号 → 受給者の宛名番号, read from the legacy recipient table (first row wins, as in the engine).</summary>
    async Task<Dictionary<string, string>> RecipientAtenaByNumberAsync(CancellationToken ct)
    {
        static string Text(object? v) => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim() ?? "";
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var source = LegacySources.FromFolder(Root).Single(s => s.Role == SourceRole.AllowanceRecipients);
        await foreach (var item in source.Adapter.ReadAsync(ct))
            if (item.Record is { } r) map.TryAdd(Text(r.Get("JKY_NO")), Text(r.Get("ATENA_NO")));
        return map;
    }

    // The engine calls the sink from its ordered stage, one call at a time.
    ValueTask CountAsync(SpecEntity entity, IReadOnlyList<IStandardRecord> records, CancellationToken cancellationToken)
    {
        SinkRecords[entity.Name] = SinkRecords.GetValueOrDefault(entity.Name) + records.Count;
        foreach (var r in records)
            if (!string.Equals(r.Entity.Name, entity.Name, StringComparison.Ordinal)) { MixedBatches++; break; }
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _dir.Delete(true);
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"^record (\d+)")]
    private static partial Regex RecordNo();
}

public sealed class EstateScaleOneTests(EstateScaleOneFixture fx) : IClassFixture<EstateScaleOneFixture>
{
    /// <summary>The defect kinds the mapping rejects (unknown dates are kept, see below).</summary>
    static readonly string[] RejectKinds =
    [
        DefectKinds.InvalidCheckDigit, DefectKinds.UnmappedCode, DefectKinds.ImpossibleDate, DefectKinds.OrphanMember,
        DefectKinds.DuplicateKey, DefectKinds.OverLength, DefectKinds.UnmappableGaiji,
    ];

    [Fact]
    public void The_estate_is_the_scale_1_city_with_every_defect_kind()
    {
        Assert.Equal(67_809, fx.Result.Counts.Single(c => c.Source == "fixed:SETAI.dat").Read);
        Assert.Equal(fx.Estate.Counts["opensys/JUMIN.dat"], fx.Result.Counts.Single(c => c.Source == "fixed:JUMIN.dat").Read);
        foreach (var kind in DefectKinds.All)
            Assert.True(fx.Truth.Count(t => t.Kind == kind) >= 50, $"{kind}: {fx.Truth.Count(t => t.Kind == kind)} injected");
    }

    [Fact]
    public void Rejects_equal_the_injected_defects_by_record_key_and_kind()
    {
        foreach (var kind in RejectKinds)
        {
            var expected = fx.Truth.Where(t => t.Kind == kind).Select(t => $"{t.File}#{t.Record} {t.Key}").Order(StringComparer.Ordinal).ToList();
            var actual = fx.Result.Rejects.Where(r => r.Reason == kind).Select(r => $"{r.Location.File}#{r.Location.RecordNumber} {r.RecordKey}").Order(StringComparer.Ordinal).ToList();
            var missing = expected.Except(actual).Take(10).ToList();
            var extra = actual.Except(expected).Take(10).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{kind}: {expected.Count} injected, {actual.Count} rejected\nmissing: {string.Join(" | ", missing)}\nextra: {string.Join(" | ", extra)}");
            Assert.Equal(expected, actual);
        }
        // No reject of any other reason: every reject is an injected defect.
        Assert.All(fx.Result.Rejects, r => Assert.Contains(r.Reason, RejectKinds));
        Assert.Equal(fx.Truth.Count(t => RejectKinds.Contains(t.Kind)), fx.Result.Rejects.Count);
    }

    [Fact]
    public void Unknown_dates_are_kept_and_reported_not_rejected()
    {
        var unknown = fx.Truth.Where(t => t.Kind == DefectKinds.UnknownDate).ToList();
        Assert.Equal(unknown.Count, fx.Result.KeptUnknownDates.Where(l => l.Table == "00100022").Sum(l => l.Count));
        var rejected = fx.Result.Rejects.Select(r => (r.Location.File, r.Location.RecordNumber)).ToHashSet();
        Assert.DoesNotContain(unknown, u => rejected.Contains((u.File, u.Record)));
    }

    [Fact]
    public void Streaming_retains_no_records_and_the_sink_gets_every_mapped_record_once()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"scale 1: generated in {fx.GenerateTime}, mapped in {fx.MapTime}");
        Assert.Empty(fx.Result.Records);
        Assert.Equal(0, fx.MixedBatches);
        Assert.True(fx.Result.Balances);
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in fx.Result.Counts)
            foreach (var (entity, n) in c.RecordsByEntity) counted[entity] = counted.GetValueOrDefault(entity) + n;
        Assert.Equal(counted.OrderBy(kv => kv.Key, StringComparer.Ordinal), fx.SinkRecords.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(fx.Result.Counts.Single(c => c.Source == "fixed:JUMIN.dat").Mapped, fx.SinkRecords["Resident"]);
    }
}
