using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Benchmarks;

/// <summary>
/// PostgreSQL load of mapped Resident records: our target (binary COPY + per-batch transaction, run ledger and
/// checksum) against a raw Npgsql binary COPY of the same rows into the same table, and against EF Core
/// AddRange + SaveChanges (fewer rows). Every benchmark reports per row (OperationsPerInvoke), so the Mean
/// columns compare directly; rows/s and MB/s (canonical UTF-8 row text) are derived from it.
/// Needs PG_CONN; each run works in a schema of its own, dropped at the end.
/// Targets: ours ≥ 0.6× raw COPY throughput, ≥ 25× EF Core.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1, 1)] // each invocation loads into an empty table (truncated in IterationSetup)
[Config(typeof(LoadConfig))]
public class LoadBenchmarks
{
    public const int CopyRows = 20_000;
    public const int EfRows = 2_000;
    const int BatchSize = 5_000;

    Resident[] _rows = [];
    string _conn = "";
    string _schema = "";
    IStandardTarget? _target;
    NpgsqlDataSource? _raw;
    SpecItem[] _items = [];
    NpgsqlDbType[] _types = [];
    string _copySql = "";

    /// <summary>Average canonical UTF-8 bytes per row, for the MB/s column.</summary>
    public static double BytesPerRow { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var admin = Environment.GetEnvironmentVariable("PG_CONN")
            ?? throw new InvalidOperationException("LoadBenchmarks needs PG_CONN (a PostgreSQL keyword connection string)");
        _schema = "bench_load_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Exec(admin, $"DROP SCHEMA IF EXISTS {_schema} CASCADE; CREATE SCHEMA {_schema}");
        _conn = new NpgsqlConnectionStringBuilder(admin) { SearchPath = _schema }.ConnectionString;
        _target = TargetFactory.Create(_conn);
        _target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version).GetAwaiter().GetResult();
        _rows = [.. Enumerable.Range(0, CopyRows).Select(BenchRecords.Resident)];
        _raw = NpgsqlDataSource.Create(_conn);
        _items = [.. ResidentSpec.Entity.Items];
        _types = [.. _items.Select(i => i.Type switch
        {
            ItemType.Int => NpgsqlDbType.Integer,
            ItemType.Amount => NpgsqlDbType.Numeric,
            ItemType.Date => NpgsqlDbType.Date,
            ItemType.Flag => NpgsqlDbType.Boolean,
            _ => NpgsqlDbType.Varchar,
        })];
        _copySql = $"COPY juki_resident ({string.Join(", ", _items.Select(TargetNames.Column))}) FROM STDIN (FORMAT BINARY)";
        long bytes = 0;
        // Bytes of the rows as text (canonical values, one separator each), the size MB/s is reckoned on.
        foreach (var r in _rows)
            for (var i = 0; i < _items.Length; i++)
                bytes += System.Text.Encoding.UTF8.GetByteCount(CanonicalValue.ToText(r.GetValue(i)) ?? "") + 1;
        BytesPerRow = (double)bytes / _rows.Length;
    }

    [IterationSetup]
    public void Truncate() => Exec(_conn, "TRUNCATE juki_resident, ogaki_run_ledger");

    [GlobalCleanup]
    public void Cleanup()
    {
        _target?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw?.Dispose();
        Exec(Environment.GetEnvironmentVariable("PG_CONN")!, $"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    [Benchmark(Description = "Ogaki PostgresTarget (COPY + ledger + checksum)", OperationsPerInvoke = CopyRows)]
    public async Task<long> OgakiTarget()
    {
        var run = Guid.NewGuid().ToString("N");
        long n = 0;
        for (var b = 0; b * BatchSize < CopyRows; b++)
        {
            var slice = new ArraySegment<Resident>(_rows, b * BatchSize, Math.Min(BatchSize, CopyRows - b * BatchSize));
            var result = await _target!.LoadBatchAsync(new LoadBatch(run, StandardSpec.Version, ResidentSpec.Entity, b, b * BatchSize + 1L, b * BatchSize + slice.Count, slice));
            n += result.RowsWritten;
        }
        return n;
    }

    [Benchmark(Baseline = true, Description = "raw Npgsql binary COPY", OperationsPerInvoke = CopyRows)]
    public async Task<ulong> RawCopy()
    {
        await using var conn = await _raw!.OpenConnectionAsync();
        await using var importer = await conn.BeginBinaryImportAsync(_copySql);
        foreach (var r in _rows)
        {
            await importer.StartRowAsync();
            for (var i = 0; i < _items.Length; i++)
            {
                switch (r.GetValue(i))
                {
                    case null: importer.WriteNull(); break;
                    case string s: importer.Write(s, _types[i]); break;
                    case YearMonth ym: importer.Write(ym.ToString(), _types[i]); break;
                    case DateOnly d: importer.Write(d, _types[i]); break;
                    case bool f: importer.Write(f, _types[i]); break;
                    case int x: importer.Write(x, _types[i]); break;
                    case decimal m: importer.Write(m, _types[i]); break;
                }
            }
        }
        return await importer.CompleteAsync();
    }

    [Benchmark(Description = "EF Core AddRange + SaveChanges", OperationsPerInvoke = EfRows)]
    public async Task<int> EfCore()
    {
        await using var db = new ResidentContext(_conn);
        db.AddRange(new ArraySegment<Resident>(_rows, 0, EfRows));
        return await db.SaveChangesAsync();
    }

    static void Exec(string conn, string sql)
    {
        using var c = new NpgsqlConnection(conn);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The generated Resident record mapped by EF Core onto the same table (same column names and storage).</summary>
    sealed class ResidentContext(string conn) : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseNpgsql(conn);

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Resident>(b =>
        {
            b.ToTable("juki_resident");
            b.HasKey(r => r.AtenaNo);
            var ym = new ValueConverter<YearMonth, string>(y => y.ToString(), s => YearMonth.Parse(s, CultureInfo.InvariantCulture));
            foreach (var item in ResidentSpec.Entity.Items)
            {
                var p = b.Property(item.Identifier).HasColumnName(TargetNames.Column(item));
                if (item.Type == ItemType.YearMonth) p.HasConversion(ym);
            }
        });
    }

    sealed class LoadConfig : ManualConfig
    {
        // OperationsPerInvoke = rows, so one operation is one row.
        public LoadConfig() => AddColumn(StatisticColumn.Median,
            ThroughputColumn.Rows("Rows loaded", _ => 1),
            ThroughputColumn.Megabytes("Canonical UTF-8 row text loaded", _ => BytesPerRow));
    }
}

/// <summary>Deterministic records for the benchmarks: residents (names with IVS and surrogate pairs, 不詳 birth dates) and tax assessments.</summary>
internal static class BenchRecords
{
    static readonly string[] Surnames = ["山田", "葛\U000E0100城", "𠮷野", "髙橋", "渡邉", "斉藤", "齋藤", "大垣"];
    static readonly string[] Given = ["太郎", "花子", "一郎", "さくら", "翔", "美咲", "健太", "結衣"];

    public static Resident Resident(int n) => new()
    {
        AtenaNo = (100000000000000L + n).ToString(CultureInfo.InvariantCulture),
        SetaiNo = (200000000000000L + n / 3).ToString(CultureInfo.InvariantCulture),
        JuminShubetsu = "1",
        JuminJotai = "1",
        IdoYmd = new DateOnly(2019, 5, 1).AddDays(n % 2000),
        IdoTodokedeYmd = new DateOnly(2019, 5, 1).AddDays(n % 2000),
        IdoJiyu = "11",
        Shimei = Surnames[n % 8] + "　" + Given[n / 8 % 8],
        ShimeiKana = "ヤマダ　タロウ",
        ShimeiKanaKakuninFlag = n % 2 == 0,
        Seibetsu = n % 2 == 0 ? "1" : "2",
        SeinengappiYmd = n % 97 == 0 ? null : new DateOnly(1940 + n % 80, 1 + n % 12, 1 + n % 28),
        SeinengappiYmdFushoFlag = n % 97 == 0,
        SeinengappiYmdFushoHyoki = n % 97 == 0 ? "昭和２０年頃" : null,
        ZokugaraCd1 = "02",
        SetainushiShimei = Surnames[n / 3 % 8] + "　" + Given[0],
        JushoLgCode = "212024",
        JushoPref = "岐阜県",
        JushoCity = "大垣市",
        JushoMachiaza = "丸の内",
        JushoBanchi = SpecText.ToFullWidth((n % 100).ToString(CultureInfo.InvariantCulture)) + "番地",
        JushoZip = "5038601",
        JuminYmd = new DateOnly(2000, 4, 1).AddDays(n % 5000),
        KokuhoFlag = n % 3 == 0,
        JidoTeateKaishiYm = n % 4 == 0 ? new YearMonth(2024, 1 + n % 12) : null,
    };

    /// <summary>A deterministic assessment: whole-yen amounts of several sizes, a few NULLs and a correction date.</summary>
    public static TaxAssessment TaxAssessment(int n) => new()
    {
        AtenaNo = (100000000000000L + n).ToString(CultureInfo.InvariantCulture),
        KazeiNendo = 2022 + n % 3,
        KazeiKbn = "1",
        MishinkokuKbn = "0",
        KazeisakiLgCode = "212024",
        SoShotokuKingaku = 1_000_000m + n * 137m,
        ShotokuKojoGokei = 430_000m + n % 50 * 10_000m,
        KazeiSoShotoku = 570_000m + n * 137m,
        ShiShotokuwari = 34_200m + n % 1000,
        ShiKintowari = 3_500m,
        KenShotokuwari = 22_800m + n % 700,
        KenKintowari = n % 11 == 0 ? null : 1_500m,
        ShinrinKankyoZei = 1_000m,
        ZeigakuKojoGokei = n % 5 == 0 ? 0m : 2_500m,
        NenZeigaku = 63_000m + n % 1700,
        KoseiKaisu = n % 9,
        KoseiYmd = n % 9 == 0 ? null : new DateOnly(2024, 6, 1).AddDays(n % 200),
    };
}
