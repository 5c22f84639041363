using System.Text;
using System.Text.Json;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Inspect;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

public class InspectWriterTests
{
    [Fact]
    public async Task Writes_records_and_rejects_as_json_lines()
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords("ibm930", 2);
        records[2][39] = 0x12; // bad packed sign in data record 2
        var path = files.Write("ZEIMAST.dat", records);
        var cpy = Path.Combine(files.Dir, "ZEIMAST.cpy");
        await File.WriteAllTextAsync(cpy, CopybookSamples.TaxMaster, TestContext.Current.CancellationToken);
        var adapter = AdapterFactory.Create(cpy, "IBM930", path);
        Assert.IsType<FixedLengthAdapter>(adapter);
        using var ms = new MemoryStream();
        var summary = await InspectWriter.WriteAsync(adapter, ms, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((3L, 1L, 4L), (summary.Records, summary.Rejects, summary.Read));
        var lines = Encoding.UTF8.GetString(ms.ToArray()).Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.Equal("", lines[4]);
        Assert.Equal(
            """{"file":"ZEIMAST.dat","record":2,"offset":80,"type":"ZM-DATA","fields":{"ZM-REC-KBN":"1","ZM-DATA":{"ZM-D-ATENA-NO":1000000000,"ZM-D-SHIMEI-KANA":"ﾔﾏﾀﾞ ﾀﾛｳ","ZM-D-SHIMEI":"山田太郎","ZM-D-NENDO":2025,"ZM-D-ZEIGAKU":123456,"ZM-D-GETSUWARI":[10288.00,-0.01,9999999.99],"ZM-D-KIBETSU":[{"ZM-D-KI-NO":1,"ZM-D-KI-GAKU":30000},{"ZM-D-KI-NO":2,"ZM-D-KI-GAKU":-5}],"ZM-D-CHOSEI":-123,"ZM-D-KENSU":7}}}""",
            lines[1]);
        Assert.Equal(
            """{"reject":"invalid-packed-decimal","file":"ZEIMAST.dat","record":3,"offset":199,"field":"ZM-DATA.ZM-D-ZEIGAKU","message":"Invalid packed decimal 0001234512 (bad nibble in byte 4) (record type ZM-DATA, record starts at byte 160)"}""",
            lines[2]);
        foreach (var line in lines[..4]) JsonDocument.Parse(line).Dispose();
        using var doc = JsonDocument.Parse(lines[1]);
        Assert.Equal(10288.00m, doc.RootElement.GetProperty("fields").GetProperty("ZM-DATA").GetProperty("ZM-D-GETSUWARI")[0].GetDecimal());
    }

    [Fact]
    public void Gaiji_and_control_characters_are_valid_json()
    {
        var rec = new LegacyRecord(new SourceLocation("f", 1, 0), "", new LegacyGroup(["名前", "q"], ["鈴木\uE000子", "a\"b\\c\u0001"]));
        var json = InspectWriter.ToJson(rec);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("鈴木\uE000子", doc.RootElement.GetProperty("fields").GetProperty("名前").GetString());
        Assert.Equal("a\"b\\c\u0001", doc.RootElement.GetProperty("fields").GetProperty("q").GetString());
        Assert.Contains("鈴木", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_picks_the_adapter_by_extension()
    {
        Assert.IsType<Csv.CsvAdapter>(AdapterFactory.Create(null, "cp932", "/x/IDO_RIREKI.csv"));
        Assert.IsType<Sqlite.SqliteAdapter>(AdapterFactory.Create(null, null, "/x/jidoteate.db"));
        Assert.Throws<ArgumentException>(() => AdapterFactory.Create(null, "cp932", "/x/JUMIN.dat"));
        Assert.Throws<ArgumentException>(() => AdapterFactory.Create(null, "latin1", "/x/a.csv"));
    }
}
