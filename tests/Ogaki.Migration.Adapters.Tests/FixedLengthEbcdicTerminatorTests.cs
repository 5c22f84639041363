using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>
/// Mainframe text exports end each record with EBCDIC NL 0x15 (or CR LF as 0x0D 0x25): the terminator is detected or
/// declared (<c>@TERMINATOR NL</c>), and a record longer or shorter than its layout is a located reject.
/// </summary>
public class FixedLengthEbcdicTerminatorTests
{
    const string Nl = "\u0015";
    const string EbcdicCrLf = "\r%"; // 0x0D 0x25

    static async Task<List<LegacyReadResult>> Read(string terminator, Action<List<byte[]>>? corrupt = null, FileLayout? layout = null, FixedLengthOptions? options = null)
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords("ibm930", 3);
        corrupt?.Invoke(records);
        var path = files.Write("ZEIMAST.dat", records, terminator);
        return await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, layout ?? FixedLengthTestFiles.TaxLayout, "ibm930", options));
    }

    /// <summary>Every physical record is passed on or rejected, numbered 1…n in order.</summary>
    static void Balanced(List<LegacyReadResult> results, int physical)
    {
        var numbered = results.Select(r => (r.Record?.Location ?? r.Reject!.Location).RecordNumber).Where(n => n > 0).ToList();
        Assert.Equal(Enumerable.Range(1, physical).Select(i => (long)i), numbered);
    }

    static FileLayout TaxLayoutWith(string directive) =>
        CopybookParser.Parse(CopybookSamples.TaxMaster.Replace("000300*@SELECTOR ZM-REC-KBN", $"000300*@SELECTOR ZM-REC-KBN\n000310*@{directive}", StringComparison.Ordinal), "ZEIMAST.cpy", "ZEIMAST");

    [Theory]
    [InlineData(Nl, 81)]
    [InlineData(EbcdicCrLf, 82)]
    public async Task Detected_EBCDIC_terminators_frame_every_record(string terminator, int stride)
    {
        var results = await Read(terminator);
        Balanced(results, 5);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        Assert.Equal([0L, stride, 2L * stride, 3L * stride, 4L * stride], results.Select(r => r.Record!.Location.ByteOffset));
        Assert.Equal(1000000002m, results[3].Record!.Get("ZM-DATA.ZM-D-ATENA-NO"));
        Assert.Equal("髙橋　一", results[2].Record!.Get("ZM-DATA.ZM-D-SHIMEI"));
    }

    [Fact]
    public async Task Declared_NL_terminator_with_a_packed_0x15_inside_a_record()
    {
        // 0x15 is also the packed digit pair "15": the terminator is looked for only where the record ends.
        var results = await Read(Nl, x => x[2][41] = 0x15, TaxLayoutWith("TERMINATOR NL"));
        Balanced(results, 5);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        Assert.Equal(RecordTerminator.EbcdicNl, TaxLayoutWith("TERMINATOR NL").Terminator);
        Assert.Equal(15288.00m, results[2].Record!.Get("ZM-DATA.ZM-D-GETSUWARI(1)")); // 00 10 28 80 0C with 10 → 15
    }

    [Fact]
    public async Task Longer_record_before_NL_is_rejected_at_its_first_extra_byte_naming_the_last_field()
    {
        var results = await Read(Nl, x => x[2] = [.. x[2], 0x40, 0x40, 0x40]);
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.WrongRecordLength, "ZEIMAST.dat", 3L, 81L * 2 + 80, "ZM-DATA.ZM-D-KENSU"),
            (r.Reason, r.Location.File, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        Assert.Contains("83 bytes", r.Message, StringComparison.Ordinal);
        Assert.Equal(83, r.RawBytes.Length);
        // The next record starts after the NL that ended the long one.
        Assert.Equal(81L * 3 + 3, results[3].Record!.Location.ByteOffset);
        Assert.Equal(4, results.Count(x => x.IsRecord));
    }

    [Fact]
    public async Task Shorter_record_before_NL_is_rejected_naming_the_first_field_cut_off()
    {
        var results = await Read(Nl, x => x[2] = x[2][..50]);
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.WrongRecordLength, 3L, 81L * 2 + 50, "ZM-DATA.ZM-D-GETSUWARI(3)"),
            (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        Assert.Equal(81L * 2 + 51, results[3].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Truncated_last_record_without_NL()
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords("ibm930", 3);
        var bytes = records.Take(4).SelectMany(x => x.Append((byte)0x15)).Concat(records[4][..20]).ToArray();
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(files.WriteBytes("ZEIMAST.dat", bytes), FixedLengthTestFiles.TaxLayout, "ibm930",
            new FixedLengthOptions { Terminator = RecordTerminator.EbcdicNl }));
        Balanced(results, 5);
        var r = results.Single(x => x.Reject?.Location.RecordNumber == 5).Reject!;
        Assert.Equal((RejectReasons.TruncatedRecord, 81L * 4, "ZM-TRAILER.ZM-T-GOKEI"), (r.Reason, r.Location.ByteOffset, r.Location.Field));
    }

    [Fact]
    public async Task EBCDIC_LF_in_an_NL_file_is_a_mixed_line_ending()
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords("ibm930", 3);
        var bytes = records.SelectMany((x, i) => x.Append(i == 2 ? (byte)0x25 : (byte)0x15)).ToArray();
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(files.WriteBytes("ZEIMAST.dat", bytes), TaxLayoutWith("TERMINATOR NL"), "ibm930"));
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.MixedLineEndings, 3L, 81L * 2 + 80), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset));
        Assert.Equal(81L * 3, results[3].Record!.Location.ByteOffset);
    }

    [Fact]
    public void EBCDIC_terminators_need_an_EBCDIC_encoding()
    {
        var e = Assert.Throws<LayoutException>(() => CopybookParser.Parse(CopybookSamples.TaxMaster.Replace("000300*@SELECTOR ZM-REC-KBN",
            "000300*@SELECTOR ZM-REC-KBN\n000310*@TERMINATOR NL\n000320*@ENCODING cp932", StringComparison.Ordinal), "ZEIMAST.cpy"));
        Assert.Equal(4, e.LineNumber);
        using var files = new FixedLengthTestFiles();
        var path = files.Write("ZEIMAST.dat", FixedLengthTestFiles.TaxRecords("cp932", 1));
        Assert.Throws<ArgumentException>(() => new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "cp932", new FixedLengthOptions { Terminator = RecordTerminator.EbcdicNl }));
        Assert.Throws<LayoutException>(() => TaxLayoutWith("TERMINATOR XYZ"));
    }
}
