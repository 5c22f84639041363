using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Benchmarks;

/// <summary>
/// Decode + split + typed parse of fixed-length legacy files through <see cref="FixedLengthAdapter"/>, beside a glibc
/// <c>iconv</c> process converting the same file to UTF-8 (the baseline). Files are generated in GlobalSetup with our
/// own encoders (<see cref="RecordEncoder"/>) under the temp folder and reused between runs; size from
/// <c>OGAKI_BENCH_MB</c> (default 64). The CP932 file is an open-system resident file (CRLF, 外字); the IBM930 file a
/// mainframe tax master (header/data/trailer, kana, kanji, COMP-3, OCCURS). iconv runs with <c>-c</c> on IBM930
/// because packed bytes are not text.
/// <code>dotnet run -c Release -- --filter '*DecodeBenchmarks*' --job short</code>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(DecodeBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DecodeBenchmarks
{
    public const string Cp932 = "cp932";
    public const string Ibm930 = "ibm930";

    internal const string ResidentLayoutText = """
        #@TERMINATOR CRLF
        name,offset,length,type,scale,notes
        ATENA-NO,0,10,9,,宛名番号
        SETAI-NO,10,10,9,,世帯番号
        SHIMEI-KANA,20,40,X,,ｶﾅ氏名
        SHIMEI,60,40,N,,氏名
        SEIBETSU,100,1,9,,性別
        SEINENGAPPI,101,7,9,,EYYMMDD
        ZOKUGARA,108,2,X,,続柄
        JUSHO,110,80,N,,住所
        JUMIN-JOTAI,190,1,9,,住民状態
        KAZEI-GAKU,191,10,S9,0,
        FILLER,201,9,filler,,
        """;

    internal const string TaxCopybookText = """
              *@SELECTOR ZM-REC-KBN
              *@RECORD ZM-HEADER  VALUE '0' HEADER
              *@RECORD ZM-DATA    VALUE '1'
              *@RECORD ZM-TRAILER VALUE '9' TRAILER COUNT ZM-T-KENSU
               01  ZM-RECORD.
                   05  ZM-REC-KBN              PIC X(01).
                   05  ZM-HEADER.
                       10  ZM-H-SAKUSEI-BI     PIC 9(08).
                       10  FILLER              PIC X(191).
                   05  ZM-DATA REDEFINES ZM-HEADER.
                       10  ZM-D-ATENA-NO       PIC 9(10).
                       10  ZM-D-NENDO          PIC 9(04).
                       10  ZM-D-SHIMEI-KANA    PIC X(30).
                       10  ZM-D-SHIMEI         PIC N(12).
                       10  ZM-D-SHOTOKU        PIC S9(11) COMP-3.
                       10  ZM-D-ZEIGAKU        PIC S9(09) COMP-3.
                       10  ZM-D-GETSUWARI      PIC S9(07) COMP-3
                                               OCCURS 12 TIMES.
                       10  ZM-D-KIBETSU OCCURS 4 TIMES.
                           15  ZM-D-KI-NO      PIC 9(02).
                           15  ZM-D-KI-GAKU    PIC S9(07) COMP-3.
                       10  ZM-D-CHOSEI         PIC S9(07).
                       10  FILLER              PIC X(10).
                   05  ZM-TRAILER REDEFINES ZM-HEADER.
                       10  ZM-T-KENSU          PIC 9(09).
                       10  FILLER              PIC X(190).
        """;

    public static int MegaBytes => int.TryParse(Environment.GetEnvironmentVariable("OGAKI_BENCH_MB"), out var mb) && mb > 0 ? mb : 64;

    public static FileLayout ResidentLayout => LayoutFileParser.Parse(ResidentLayoutText, "JUMIN.layout.csv", "JUMIN");

    public static FileLayout TaxLayout => CopybookParser.Parse(TaxCopybookText, "ZEIMAST.cpy", "ZEIMAST");

    /// <summary>Record length on disk (with terminator) and record count: deterministic, so columns can compute rates.</summary>
    public static (int RecordBytes, long Records) Shape(string category) => category switch
    {
        Cp932 => (212, MegaBytes * 1024L * 1024L / 212),
        _ => (200, MegaBytes * 1024L * 1024L / 200),
    };

    public static long FileBytes(string category)
    {
        var (bytes, records) = Shape(category);
        return bytes * records;
    }

    string _cp932Path = "";
    string _ibm930Path = "";

    [GlobalSetup]
    public void Setup()
    {
        LegacyEncodings.Register();
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-decode-bench");
        Directory.CreateDirectory(dir);
        _cp932Path = Path.Combine(dir, $"JUMIN-{MegaBytes}mb.dat");
        _ibm930Path = Path.Combine(dir, $"ZEIMAST-{MegaBytes}mb.dat");
        if (!File.Exists(_cp932Path) || new FileInfo(_cp932Path).Length != FileBytes(Cp932)) WriteCp932(_cp932Path);
        if (!File.Exists(_ibm930Path) || new FileInfo(_ibm930Path).Length != FileBytes(Ibm930)) WriteIbm930(_ibm930Path);
    }

    static readonly string[] Sei = ["山田", "鈴木", "髙橋", "田中", "渡邊", "伊藤", "斎藤", "小林"];
    static readonly string[] Mei = ["太郎", "花子", "一郎", "美咲", "\uE000子", "健太", "陽菜", "翔"];
    static readonly string[] Kana = ["ﾔﾏﾀﾞ ﾀﾛｳ", "ｽｽﾞｷ ﾊﾅｺ", "ﾀｶﾊｼ ｲﾁﾛｳ", "ﾀﾅｶ ﾐｻｷ", "ﾜﾀﾅﾍﾞ ｹﾝﾀ", "ｲﾄｳ ﾋﾅ", "ｻｲﾄｳ ｼｮｳ", "ｺﾊﾞﾔｼ ﾀﾞｲｽｹ"];

    static void WriteCp932(string path)
    {
        var enc = new RecordEncoder(ResidentLayout, Cp932);
        var (recordBytes, records) = Shape(Cp932);
        var distinct = new List<byte[]>();
        for (var i = 0; i < 997; i++)
        {
            distinct.Add([.. enc.Encode(null, new Dictionary<string, object?>
            {
                ["ATENA-NO"] = 1000000000m + i,
                ["SETAI-NO"] = 2000000000m + (i / 3),
                ["SHIMEI-KANA"] = Kana[i % Kana.Length],
                ["SHIMEI"] = Sei[i % Sei.Length] + "　" + Mei[(i / 8) % Mei.Length],
                ["SEIBETSU"] = (decimal)(1 + (i % 2)),
                ["SEINENGAPPI"] = 3500101m + (i * 37 % 300000),
                ["ZOKUGARA"] = "02",
                ["JUSHO"] = "岐阜県大垣市丸の内２丁目２９番地",
                ["JUMIN-JOTAI"] = 1m,
                ["KAZEI-GAKU"] = (i % 5 == 0 ? -1 : 1) * (123456m + i),
            }), 0x0D, 0x0A]);
        }
        Fill(path, distinct, recordBytes, records, header: null, trailer: null);
    }

    static void WriteIbm930(string path)
    {
        var layout = TaxLayout;
        var enc = new RecordEncoder(layout, Ibm930);
        var (recordBytes, records) = Shape(Ibm930);
        var distinct = new List<byte[]>();
        for (var i = 0; i < 997; i++)
        {
            var values = new Dictionary<string, object?>
            {
                ["ZM-D-ATENA-NO"] = 1000000000m + i,
                ["ZM-D-NENDO"] = 2025m,
                ["ZM-D-SHIMEI-KANA"] = Kana[i % Kana.Length],
                ["ZM-D-SHIMEI"] = Sei[i % Sei.Length] + "　" + Mei[(i / 8) % Mei.Length],
                ["ZM-D-SHOTOKU"] = 4_500_000m + (i * 1000),
                ["ZM-D-ZEIGAKU"] = 123_400m + i,
                ["ZM-D-CHOSEI"] = -(i % 1000m),
            };
            for (var m = 1; m <= 12; m++) values[$"ZM-D-GETSUWARI({m})"] = 10_283m + m;
            for (var k = 1; k <= 4; k++)
            {
                values[$"ZM-D-KIBETSU({k}).ZM-D-KI-NO"] = (decimal)k;
                values[$"ZM-D-KIBETSU({k}).ZM-D-KI-GAKU"] = 30_850m;
            }
            distinct.Add(enc.Encode("ZM-DATA", values));
        }
        var header = enc.Encode("ZM-HEADER", new Dictionary<string, object?> { ["ZM-H-SAKUSEI-BI"] = 20250401m });
        var trailer = enc.Encode("ZM-TRAILER", new Dictionary<string, object?> { ["ZM-T-KENSU"] = (decimal)(records - 2) });
        Fill(path, distinct, recordBytes, records, header, trailer);
    }

    static void Fill(string path, List<byte[]> distinct, int recordBytes, long records, byte[]? header, byte[]? trailer)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (long n = 0; n < records; n++)
        {
            var r = n == 0 && header is not null ? header : n == records - 1 && trailer is not null ? trailer : distinct[(int)(n % distinct.Count)];
            if (r.Length != recordBytes) throw new InvalidOperationException($"record of {r.Length} bytes, expected {recordBytes}");
            fs.Write(r);
        }
    }

    static async Task<long> ReadAll(ILegacyAdapter adapter)
    {
        long n = 0;
        await foreach (var item in adapter.ReadAsync())
        {
            if (!item.IsRecord) throw new InvalidOperationException(item.Reject!.ToString());
            n++;
        }
        return n;
    }

    [Benchmark(Description = "FixedLengthAdapter cp932")]
    [BenchmarkCategory(Cp932)]
    public Task<long> Cp932Adapter() => ReadAll(new FixedLengthAdapter(_cp932Path, ResidentLayout, Cp932));

    [Benchmark(Baseline = true, Description = "iconv -f CP932 -t UTF-8")]
    [BenchmarkCategory(Cp932)]
    public long Cp932Iconv() => Iconv("CP932", _cp932Path, skipInvalid: false);

    [Benchmark(Description = "FixedLengthAdapter ibm930")]
    [BenchmarkCategory(Ibm930)]
    public Task<long> Ibm930Adapter() => ReadAll(new FixedLengthAdapter(_ibm930Path, TaxLayout, Ibm930));

    [Benchmark(Baseline = true, Description = "iconv -c -f IBM930 -t UTF-8")]
    [BenchmarkCategory(Ibm930)]
    public long Ibm930Iconv() => Iconv("IBM930", _ibm930Path, skipInvalid: true);

    /// <summary>Runs iconv on the file and drains its output; returns the UTF-8 byte count.</summary>
    static long Iconv(string from, string path, bool skipInvalid)
    {
        var args = new List<string>();
        if (skipInvalid) args.Add("-c");
        args.AddRange(["-f", from, "-t", "UTF-8", path]);
        var psi = new ProcessStartInfo("iconv", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("iconv did not start");
        var err = p.StandardError.ReadToEndAsync();
        var buffer = new byte[1 << 20];
        long total = 0;
        int n;
        var s = p.StandardOutput.BaseStream;
        while ((n = s.Read(buffer, 0, buffer.Length)) > 0) total += n;
        p.WaitForExit();
        if (p.ExitCode != 0 && !skipInvalid) throw new InvalidOperationException($"iconv failed: {err.Result}");
        return total;
    }
}
