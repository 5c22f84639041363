using System.Text;
using Ogaki.Migration.Adapters.Csv;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

public class CsvAdapterTests
{
    const string Text = "宛名番号,異動日,異動事由,氏名\r\n0000000001,R07.04.01,転入,\"山田, 太郎\"\r\n0000000002,H31.04.30,出生,髙橋\uE000子\r\n";

    static CsvAdapterTests() => LegacyEncodings.Register();

    [Fact]
    public async Task Short_ascii_values_are_shared_strings_and_every_value_keeps_its_text()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.WriteBytes("CODES.csv", Encoding.UTF8.GetBytes("a,b,c,d,e\r\n1,K1,髙,\"\"\"\",K12\r\n1,K1,髙,\"\"\"\",K12\r\n,\u007f~,橋子,\"x\",\r\n"));
        var rows = (await FixedLengthTestFiles.ReadAll(new CsvAdapter(path))).Select(r => r.Record!).ToList();
        string?[] Values(LegacyRecord r) => [.. "abcde".Select(c => (string?)r.Get(c.ToString()))];
        Assert.Equal(["1", "K1", "髙", "\"", "K12"], Values(rows[0]));
        Assert.Equal(["", "\u007f~", "橋子", "x", ""], Values(rows[2]));
        // One or two ASCII characters: the same string each time; anything else is a string of its own.
        Assert.Same(rows[0].Get("a"), rows[1].Get("a"));
        Assert.Same(rows[0].Get("b"), rows[1].Get("b"));
        Assert.Same(rows[0].Get("d"), rows[1].Get("d"));
        Assert.NotSame(rows[0].Get("c"), rows[1].Get("c"));
        Assert.NotSame(rows[0].Get("e"), rows[1].Get("e"));
        Assert.Equal("K1", ShortStrings.Of("K1"));
        Assert.Equal("\u00e9", ShortStrings.Of("\u00e9"));
        Assert.Equal("A\u00e9", ShortStrings.Of("A\u00e9"));
    }

    [Fact]
    public async Task Reads_utf8_with_bom_and_japanese_headers()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.WriteBytes("IDO_RIREKI.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Text)]);
        var results = await FixedLengthTestFiles.ReadAll(new CsvAdapter(path));
        Assert.Equal(2, results.Count);
        var r = results[0].Record!;
        Assert.Equal(["宛名番号", "異動日", "異動事由", "氏名"], Enumerable.Range(0, r.Fields.Count).Select(r.Fields.NameAt));
        Assert.Equal("0000000001", r.Get("宛名番号"));
        Assert.Equal("山田, 太郎", r.Get("氏名"));
        Assert.Equal(new SourceLocation("IDO_RIREKI.csv", 1, 3 + Encoding.UTF8.GetByteCount("宛名番号,異動日,異動事由,氏名\r\n")), r.Location);
        Assert.Equal(2L, results[1].Record!.Location.RecordNumber);
        Assert.Equal(3 + Encoding.UTF8.GetByteCount(Text.Split("\r\n")[0] + "\r\n" + Text.Split("\r\n")[1] + "\r\n"), results[1].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Reads_cp932_with_gaiji()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.WriteBytes("IDO.csv", LegacyEncodings.Cp932.GetBytes(Text));
        var results = await FixedLengthTestFiles.ReadAll(new CsvAdapter(path, "cp932"));
        Assert.Equal(2, results.Count);
        Assert.Equal("髙橋\uE000子", results[1].Record!.Get("氏名"));
        Assert.Equal(LegacyEncodings.Cp932.GetByteCount(Text.Split("\r\n")[0]) + 2, results[0].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Reads_cp932_nec_selected_ibm_extensions()
    {
        using var files = new FixedLengthTestFiles();
        // 髙橋 with 髙 as EEE0 (NEC-selected), as many encoders write it; 﨑 as ED95 is the NEC-selected twin of FAB1.
        byte[] bytes = [.. Encoding.ASCII.GetBytes("id,name\r\n1,"), 0xEE, 0xE0, .. LegacyEncodings.Cp932.GetBytes("橋"), 0xED, 0x95, 0x0D, 0x0A];
        var results = await FixedLengthTestFiles.ReadAll(new CsvAdapter(files.WriteBytes("nec.csv", bytes), "cp932"));
        Assert.Equal("髙橋﨑", Assert.Single(results).Record!.Get("name"));
    }

    [Fact]
    public async Task Bad_rows_are_rejected_and_the_rest_read()
    {
        using var files = new FixedLengthTestFiles();
        var bytes = new List<byte>(LegacyEncodings.Cp932.GetBytes("a,b,c\r\n1,2,3\r\n4,5\r\n7,8,9\r\n"));
        bytes.AddRange([(byte)'x', (byte)',', 0x82, (byte)',', (byte)'z', 0x0D, 0x0A]); // 0x82 is a lead byte without a valid trail
        bytes.AddRange(Encoding.ASCII.GetBytes("p,q\0,r\r\nlast,1,2\r\n"));
        var path = files.WriteBytes("bad.csv", bytes.ToArray());
        var results = await FixedLengthTestFiles.ReadAll(new CsvAdapter(path, "cp932"));
        Assert.Equal(6, results.Count);
        Assert.Equal([true, false, true, false, false, true], results.Select(r => r.IsRecord));
        Assert.Equal(RejectReasons.MalformedRow, results[1].Reject!.Reason);
        Assert.Equal(2L, results[1].Reject!.Location.RecordNumber);
        Assert.Equal((RejectReasons.UndefinedBytes, "b"), (results[3].Reject!.Reason, results[3].Reject!.Location.Field));
        Assert.Equal((RejectReasons.NulBytes, "b"), (results[4].Reject!.Reason, results[4].Reject!.Location.Field));
        Assert.Equal("last", results[5].Record!.Get("a"));
    }

    [Fact]
    public async Task Empty_file_and_bom_in_cp932()
    {
        using var files = new FixedLengthTestFiles();
        var empty = await FixedLengthTestFiles.ReadAll(new CsvAdapter(files.WriteBytes("e.csv", []), "utf-8"));
        Assert.Equal(RejectReasons.EmptyFile, Assert.Single(empty).Reject!.Reason);
        var bom = await FixedLengthTestFiles.ReadAll(new CsvAdapter(files.WriteBytes("b.csv", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("a,b\r\n1,2\r\n")]), "cp932"));
        Assert.Equal(RejectReasons.UnexpectedBom, bom[0].Reject!.Reason);
        Assert.Equal(0L, bom[0].Reject!.Location.RecordNumber);
        Assert.Equal("1", bom[1].Record!.Get("a"));
    }
}
