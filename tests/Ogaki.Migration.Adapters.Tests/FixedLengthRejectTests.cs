using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Every bad input of the fixed-length reader becomes a located reject and the run goes on.</summary>
public class FixedLengthRejectTests
{
    const int Rec3 = 160; // header, data 1, data 2 (record 3) at byte 160 in an unterminated 80-byte file

    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    static async Task<List<LegacyReadResult>> Read(Action<List<byte[]>> corrupt, string encoding = "ibm930", string terminator = "", int data = 3, decimal? trailerCount = null)
    {
        using var files = new FixedLengthTestFiles();
        var records = FixedLengthTestFiles.TaxRecords(encoding, data, trailerCount);
        corrupt(records);
        var path = files.Write("ZEIMAST.dat", records, terminator);
        return await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, encoding));
    }

    /// <summary>The one reject, with every physical record either passed or rejected, in order.</summary>
    static LegacyReject SingleReject(List<LegacyReadResult> results, int physicalRecords)
    {
        var numbered = results.Where(r => (r.Record?.Location ?? r.Reject!.Location).RecordNumber > 0).ToList();
        Assert.Equal(physicalRecords, numbered.Count);
        Assert.Equal(Enumerable.Range(1, physicalRecords).Select(i => (long)i), numbered.Select(r => (r.Record?.Location ?? r.Reject!.Location).RecordNumber));
        var reject = Assert.Single(results, r => !r.IsRecord).Reject!;
        Assert.Equal("ZEIMAST.dat", reject.Location.File);
        Assert.False(reject.RawBytes.IsEmpty);
        return reject;
    }

    static void Patch(List<byte[]> records, int record, int offset, string hex) => Hex(hex).CopyTo(records[record], offset);

    [Fact]
    public async Task SO_without_SI()
    {
        var r = SingleReject(await Read(x => Patch(x, 2, 11, "0E 4F58 48F2 40 40 40 40 40")), 5);
        Assert.Equal((RejectReasons.UnbalancedShift, 3L, (long)Rec3 + 11, "ZM-DATA.ZM-D-SHIMEI-KANA"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
    }

    [Fact]
    public async Task Nested_SO()
    {
        var r = SingleReject(await Read(x => Patch(x, 2, 11, "0E 4F58 0E 48F2 0F 40 40")), 5);
        Assert.Equal((RejectReasons.UnbalancedShift, (long)Rec3 + 14), (r.Reason, r.Location.ByteOffset));
    }

    [Fact]
    public async Task SI_without_SO()
    {
        var r = SingleReject(await Read(x => Patch(x, 2, 11, "81 0F")), 5);
        Assert.Equal((RejectReasons.UnbalancedShift, (long)Rec3 + 12), (r.Reason, r.Location.ByteOffset));
    }

    [Fact]
    public async Task Odd_byte_count_inside_DBCS()
    {
        var r = SingleReject(await Read(x => Patch(x, 2, 11, "0E 4F58 48 0F 40 40 40 40")), 5);
        Assert.Equal((RejectReasons.OddDbcsLength, (long)Rec3 + 14), (r.Reason, r.Location.ByteOffset));
    }

    [Fact]
    public async Task Odd_byte_count_in_a_PIC_N_field_is_reported_on_the_dbcs_field()
    {
        var r = SingleReject(await Read(x => Patch(x, 2, 21, "4F58 0E 48F2")), 5);
        Assert.Equal((RejectReasons.UnbalancedShift, "ZM-DATA.ZM-D-SHIMEI"), (r.Reason, r.Location.Field));
    }

    [Fact]
    public async Task Invalid_packed_nibble_or_sign()
    {
        var sign = SingleReject(await Read(x => x[2][39] = 0x12), 5);
        Assert.Equal((RejectReasons.InvalidPacked, (long)Rec3 + 39, "ZM-DATA.ZM-D-ZEIGAKU"), (sign.Reason, sign.Location.ByteOffset, sign.Location.Field));
        var nibble = SingleReject(await Read(x => x[2][36] = 0xA1), 5);
        Assert.Equal((RejectReasons.InvalidPacked, (long)Rec3 + 36), (nibble.Reason, nibble.Location.ByteOffset));
    }

    [Fact]
    public async Task Invalid_packed_inside_an_OCCURS_group_names_the_occurrence()
    {
        var r = SingleReject(await Read(x => x[2][55 + 5 + 4] = 0x07), 5);
        Assert.Equal((RejectReasons.InvalidPacked, "ZM-DATA.ZM-D-KIBETSU(2).ZM-D-KI-GAKU", (long)Rec3 + 64), (r.Reason, r.Location.Field, r.Location.ByteOffset));
    }

    [Fact]
    public async Task Non_numeric_zoned_digits()
    {
        var r = SingleReject(await Read(x => x[2][5] = 0x40), 5);
        Assert.Equal((RejectReasons.InvalidZoned, (long)Rec3 + 5, "ZM-DATA.ZM-D-ATENA-NO"), (r.Reason, r.Location.ByteOffset, r.Location.Field));
        var sign = SingleReject(await Read(x => x[2][69] = 0x83), 5);
        Assert.Equal((RejectReasons.InvalidZoned, (long)Rec3 + 69, "ZM-DATA.ZM-D-CHOSEI"), (sign.Reason, sign.Location.ByteOffset, sign.Location.Field));
    }

    [Fact]
    public async Task Bytes_undefined_in_the_code_page()
    {
        var r = SingleReject(await Read(x => x[2][13] = 0xFE), 5);
        Assert.Equal((RejectReasons.UndefinedBytes, (long)Rec3 + 13), (r.Reason, r.Location.ByteOffset));
        var dbcs = SingleReject(await Read(x => Patch(x, 2, 21, "4041")), 5);
        Assert.Equal((RejectReasons.UndefinedBytes, (long)Rec3 + 21, "ZM-DATA.ZM-D-SHIMEI"), (dbcs.Reason, dbcs.Location.ByteOffset, dbcs.Location.Field));
    }

    [Fact]
    public async Task Cp932_undefined_and_truncated_double_byte()
    {
        var r = SingleReject(await Read(x => x[2][20] = 0x82, encoding: "cp932"), 5);
        Assert.Equal((RejectReasons.UndefinedBytes, (long)Rec3 + 20, "ZM-DATA.ZM-D-SHIMEI-KANA"), (r.Reason, r.Location.ByteOffset, r.Location.Field));
    }

    [Fact]
    public async Task NUL_bytes()
    {
        var r = SingleReject(await Read(x => x[2][12] = 0x00), 5);
        Assert.Equal((RejectReasons.NulBytes, (long)Rec3 + 12), (r.Reason, r.Location.ByteOffset));
        var zoned = SingleReject(await Read(x => x[2][3] = 0x00, encoding: "cp932"), 5);
        Assert.Equal((RejectReasons.NulBytes, (long)Rec3 + 3, "ZM-DATA.ZM-D-ATENA-NO"), (zoned.Reason, zoned.Location.ByteOffset, zoned.Location.Field));
    }

    [Theory]
    [InlineData("ibm930", "")]
    [InlineData("cp932", "\r\n")]
    public async Task BOM_where_none_belongs(string encoding, string terminator)
    {
        var results = await Read(x => x[0] = [0xEF, 0xBB, 0xBF, .. x[0]], encoding, terminator);
        var r = SingleReject(results, 5);
        Assert.Equal((RejectReasons.UnexpectedBom, 1L, 0L), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset));
        Assert.Equal(1000000000m, results[1].Record!.Get("ZM-DATA.ZM-D-ATENA-NO"));
    }

    [Fact]
    public async Task LF_in_a_CRLF_file()
    {
        using var files = new FixedLengthTestFiles();
        var recs = FixedLengthTestFiles.TaxRecords("cp932", 3);
        var bytes = new List<byte>();
        for (var i = 0; i < recs.Count; i++)
        {
            bytes.AddRange(recs[i]);
            bytes.AddRange(i == 2 ? [0x0A] : [0x0D, 0x0A]);
        }
        var path = files.WriteBytes("ZEIMAST.dat", bytes.ToArray());
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "cp932"));
        var r = SingleReject(results, 5);
        Assert.Equal((RejectReasons.MixedLineEndings, 3L, 82L * 2 + 80), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset));
        Assert.Equal(82L * 2 + 81, results[3].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Wrong_record_length_in_a_terminated_file()
    {
        var results = await Read(x => x[2] = [.. x[2], 0x40, 0x40, 0x40], "cp932", "\r\n");
        var r = SingleReject(results, 5);
        Assert.Equal((RejectReasons.WrongRecordLength, 3L), (r.Reason, r.Location.RecordNumber));
        Assert.Contains("83 bytes", r.Message, StringComparison.Ordinal);
        Assert.True(results[3].IsRecord);
        Assert.Equal(82L * 3 + 3, results[3].Record!.Location.ByteOffset);
        var shortLine = SingleReject(await Read(x => x[2] = x[2][..50], "cp932", "\r\n"), 5);
        Assert.Equal((RejectReasons.WrongRecordLength, 3L), (shortLine.Reason, shortLine.Location.RecordNumber));
    }

    [Fact]
    public async Task Truncated_last_record()
    {
        var results = await Read(x => x[^1] = x[^1][..70]);
        var truncated = Assert.Single(results, r => r.Reject?.Reason == RejectReasons.TruncatedRecord).Reject!;
        Assert.Equal((5L, 320L), (truncated.Location.RecordNumber, truncated.Location.ByteOffset));
        Assert.Equal(70, truncated.RawBytes.Length);
        Assert.Equal(4, results.Count(r => r.IsRecord));
        // The trailer is gone, so its count cannot be checked: a file-level reject says so.
        var fileLevel = Assert.Single(results, r => r.Reject?.Location.RecordNumber == 0).Reject!;
        Assert.Equal(RejectReasons.ControlCountMismatch, fileLevel.Reason);
    }

    [Fact]
    public async Task Empty_file()
    {
        using var files = new FixedLengthTestFiles();
        var path = files.WriteBytes("EMPTY.dat", []);
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, FixedLengthTestFiles.TaxLayout, "ibm930"));
        var r = Assert.Single(results).Reject!;
        Assert.Equal((RejectReasons.EmptyFile, "EMPTY.dat", 0L), (r.Reason, r.Location.File, r.Location.RecordNumber));
    }

    [Fact]
    public async Task Unknown_record_type()
    {
        var r = SingleReject(await Read(x => x[2][0] = 0xE7), 5);
        Assert.Equal((RejectReasons.UnknownRecordType, 3L, (long)Rec3, "ZM-REC-KBN"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
    }

    [Fact]
    public async Task Trailer_count_mismatch()
    {
        var r = SingleReject(await Read(_ => { }, trailerCount: 99), 5);
        Assert.Equal((RejectReasons.ControlCountMismatch, 5L, "ZM-TRAILER.ZM-T-KENSU"), (r.Reason, r.Location.RecordNumber, r.Location.Field));
        Assert.Contains("99", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trailer_control_total_mismatch()
    {
        var layout = FixedLengthTestFiles.TaxLayout;
        var enc = new RecordEncoder(layout, "ibm930");
        var r = SingleReject(await Read(x => x[^1] = enc.Encode("ZM-TRAILER", new Dictionary<string, object?> { ["ZM-T-KENSU"] = 3m, ["ZM-T-GOKEI"] = 1m })), 5);
        Assert.Equal((RejectReasons.ControlCountMismatch, "ZM-TRAILER.ZM-T-GOKEI"), (r.Reason, r.Location.Field));
    }

    [Fact]
    public async Task Many_bad_records_each_rejected_and_the_rest_pass()
    {
        var results = await Read(x =>
        {
            x[2][39] = 0x12;
            x[5][5] = 0x40;
            x[8][0] = 0xE7;
        }, data: 10);
        Assert.Equal(12, results.Count);
        Assert.Equal(3, results.Count(r => !r.IsRecord));
        Assert.Equal([3L, 6L, 9L], results.Where(r => !r.IsRecord).Select(r => r.Reject!.Location.RecordNumber));
    }
}
