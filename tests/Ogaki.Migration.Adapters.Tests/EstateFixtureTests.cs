using nietras.SeparatedValues;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.LegacyEstate.Writers;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Estates generated once per test run (scale 0.01) and shared by the estate tests; plus small file readers.</summary>
internal static class EstateFixture
{
    public const double Scale = 0.01;

    static readonly Lazy<Task<EstateSummary>> s_default = new(() => Make("default", 42, new DefectRates()));
    static readonly Lazy<Task<EstateSummary>> s_again = new(() => Make("again", 42, new DefectRates()));
    static readonly Lazy<Task<EstateSummary>> s_otherSeed = new(() => Make("seed43", 43, new DefectRates()));
    static readonly Lazy<Task<EstateSummary>> s_clean = new(() => Make("clean", 42, DefectRates.None));
    static readonly Lazy<Task<EstateSummary>> s_dirty = new(() => Make("dirty", 7, new DefectRates
    {
        InvalidCheckDigit = 0.02, UnmappedCode = 0.02, ImpossibleDate = 0.02, UnknownDate = 0.02,
        OrphanMember = 0.02, DuplicateKey = 0.02, OverLength = 0.02, UnmappableGaiji = 0.02,
    }));

    public static Task<EstateSummary> Default => s_default.Value;
    public static Task<EstateSummary> Again => s_again.Value;
    public static Task<EstateSummary> OtherSeed => s_otherSeed.Value;
    public static Task<EstateSummary> Clean => s_clean.Value;
    public static Task<EstateSummary> Dirty => s_dirty.Value;

    static Task<EstateSummary> Make(string name, int seed, DefectRates rates)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ogaki-estate-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return LegacyEstateGenerator.WriteAsync(new EstateOptions { Scale = Scale, Seed = seed, OutputDirectory = dir, DefectRates = rates });
    }

    public static readonly Encoding Cp932 = FixedRecordWriter.CreateCp932();

    /// <summary>Fixed-length CP932 records (CRLF) as field dictionaries, decoded strictly.</summary>
    public static List<Dictionary<string, string>> ReadFixed(string path, string layoutFile)
    {
        var layout = FixedLayout.Load(layoutFile);
        var bytes = File.ReadAllBytes(path);
        var len = layout.RecordLength + 2;
        Assert.Equal(0, bytes.Length % len);
        var rows = new List<Dictionary<string, string>>(bytes.Length / len);
        for (var off = 0; off < bytes.Length; off += len)
        {
            Assert.Equal((byte)'\r', bytes[off + len - 2]);
            Assert.Equal((byte)'\n', bytes[off + len - 1]);
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var f in layout.Fields)
            {
                if (f.Name == "FILLER") continue;
                row[f.Name] = Cp932.GetString(bytes, off + f.Offset, f.Length).TrimEnd(' ');
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>RFC 4180 CSV read with Sep (not with the project's CSV adapter under test), header included as the first row.</summary>
    public static List<string[]> ReadCsv(string path)
    {
        var rows = new List<string[]>();
        using var reader = Sep.Reader(o => o with { Sep = Sep.New(','), HasHeader = false, Unescape = true }).FromFile(path);
        foreach (var row in reader)
        {
            var fields = new string[row.ColCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = row[i].ToString();
            rows.Add(fields);
        }
        return rows;
    }

    public static List<GroundTruthRow> ReadGroundTruth(string root) =>
        [.. ReadCsv(Path.Combine(root, "ground-truth.csv")).Skip(1).Select(r => new GroundTruthRow(r[0], r[1], r[2], r[3], r[4], r[5]))];
}
