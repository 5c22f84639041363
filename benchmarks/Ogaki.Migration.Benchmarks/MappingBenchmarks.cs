using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Ogaki.Migration.Adapters;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Benchmarks;

/// <summary>
/// Mapping + item validation of in-memory legacy resident records (JUMIN shape, 46 fields, text as the
/// fixed-length reader hands it over: trailing padding trimmed). <c>OperationsPerInvoke</c> = records, so Mean and Allocated are per record
/// and the Rows/s column is records per second. <see cref="MapAndValidate"/> and <see cref="MapAndValidateOutOfCache"/> are one core; <see cref="EngineRun"/>
/// is the whole engine (ordered parallel batches on all cores + keys, links and reports).
/// Run: <c>dotnet run -c Release --project benchmarks/Ogaki.Migration.Benchmarks -- --filter *MappingBenchmarks* --job short</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RowsConfig))]
public class MappingBenchmarks
{
    const int Records = 20_480;

    // The engine's default batch (MappingOptions.BatchSize): what a worker maps while the batch is in the cache.
    static readonly int EngineBatch = new MappingOptions().BatchSize;

    static readonly string[] Names =
    [
        "ATENA_NO", "SETAI_NO", "JUMIN_SHU", "JUMIN_JOTAI", "SHIMEI", "SHIMEI_KANA", "SHIMEI_ROMA", "TSUSHO", "KYUUJI", "SEIBETSU",
        "SEINENGAPPI", "SEINENGAPPI_FUSHO", "SEINENGAPPI_HYOKI", "ZOKUGARA_CD", "ZOKUGARA_HYOKI", "SETAI_JUNI", "LG_CODE", "MACHIAZA_CD",
        "MACHIAZA", "BANCHI", "KATAGAKI", "ZIP", "JUMIN_YMD", "JUSHOTEI_YMD", "JUSHOTEI_TODOKEDE_YMD", "IDO_YMD", "IDO_TODOKEDE_YMD",
        "IDO_JIYU", "TENNYUMAE_JUSHO", "TENSHUTSU_JUSHO", "SHOJO_JIYU", "SHOJO_TODOKEDE_YMD", "SHOJO_IDO_YMD", "KOJIN_NO", "JUMINHYO_CD",
        "KOKUSEKI_CD", "ZAIRYU_SHIKAKU", "HO30_45", "ZAIRYU_MANRYO_YMD", "SENKYO", "KOKUHO", "KOKI", "KAIGO", "NENKIN", "KOSHIN_NICHIJI", "FILLER",
    ];

    MappingEngine _engine = null!;
    RecordMapper _mapper = null!;
    MapContext _ctx = null!;
    LegacyRecord[] _records = null!;
    LegacyRecord _household = null!;
    readonly List<IStandardRecord> _output = new(EngineBatch);
    readonly List<SpecViolation> _violations = [];

    [GlobalSetup]
    public void Setup()
    {
        var config = MappingConfig.Load();
        _engine = new MappingEngine(config);
        _mapper = _engine.FindMapper("opensys", "JUMIN")!;
        var links = new LinkIndex();
        const string setai = "5000000012";
        links.AddHousehold(setai, "山田\u3000太郎");
        _ctx = new MapContext(config, links);
        _records = new LegacyRecord[Records];
        var zok = new[] { "01", "03", "10", "10", "12", "13", "20" };
        for (var i = 0; i < Records; i++)
        {
            var serial = (100_001 + i).ToString("D9", CultureInfo.InvariantCulture);
            var atena = serial + (CheckDigits.AtenaNumber(serial, AtenaRemainderOnePolicy.UseZero) ?? 0).ToString(CultureInfo.InvariantCulture);
            var myBase = (10_000_000_000L + i * 7L).ToString("D11", CultureInfo.InvariantCulture);
            var values = new Dictionary<string, string>
            {
                ["ATENA_NO"] = atena, ["SETAI_NO"] = setai, ["JUMIN_SHU"] = "N", ["JUMIN_JOTAI"] = "1", ["SHIMEI"] = i % 50 == 0 ? "\uE000橋\u3000花子" : "山田\u3000太郎",
                ["SHIMEI_KANA"] = "ﾔﾏﾀﾞ ﾀﾛｳ", ["SEIBETSU"] = i % 2 == 0 ? "M" : "F", ["SEINENGAPPI"] = "3" + (20 + i % 44).ToString("D2", CultureInfo.InvariantCulture) + "0415",
                ["SEINENGAPPI_FUSHO"] = " ", ["ZOKUGARA_CD"] = zok[i % zok.Length], ["ZOKUGARA_HYOKI"] = "子", ["SETAI_JUNI"] = "02", ["LG_CODE"] = "212024",
                ["MACHIAZA_CD"] = "0004001", ["MACHIAZA"] = "青墓町一丁目", ["BANCHI"] = "12番地3", ["ZIP"] = "5030000", ["JUMIN_YMD"] = "4010108",
                ["JUSHOTEI_YMD"] = "4010108", ["JUSHOTEI_TODOKEDE_YMD"] = "19890110", ["IDO_YMD"] = "5060401", ["IDO_TODOKEDE_YMD"] = "20240405",
                ["IDO_JIYU"] = "301", ["SHOJO_JIYU"] = "   ", ["SHOJO_TODOKEDE_YMD"] = "00000000", ["SHOJO_IDO_YMD"] = "0000000",
                ["KOJIN_NO"] = myBase + CheckDigits.MyNumber(myBase).ToString(CultureInfo.InvariantCulture), ["JUMINHYO_CD"] = "12345678901",
                ["SENKYO"] = "1", ["KOKUHO"] = "1", ["KOKI"] = "0", ["KAIGO"] = "0", ["NENKIN"] = "1", ["ZAIRYU_MANRYO_YMD"] = "00000000", ["KOSHIN_NICHIJI"] = "20240405100000",
            };
            var v = new object?[Names.Length];
            // As FixedLengthAdapter hands text over with its default TrimPadding (trailing padding removed); inner
            // full-width spaces stay. Padded input only adds one substring per field (LegacyText.Trim).
            for (var k = 0; k < Names.Length; k++) v[k] = values.TryGetValue(Names[k], out var s) ? s.TrimEnd(' ') : "";
            _records[i] = new LegacyRecord(new SourceLocation("JUMIN.dat", i + 1, i * 800L), "", new LegacyGroup(Names, v));
        }
        string[] setaiNames = ["SETAI_NO", "SETAINUSHI_ATENA_NO", "SETAINUSHI_SHIMEI", "SETAIIN_SU", "LG_CODE", "MACHIAZA_CD", "MACHIAZA", "SETAI_KOSEI_YMD"];
        _household = new LegacyRecord(new SourceLocation("SETAI.dat", 1, 0), "", new LegacyGroup(setaiNames,
            [setai, _records[0].Get("ATENA_NO"), "山田\u3000太郎", "999", "212024", "0004001", "青墓町一丁目", "19890110"]));
        if (MapAndValidateOutOfCache() != 0) throw new InvalidOperationException("benchmark records must map without problems");
    }

    /// <summary>
    /// Compiled field map + conversions + generated Validate, one core, per record, with the working set the engine
    /// gives a worker: one batch (<see cref="MappingOptions.BatchSize"/> = 256 distinct records) that the adapter has
    /// just decoded, so its records are in the cache; mapped, then validated, as a worker does. The batch is mapped
    /// <c>Records / 256</c> times.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int MapAndValidate()
    {
        var problems = 0;
        for (var pass = 0; pass < Records / EngineBatch; pass++)
            problems += _mapper.MapAndValidate(_ctx, _records.AsSpan(0, EngineBatch), _output, _violations);
        return problems;
    }

    /// <summary>
    /// As <see cref="MapAndValidate"/> over all <see cref="Records"/> distinct records in batches of 256, some 14 MiB
    /// of records that are not in the cache: the cost of reading records from memory, which a run decoding just
    /// before mapping avoids.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public int MapAndValidateOutOfCache()
    {
        var problems = 0;
        for (var start = 0; start < Records; start += EngineBatch)
            problems += _mapper.MapAndValidate(_ctx, _records.AsSpan(start, EngineBatch), _output, _violations);
        return problems;
    }

    /// <summary>
    /// The whole engine over an in-memory source: ordered parallel batches on all cores, keys, links, counts; records
    /// streamed to a no-op sink (not retained), as a dry-run streaming into a target would run.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<long> EngineRun()
    {
        var result = await _engine.RunAsync(
        [
            new MappingSource("opensys", SourceRole.Households, new ArrayAdapter("SETAI", [_household]), "SETAI"),
            new MappingSource("opensys", SourceRole.Residents, new ArrayAdapter("JUMIN", _records), "JUMIN"),
        ], new MappingOptions(RetainRecords: false, Sink: static (_, _, _) => ValueTask.CompletedTask)).ConfigureAwait(false);
        return result.Counts[1].Mapped;
    }

    sealed class ArrayAdapter(string name, LegacyRecord[] records) : ILegacyAdapter
    {
        public string Name { get; } = name;

        public async IAsyncEnumerable<LegacyReadResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var r in records) yield return r;
            await Task.CompletedTask.ConfigureAwait(false);
        }
    }

    sealed class RowsConfig : ManualConfig
    {
        // OperationsPerInvoke = records, so one operation is one record.
        public RowsConfig() => AddColumn(StatisticColumn.Median, ThroughputColumn.Rows("Records mapped and validated", _ => 1));
    }
}
