using System.Text;
using Ogaki.Migration.Adapters.Conformance;
using Ogaki.Migration.Adapters.Conformance.Xunit;
using Ogaki.Migration.Adapters.Csv;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Adapters.Sqlite;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Sample files for the conformance suites of the built-in adapters (created once per test run).</summary>
internal static class ConformanceSamples
{
    static readonly Lazy<string> Root = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("ogaki-conformance-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, true);
            }
            catch (IOException)
            {
            }
        };
        return dir;
    });

    static string Write(string name, IEnumerable<byte[]> records, string terminator = "")
    {
        var path = Path.Combine(Root.Value, name);
        using var fs = File.Create(path);
        foreach (var r in records)
        {
            fs.Write(r);
            fs.Write(Encoding.ASCII.GetBytes(terminator));
        }
        return path;
    }

    static readonly object Gate = new();
    // Each suite's files are written once per run: tests run in parallel, and rewriting a sample while another test
    // reads it made that read fail ("being used by another process").
    static readonly Dictionary<string, ConformanceSuite> Suites = [];

    static ConformanceSuite Once(string name, Func<ConformanceSuite> build)
    {
        lock (Gate)
        {
            if (!Suites.TryGetValue(name, out var suite)) Suites[name] = suite = build();
            return suite;
        }
    }

    public static ConformanceSuite FixedLength(string encoding) => Once("fixed-" + encoding, () => BuildFixedLength(encoding));

    public static ConformanceSuite Csv() => Once("csv", BuildCsv);

    public static ConformanceSuite Sqlite() => Once("sqlite", BuildSqlite);

    static ConformanceSuite BuildFixedLength(string encoding)
    {
        var layout = FixedLengthTestFiles.TaxLayout;
        var t = encoding == "cp932" ? "\r\n" : "";
        var rl = 80 + t.Length;
        List<byte[]> Good() => FixedLengthTestFiles.TaxRecords(encoding, 6);
        string Bad(string name, Action<List<byte[]>> corrupt, decimal? trailerCount = null)
        {
            var recs = FixedLengthTestFiles.TaxRecords(encoding, 6, trailerCount);
            corrupt(recs);
            return Write($"{encoding}-{name}.dat", recs, t);
        }
        var ebcdic = encoding is "ibm930" or "ibm939";
        var bad = new List<BadInputCase>
        {
            new(Bad("packed", x => x[3][39] = 0x12), RejectReasons.InvalidPacked, 4, 7, "ZM-DATA.ZM-D-ZEIGAKU"),
            new(Bad("zoned", x => x[3][5] = 0x40), RejectReasons.InvalidZoned, 4, 7, "ZM-DATA.ZM-D-ATENA-NO"),
            new(Bad("nul", x => x[3][12] = 0x00), RejectReasons.NulBytes, 4, 7, "ZM-DATA.ZM-D-SHIMEI-KANA"),
            new(Bad("type", x => x[3][0] = ebcdic ? (byte)0xE7 : (byte)'X'), RejectReasons.UnknownRecordType, 4, 7),
            new(Bad("count", _ => { }, trailerCount: 42), RejectReasons.ControlCountMismatch, 8, 7),
            new(Bad("bom", x => x[0] = [0xEF, 0xBB, 0xBF, .. x[0]]), RejectReasons.UnexpectedBom, 1, 7),
            new(Bad("undefined", x => x[3][13] = ebcdic ? (byte)0xFE : (byte)0x80), RejectReasons.UndefinedBytes, 4, 7, "ZM-DATA.ZM-D-SHIMEI-KANA"),
            new(WriteBytes($"{encoding}-empty.dat", []), RejectReasons.EmptyFile, 0, 0),
        };
        if (ebcdic)
        {
            bad.Add(new(Bad("so", x => Convert.FromHexString("0E4F5848F24040404040").CopyTo(x[3], 11)), RejectReasons.UnbalancedShift, 4, 7, "ZM-DATA.ZM-D-SHIMEI-KANA"));
            bad.Add(new(Bad("odd", x => Convert.FromHexString("0E4F58480F4040404040").CopyTo(x[3], 11)), RejectReasons.OddDbcsLength, 4, 7, "ZM-DATA.ZM-D-SHIMEI-KANA"));
            bad.Add(new(Bad("truncated", x => x[^1] = x[^1][..60]), RejectReasons.TruncatedRecord, 8, 7));
        }
        else
        {
            bad.Add(new(Bad("length", x => x[3] = [.. x[3], 0x20, 0x20]), RejectReasons.WrongRecordLength, 4, 7));
            var mixed = Good();
            var bytes = new List<byte>();
            for (var i = 0; i < mixed.Count; i++)
            {
                bytes.AddRange(mixed[i]);
                bytes.AddRange(i == 3 ? [0x0A] : [0x0D, 0x0A]);
            }
            bad.Add(new(WriteBytes($"{encoding}-mixed.dat", bytes.ToArray()), RejectReasons.MixedLineEndings, 4, 7));
        }
        var expected = new List<ExpectedRecord>
        {
            new(1, new Dictionary<string, object?> { ["ZM-HEADER.ZM-H-SAKUSEI-BI"] = 20250401m, ["ZM-HEADER.ZM-H-SHICHOSON"] = "212024" }, "ZM-HEADER", 0),
        };
        for (var i = 0; i < 6; i++)
        {
            var data = FixedLengthTestFiles.TaxData(i);
            var fields = data.ToDictionary(kv => "ZM-DATA." + kv.Key, kv => kv.Value);
            expected.Add(new(i + 2, fields, "ZM-DATA", rl * (i + 1L)));
        }
        return new ConformanceSuite
        {
            Name = $"built-in fixed-length {encoding}",
            CreateAdapter = path => new FixedLengthAdapter(path, layout, encoding),
            SamplePath = Write($"{encoding}-good.dat", Good(), t),
            ExpectedRecordCount = 8,
            ExpectedRecords = expected,
            BadInputs = bad,
        };
    }

    static string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Root.Value, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static ConformanceSuite BuildCsv()
    {
        LegacyEncodings.Register();
        const string header = "宛名番号,氏名,カナ,金額\r\n";
        string Row(int i) => $"{i:0000000000},{(i == 2 ? "鈴木\uE000子" : "山田太郎")},ﾔﾏﾀﾞ,{i * 100}\r\n";
        var good = header + string.Concat(Enumerable.Range(1, 5).Select(Row));
        var path = WriteBytes("IDO.csv", LegacyEncodings.Cp932.GetBytes(good));
        var malformed = WriteBytes("IDO-malformed.csv", LegacyEncodings.Cp932.GetBytes(header + Row(1) + "2,short\r\n" + Row(3)));
        var undefinedBytes = LegacyEncodings.Cp932.GetBytes(header + Row(1)).Concat(new byte[] { (byte)'9', (byte)',', 0x82, 0x20, (byte)',', (byte)'x', (byte)',', (byte)'1', 0x0D, 0x0A }).Concat(LegacyEncodings.Cp932.GetBytes(Row(3))).ToArray();
        return new ConformanceSuite
        {
            Name = "built-in CSV cp932",
            HasTypedNumbers = false,
            CreateAdapter = p => new CsvAdapter(p, "cp932"),
            SamplePath = path,
            ExpectedRecordCount = 5,
            ExpectedRecords =
            [
                new(2, new Dictionary<string, object?> { ["宛名番号"] = "0000000002", ["氏名"] = "鈴木\uE000子", ["カナ"] = "ﾔﾏﾀﾞ", ["金額"] = "200" }, null,
                    LegacyEncodings.Cp932.GetByteCount(header + Row(1))),
            ],
            BadInputs =
            [
                new(malformed, RejectReasons.MalformedRow, 2, 2),
                new(WriteBytes("IDO-undefined.csv", undefinedBytes), RejectReasons.UndefinedBytes, 2, 2, "氏名"),
                new(WriteBytes("IDO-empty.csv", []), RejectReasons.EmptyFile, 0, 0),
            ],
        };
    }

    static ConformanceSuite BuildSqlite()
    {
        var dir = Path.Combine(Root.Value, "sqlite");
        Directory.CreateDirectory(dir);
        var db = SqliteAdapterTests.CreateDatabase(dir);
        using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "CREATE TABLE SHIHARAI (ID INTEGER PRIMARY KEY, ATENA_NO TEXT, KINGAKU NUMERIC, KANA TEXT, BIKO TEXT); " +
                              "INSERT INTO SHIHARAI VALUES (1, '0000000001', 15000, 'ｼﾞﾄﾞｳ', '児童手当'), (2, '0000000002', 10000.50, 'ｼﾞﾄﾞｳ', NULL);";
            cmd.ExecuteNonQuery();
        }
        return new ConformanceSuite
        {
            Name = "built-in SQLite",
            CreateAdapter = p => new SqliteAdapter(p, p.EndsWith("jidoteate.db", StringComparison.Ordinal) ? "SHIHARAI" : "JUKYUSHA"),
            SamplePath = db,
            ExpectedRecordCount = 2,
            HasByteOffsets = false,
            ExpectedRecords =
            [
                new(1, new Dictionary<string, object?> { ["ATENA_NO"] = "0000000001", ["KINGAKU"] = 15000m, ["KANA"] = "ｼﾞﾄﾞｳ", ["BIKO"] = "児童手当" }, "SHIHARAI", -1),
                new(2, new Dictionary<string, object?> { ["KINGAKU"] = 10000.5m, ["BIKO"] = null }, "SHIHARAI", -1),
            ],
            // JUKYUSHA (through a copy of the file) has a NUL in row 3; its rows 1, 2 are good, among them 髙橋 + 外字.
            BadInputs = [new(CopyAs(db, "jukyusha.db"), RejectReasons.NulBytes, 3, 2, "SHIMEI")],
            NotApplicable = new HashSet<string>(StringComparer.Ordinal) { RejectReasons.UnbalancedShift, RejectReasons.OddDbcsLength, RejectReasons.InvalidPacked, RejectReasons.InvalidZoned, RejectReasons.TruncatedRecord, RejectReasons.WrongRecordLength, RejectReasons.MixedLineEndings },
        };
    }

    static string CopyAs(string path, string name)
    {
        var target = Path.Combine(Path.GetDirectoryName(path)!, name);
        File.Copy(path, target, overwrite: true);
        return target;
    }
}

public sealed class ConformanceFixedLengthIbm930Tests : LegacyAdapterConformanceTests
{
    protected override ConformanceSuite CreateSuite() => ConformanceSamples.FixedLength("ibm930");
}

public sealed class ConformanceFixedLengthCp932Tests : LegacyAdapterConformanceTests
{
    protected override ConformanceSuite CreateSuite() => ConformanceSamples.FixedLength("cp932");
}

public sealed class ConformanceCsvTests : LegacyAdapterConformanceTests
{
    protected override ConformanceSuite CreateSuite() => ConformanceSamples.Csv();
}

public sealed class ConformanceSqliteTests : LegacyAdapterConformanceTests
{
    protected override ConformanceSuite CreateSuite() => ConformanceSamples.Sqlite();
}

/// <summary>The kit must fail, with a clear message, for adapters that break the contract.</summary>
public class ConformanceBrokenAdapterTests
{
    /// <summary>Turns decimals into doubles, drops 外字, throws on bad input and ignores cancellation.</summary>
    sealed class BrokenAdapter(ILegacyAdapter inner) : ILegacyAdapter
    {
        public string Name => "broken:" + inner.Name;

        public async IAsyncEnumerable<LegacyReadResult> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var item in inner.ReadAsync(CancellationToken.None))
            {
                if (item.Reject is { } r) throw new InvalidDataException("bad record: " + r.Reason);
                var rec = item.Record!;
                yield return new LegacyRecord(rec.Location, rec.RecordType, Mangle(rec.Fields));
            }
        }

        static LegacyGroup Mangle(LegacyGroup g) => new(
            Enumerable.Range(0, g.Count).Select(g.NameAt).ToArray(),
            Enumerable.Range(0, g.Count).Select(i => Mangle(g.ValueAt(i))).ToArray());

        static object? Mangle(object? v) => v switch
        {
            decimal d => (double)d,
            string s => s.Replace("\uE001", "", StringComparison.Ordinal),
            LegacyGroup g => Mangle(g),
            IReadOnlyList<object?> l => l.Select(Mangle).ToArray(),
            _ => v,
        };
    }

    [Fact]
    public async Task Kit_fails_a_broken_adapter_with_clear_messages()
    {
        var good = ConformanceSamples.FixedLength("ibm930");
        var suite = new ConformanceSuite
        {
            Name = "broken",
            CreateAdapter = p => new BrokenAdapter(good.CreateAdapter(p)),
            SamplePath = good.SamplePath,
            ExpectedRecordCount = good.ExpectedRecordCount,
            ExpectedRecords = good.ExpectedRecords,
            BadInputs = good.BadInputs,
        };
        var report = await ConformanceRunner.RunAsync(suite, TestContext.Current.CancellationToken);
        Assert.False(report.Passed);
        Assert.Equal(CheckStatus.Failed, report["decimal-exactness"]!.Status);
        Assert.Contains("expected a decimal, got Double", report["decimal-exactness"]!.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Failed, report["gaiji"]!.Status);
        Assert.Contains("斎藤\uE001", report["gaiji"]!.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Failed, report["cancellation"]!.Status);
        Assert.Equal(CheckStatus.Failed, report["bad-input:invalid-packed-decimal"]!.Status);
        Assert.Contains("threw InvalidDataException instead of rejecting", report["bad-input:invalid-packed-decimal"]!.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Passed, report["record-count"]!.Status);
        var text = report.ToText();
        Assert.Contains("FAILED", text, StringComparison.Ordinal);
        Assert.Contains("[FAIL] required decimal-exactness", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Built_in_fixed_length_report_is_readable()
    {
        var report = await ConformanceRunner.RunAsync(ConformanceSamples.FixedLength("ibm930"), TestContext.Current.CancellationToken);
        Assert.True(report.Passed, report.ToText());
        Assert.Equal(CheckStatus.Passed, report["gaiji"]!.Status);
        Assert.Equal(CheckStatus.Passed, report["bad-input:unbalanced-shift"]!.Status);
        Assert.Contains("PASSED", report.ToText(), StringComparison.Ordinal);
    }
}

public class ConformanceManifestTests
{
    [Fact]
    public async Task Manifest_builds_a_suite_the_runner_passes()
    {
        using var files = new FixedLengthTestFiles();
        var suite = ConformanceSamples.FixedLength("ibm930");
        await File.WriteAllTextAsync(Path.Combine(files.Dir, "ZEIMAST.cpy"), CopybookSamples.TaxMaster, TestContext.Current.CancellationToken);
        File.Copy(suite.SamplePath, Path.Combine(files.Dir, "ZEIMAST.dat"));
        File.Copy(suite.BadInputs[0].DataPath, Path.Combine(files.Dir, "bad-packed.dat"));
        var manifest = Path.Combine(files.Dir, "conformance.json");
        await File.WriteAllTextAsync(manifest, """
            {
              // a vendor's manifest
              "name": "ZEIMAST ibm930",
              "layout": "ZEIMAST.cpy", "encoding": "IBM930",
              "sample": "ZEIMAST.dat", "expectedRecordCount": 8,
              "expectedRecords": [
                { "record": 2, "type": "ZM-DATA", "offset": 80,
                  "fields": { "ZM-DATA.ZM-D-ZEIGAKU": 123456, "ZM-DATA.ZM-D-SHIMEI": "山田太郎", "ZM-DATA.ZM-D-SHIMEI-KANA": "ﾔﾏﾀﾞ ﾀﾛｳ",
                              "ZM-DATA.ZM-D-GETSUWARI(1)": 10288.00, "ZM-DATA.ZM-D-GETSUWARI(2)": -0.01 } },
                { "record": 5, "fields": { "ZM-DATA.ZM-D-SHIMEI": "斎藤\uE001" } }
              ],
              "badInputs": [ { "file": "bad-packed.dat", "reason": "invalid-packed-decimal", "record": 4, "expectedRecords": 7, "field": "ZM-DATA.ZM-D-ZEIGAKU" } ],
            }
            """, TestContext.Current.CancellationToken);
        var report = await ConformanceRunner.RunAsync(ConformanceManifest.Load(manifest), TestContext.Current.CancellationToken);
        Assert.True(report.Passed, report.ToText());
        Assert.Equal(CheckStatus.Passed, report["decimal-scale"]!.Status);
        Assert.Equal(CheckStatus.Passed, report["gaiji"]!.Status);
        Assert.Equal(CheckStatus.NotTested, report["bad-input:odd-dbcs-length"]!.Status);
    }
}
