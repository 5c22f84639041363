using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Builds fixed-length sample files with our encoders, in a per-test temp folder.</summary>
internal sealed class FixedLengthTestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("ogaki-fixed-").FullName;

    public static FileLayout TaxLayout => CopybookParser.Parse(CopybookSamples.TaxMaster, "ZEIMAST.cpy", "ZEIMAST");

    public static FileLayout ResidentLayout => LayoutFileParser.Parse(CopybookSamples.ResidentLayout, "JUMIN.layout.csv", "JUMIN");

    public static Dictionary<string, object?> TaxData(int i) => new()
    {
        ["ZM-D-ATENA-NO"] = 1000000000m + i,
        ["ZM-D-SHIMEI-KANA"] = "ﾔﾏﾀﾞ ﾀﾛｳ",
        ["ZM-D-SHIMEI"] = i % 4 == 3 ? "斎藤\uE001" : i % 2 == 0 ? "山田太郎" : "髙橋　一",
        ["ZM-D-NENDO"] = 2025m,
        ["ZM-D-ZEIGAKU"] = 123456m + i,
        ["ZM-D-GETSUWARI(1)"] = 10288.00m,
        ["ZM-D-GETSUWARI(2)"] = -0.01m,
        ["ZM-D-GETSUWARI(3)"] = 9999999.99m,
        ["ZM-D-KIBETSU(1).ZM-D-KI-NO"] = 1m,
        ["ZM-D-KIBETSU(1).ZM-D-KI-GAKU"] = 30000m,
        ["ZM-D-KIBETSU(2).ZM-D-KI-NO"] = 2m,
        ["ZM-D-KIBETSU(2).ZM-D-KI-GAKU"] = -5m,
        ["ZM-D-CHOSEI"] = -123m,
        ["ZM-D-KENSU"] = 7m,
    };

    /// <summary>Header, <paramref name="count"/> data records and a trailer with the right count and total.</summary>
    public static List<byte[]> TaxRecords(string encoding, int count, decimal? trailerCount = null)
    {
        var layout = TaxLayout;
        var enc = new RecordEncoder(layout, encoding);
        var records = new List<byte[]> { enc.Encode("ZM-HEADER", new Dictionary<string, object?> { ["ZM-H-SAKUSEI-BI"] = 20250401m, ["ZM-H-SHICHOSON"] = "212024" }) };
        decimal total = 0;
        for (var i = 0; i < count; i++)
        {
            var data = TaxData(i);
            total += (decimal)data["ZM-D-ZEIGAKU"]!;
            records.Add(enc.Encode("ZM-DATA", data));
        }
        records.Add(enc.Encode("ZM-TRAILER", new Dictionary<string, object?> { ["ZM-T-KENSU"] = trailerCount ?? count, ["ZM-T-GOKEI"] = total }));
        return records;
    }

    public static Dictionary<string, object?> Resident(int i, string encoding = "cp932") => new()
    {
        ["ATENA-NO"] = 2000000000m + i,
        // Half-width kana take 3 bytes each in UTF-8.
        ["SHIMEI-KANA"] = encoding == "utf-8" ? "ｽｽﾞｷ" : "ｽｽﾞｷ ﾊﾅｺ",
        ["SHIMEI"] = i % 3 == 0 ? "鈴木\uE000子" : "鈴木花子",
        ["SEIBETSU"] = 2m,
        ["SEINENGAPPI"] = 4630115m,
        ["ZEIGAKU"] = -1234.56m,
    };

    public static List<byte[]> ResidentRecords(string encoding, int count)
    {
        var enc = new RecordEncoder(ResidentLayout, encoding);
        return Enumerable.Range(0, count).Select(i => enc.Encode(null, Resident(i, encoding))).ToList();
    }

    public string Write(string name, IEnumerable<byte[]> records, string terminator = "")
    {
        var path = Path.Combine(Dir, name);
        using var fs = File.Create(path);
        var t = System.Text.Encoding.ASCII.GetBytes(terminator);
        foreach (var r in records)
        {
            fs.Write(r);
            fs.Write(t);
        }
        return path;
    }

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static async Task<List<LegacyReadResult>> ReadAll(ILegacyAdapter adapter)
    {
        var list = new List<LegacyReadResult>();
        await foreach (var r in adapter.ReadAsync(TestContext.Current.CancellationToken)) list.Add(r);
        return list;
    }

    public static TextCodec Codec(string name) => LegacyEncodings.GetCodec(name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
