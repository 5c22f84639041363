using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

public class FixedLengthAdapterTests
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData("ibm930")]
    [InlineData("ibm939")]
    [InlineData("cp932")]
    public async Task Reads_header_data_trailer_with_every_field_type(string encoding)
    {
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords(encoding, 5));
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, encoding));
        Assert.Equal(7, results.Count);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        Assert.Equal(["ZM-HEADER", "ZM-DATA", "ZM-DATA", "ZM-DATA", "ZM-DATA", "ZM-DATA", "ZM-TRAILER"], results.Select(r => r.Record!.RecordType));
        var h = results[0].Record!;
        Assert.Equal(20250401m, h.Get("ZM-HEADER.ZM-H-SAKUSEI-BI"));
        var d = results[2].Record!;
        Assert.Equal(new SourceLocation("ZEIMAST.dat", 3, 160), d.Location);
        Assert.Equal("1", d.Get("ZM-REC-KBN"));
        Assert.Equal(1000000001m, d.Get("ZM-DATA.ZM-D-ATENA-NO"));
        Assert.Equal("ﾔﾏﾀﾞ ﾀﾛｳ", d.Get("ZM-DATA.ZM-D-SHIMEI-KANA"));
        Assert.Equal("髙橋　一", d.Get("ZM-DATA.ZM-D-SHIMEI"));
        Assert.Equal("山田太郎", results[1].Record!.Get("ZM-DATA.ZM-D-SHIMEI"));
        Assert.Equal(123457m, d.Get("ZM-DATA.ZM-D-ZEIGAKU"));
        var getsu = Assert.IsAssignableFrom<IReadOnlyList<object?>>(d.Get("ZM-DATA.ZM-D-GETSUWARI"));
        Assert.Equal([10288.00m, -0.01m, 9999999.99m], getsu.Cast<decimal>());
        Assert.Equal("10288.00", ((decimal)getsu[0]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2m, d.Get("ZM-DATA.ZM-D-KIBETSU(2).ZM-D-KI-NO"));
        Assert.Equal(-5m, d.Get("ZM-DATA.ZM-D-KIBETSU(2).ZM-D-KI-GAKU"));
        Assert.Equal(-123m, d.Get("ZM-DATA.ZM-D-CHOSEI"));
        Assert.Equal(7m, d.Get("ZM-DATA.ZM-D-KENSU"));
        Assert.False(d.Has("ZM-DATA.FILLER"));
    }

    [Theory]
    [InlineData("cp932", "\r\n")]
    [InlineData("cp932", "\n")]
    [InlineData("utf-8", "\r\n")]
    [InlineData("ibm930", "")]
    public async Task Reads_open_system_layout_with_gaiji_in_any_encoding(string encoding, string terminator)
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.ResidentRecords(encoding, 4);
        var path = files.Write("JUMIN.dat", records, terminator);
        var layout = FixedLengthTestFiles.ResidentLayout;
        var options = new FixedLengthOptions { Terminator = terminator switch { "\r\n" => RecordTerminator.CrLf, "\n" => RecordTerminator.Lf, _ => RecordTerminator.None } };
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, layout, encoding, options));
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        var first = results[0].Record!;
        Assert.Equal("鈴木\uE000子", first.Get("SHIMEI"));
        Assert.Equal(FixedLengthTestFiles.Resident(0, encoding)["SHIMEI-KANA"], first.Get("SHIMEI-KANA"));
        Assert.Equal(-1234.56m, first.Get("ZEIGAKU"));
        Assert.Equal(4630115m, first.Get("SEINENGAPPI"));
        Assert.Equal((records[0].Length + terminator.Length) * 3L, results[3].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Cp932_gaiji_bytes_are_F040_on_disk()
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.ResidentRecords("cp932", 1);
        Assert.Equal(Hex("97E9 96D8 F040 8E71"), records[0][30..38]);
        Assert.Equal(Hex("8140"), records[0][48..50]);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Terminator_is_detected_when_not_declared()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords("cp932", 3), "\r\n");
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "cp932"));
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        Assert.Equal(82L * 4, results[4].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Parallel_batches_keep_file_order()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords("ibm930", 5000));
        var options = new FixedLengthOptions { BatchRecords = 777, MaxDegreeOfParallelism = 2, BufferBytes = 10_000 };
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "ibm930", options));
        Assert.Equal(5002, results.Count);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal(i + 1, results[i].Record!.Location.RecordNumber);
            Assert.Equal(80L * i, results[i].Record!.Location.ByteOffset);
            if (i is > 0 and < 5001) Assert.Equal(1000000000m + i - 1, results[i].Record!.Get("ZM-DATA.ZM-D-ATENA-NO"));
        }
    }

    [Fact]
    public async Task Pipelined_decoding_gives_the_same_stream_as_one_thread_including_rejects()
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords("cp932", 2000);
        for (var i = 5; i < 2000; i += 97) records[i][39] = 0x12;                  // invalid packed sign
        records[300] = [.. records[300], 0x20, 0x20];                              // wrong length in a CRLF file
        var path = files.Write("ZEIMAST.dat", records, "\r\n");
        static string Describe(LegacyReadResult r) => r.Record is { } rec
            ? $"{rec.Location} {rec.RecordType} {rec.Get("ZM-DATA.ZM-D-ATENA-NO")} {rec.Get("ZM-DATA.ZM-D-SHIMEI")}"
            : $"{r.Reject}";
        var one = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "cp932",
            new FixedLengthOptions { MaxDegreeOfParallelism = 1, BatchRecords = 4096 }));
        var piped = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "cp932",
            new FixedLengthOptions { MaxDegreeOfParallelism = 2, BatchRecords = 7, BufferBytes = 4096 }));
        Assert.Equal(one.Select(Describe), piped.Select(Describe));
        Assert.Equal(2002, piped.Count);
        Assert.Equal(21 + 1, piped.Count(r => !r.IsRecord));
    }

    [Fact]
    public async Task Leaving_the_stream_early_while_batches_decode_is_safe()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords("ibm930", 3000));
        var options = new FixedLengthOptions { MaxDegreeOfParallelism = 2, BatchRecords = 16 };
        for (var round = 0; round < 5; round++)
        {
            var seen = 0;
            await foreach (var r in new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "ibm930", options).ReadAsync(TestContext.Current.CancellationToken))
            {
                Assert.True(r.IsRecord, r.Reject?.ToString());
                if (++seen == 40 + round) break;
            }
            Assert.Equal(40 + round, seen);
        }
        // Buffers went back to the pool only after their decoders finished: a full read is still exact.
        var all = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "ibm930", options));
        Assert.Equal(3002, all.Count(r => r.IsRecord));
        Assert.Equal(1000000000m + 2999, all[^2].Record!.Get("ZM-DATA.ZM-D-ATENA-NO"));
    }

    [Fact]
    public async Task Cancellation_stops_the_stream()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords("ibm930", 100));
        using var cts = new CancellationTokenSource();
        var adapter = new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "ibm930", new FixedLengthOptions { BatchRecords = 10 });
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in adapter.ReadAsync(cts.Token))
            {
                if (++seen == 15) await cts.CancelAsync();
            }
        });
        Assert.InRange(seen, 15, 20);
    }

    [Fact]
    public async Task Pic_X_mixes_single_byte_and_shifted_double_byte_text()
    {
        using var files = new FixedLengthTestFiles();
        var layout = CopybookParser.Parse("""
                   01  R.
                       05  R-JUSHO   PIC X(24).
                       05  R-GAKU    PIC S9(5)V99 COMP-3.
            """, "mixed.cpy");
        var enc = new RecordEncoder(layout, "ibm930");
        var bytes = enc.Encode(null, new Dictionary<string, object?> { ["R-JUSHO"] = "ｵｵｶﾞｷ大垣市1-2", ["R-GAKU"] = -12.5m });
        Assert.Equal(Hex("85 85 86 BE 87 0E 455B 47CE 4553 0F F1 60 F2"), bytes[..16]); // as glibc iconv -t IBM930 writes it
        Assert.All(bytes[16..24], b => Assert.Equal(0x40, b));
        var path = files.Write("MIXED.dat", [bytes, bytes]);
        var results = await FixedLengthTestFiles.ReadAll(AdapterFactory.Create(WriteCopybook(files, layout), "ibm930", path));
        Assert.Equal(2, results.Count);
        Assert.Equal("ｵｵｶﾞｷ大垣市1-2", results[1].Record!.Get("R-JUSHO"));
        Assert.Equal(-12.50m, results[1].Record!.Get("R-GAKU"));
        Assert.Equal("-12.50", ((decimal)results[1].Record!.Get("R-GAKU")!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Zero_amounts_keep_their_scale_and_a_negative_signed_zero_reads_as_zero()
    {
        // Zeros are shared boxes, one per scale: the value read must still be the field's own, 0.00 for V99, 0.0 for V9;
        // a packed zero with the D sign nibble is 0, not −0 (PackedDecimal), and a whole negative value stays negative.
        using var files = new FixedLengthTestFiles();
        File.WriteAllText(Path.Combine(files.Dir, "zero.cpy"),
            "       01  R.\n           05  R-GAKU    PIC S9(5)V99 COMP-3.\n           05  R-KAI     PIC S9(3) COMP-3.\n           05  R-ZONED   PIC 9(4)V9.\n");
        var path = files.Write("ZERO.dat", [Hex("0000000C 000D F0F0F0F0F0"), Hex("0000000D 000C F0F0F0F1F0"), Hex("0001250C 001D F0F0F0F0F0")]);
        var results = await FixedLengthTestFiles.ReadAll(AdapterFactory.Create(Path.Combine(files.Dir, "zero.cpy"), "ibm930", path));
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        static string Text(LegacyRecord r, string field) => ((decimal)r.Get(field)!).ToString(System.Globalization.CultureInfo.InvariantCulture);
        static bool Negative(LegacyRecord r, string field) => decimal.IsNegative((decimal)r.Get(field)!);
        var (a, b, c) = (results[0].Record!, results[1].Record!, results[2].Record!);
        Assert.Equal(("0.00", "0", "0.0"), (Text(a, "R-GAKU"), Text(a, "R-KAI"), Text(a, "R-ZONED")));
        Assert.Equal((false, false), (Negative(a, "R-GAKU"), Negative(a, "R-KAI")));
        Assert.Equal(("0.00", false, "1.0"), (Text(b, "R-GAKU"), Negative(b, "R-GAKU"), Text(b, "R-ZONED")));
        Assert.Equal(("12.50", "-1", true), (Text(c, "R-GAKU"), Text(c, "R-KAI"), Negative(c, "R-KAI")));
    }

    static string WriteCopybook(FixedLengthTestFiles files, FileLayout _)
    {
        var p = Path.Combine(files.Dir, "mixed.cpy");
        File.WriteAllText(p, "       01  R.\n           05  R-JUSHO   PIC X(24).\n           05  R-GAKU    PIC S9(5)V99 COMP-3.\n");
        return p;
    }

    [Fact]
    public async Task Layout_file_through_the_factory_reads_cp932()
    {
        using var files = new FixedLengthTestFiles();
        var layoutPath = Path.Combine(files.Dir, "JUMIN.layout.csv");
        await File.WriteAllTextAsync(layoutPath, "#@ENCODING cp932\n" + CopybookSamples.ResidentLayout, TestContext.Current.CancellationToken);
        var data = files.Write("JUMIN.dat", FixedLengthTestFiles.ResidentRecords("cp932", 3), "\r\n");
        var results = await FixedLengthTestFiles.ReadAll(AdapterFactory.Create(layoutPath, null, data));
        Assert.Equal(3, results.Count(r => r.IsRecord));
        Assert.Equal("鈴木\uE000子", results[0].Record!.Get("SHIMEI"));
    }
}
