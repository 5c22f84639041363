using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Inspect;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>
/// OCCURS … DEPENDING ON with IBM semantics: the count field earlier in the record says how many occurrences are
/// present, the record is that much shorter and the items after the table move up.
/// </summary>
public class CopybookOccursDependingTests
{
    /// <summary>A child-allowance recipient (児童手当受給者) with 1–10 children, and a trailer: two 01 records.</summary>
    const string Jukyusha = """
      000100*----------------------------------------------------------------
      000200* JTJUKYU  児童手当受給者 (variable length: 1-10 children)
      000300*@SELECTOR JT-REC-KBN
      000400*@RECORD JT-JUKYU-REC   VALUE '1'
      000500*@RECORD JT-TRAILER-REC VALUE '9' TRAILER COUNT JT-T-KENSU
      000600*----------------------------------------------------------------
      000700 01  JT-JUKYU-REC.
      000800     05  JT-REC-KBN              PIC X(01).
      000900     05  JT-JUKYUSHA-NO          PIC 9(08).
      001000     05  JT-SHIMEI               PIC N(10).
      001100     05  JT-SHIMEI-KANA          PIC X(20).
      001200     05  JT-JIDO-SU              PIC S9(03) COMP-3.
      001300     05  JT-JIDO                 OCCURS 1 TO 10 TIMES
      001400                                 DEPENDING ON JT-JIDO-SU.
      001500         10  JT-JIDO-SHIMEI      PIC N(10).
      001600         10  JT-JIDO-SEINENGAPPI PIC 9(07).
      001700         10  JT-JIDO-TSUKIGAKU   PIC S9(07) COMP-3.
      001800     05  JT-GOKEI-GETSUGAKU      PIC S9(09) COMP-3.
      001900     05  JT-KOZA-NO              PIC 9(07).
      002000 01  JT-TRAILER-REC.
      002100     05  JT-T-REC-KBN            PIC X(01).
      002200     05  JT-T-KENSU              PIC 9(07).
      002300     05  FILLER                  PIC X(20).
      """;

    const int Fixed = 63;   // bytes outside the table
    const int Element = 31; // N(10) + 9(7) + S9(7) COMP-3

    static FileLayout Layout(string text = Jukyusha) => CopybookParser.Parse(text, "JTJUKYU.cpy", "JTJUKYU");

    static readonly int[] Children = [1, 3, 10, 2];
    static readonly string[] ChildNames = ["一郎", "二郎", "三郎", "四郎", "五郎", "六郎", "七郎", "八郎", "九郎", "十郎"];

    static Dictionary<string, object?> Recipient(int i, int children)
    {
        var v = new Dictionary<string, object?>
        {
            ["JT-JUKYUSHA-NO"] = 30000000m + i,
            ["JT-SHIMEI"] = i % 2 == 0 ? "大垣花子" : "髙橋\uE001",
            ["JT-SHIMEI-KANA"] = "ｵｵｶﾞｷ ﾊﾅｺ",
            ["JT-JIDO-SU"] = (decimal)children,
            ["JT-GOKEI-GETSUGAKU"] = 10000m * children + i,
            ["JT-KOZA-NO"] = 1234560m + i,
        };
        for (var k = 1; k <= children; k++)
        {
            v[$"JT-JIDO({k}).JT-JIDO-SHIMEI"] = ChildNames[k - 1];
            v[$"JT-JIDO({k}).JT-JIDO-SEINENGAPPI"] = 5060401m + k;
            v[$"JT-JIDO({k}).JT-JIDO-TSUKIGAKU"] = k <= 2 ? 10000m : 15000m;
        }
        return v;
    }

    static List<byte[]> Records(string encoding)
    {
        var enc = new RecordEncoder(Layout(), encoding);
        var list = Children.Select((c, i) => enc.Encode("JT-JUKYU-REC", Recipient(i, c))).ToList();
        list.Add(enc.Encode("JT-TRAILER-REC", new Dictionary<string, object?> { ["JT-T-KENSU"] = (decimal)Children.Length }));
        return list;
    }

    static void Balanced(List<LegacyReadResult> results, int physical) =>
        Assert.Equal(Enumerable.Range(1, physical).Select(i => (long)i),
            results.Select(r => (r.Record?.Location ?? r.Reject!.Location).RecordNumber).Where(n => n > 0));

    [Fact]
    public void Parses_the_table_its_count_and_the_maximum_layout()
    {
        var layout = Layout();
        var rec = layout.FindRecord("JT-JUKYU-REC")!;
        var table = rec.Find("JT-JIDO")!;
        Assert.Equal((1, 10, "JT-JIDO-SU", 51, Element), (table.MinOccurs, table.Occurs, table.DependingOn, table.Offset, table.Length));
        Assert.Equal(Fixed + (10 * Element), rec.Length);
        var vt = Assert.Single(rec.VariableTables);
        Assert.Equal(("JT-JIDO", "JT-JIDO-SU", 49), (vt.TablePath, vt.CountPath, vt.Count.Offset));
        Assert.False(layout.FindRecord("JT-TRAILER-REC")!.IsVariable);
        // Without "n TO", IBM assumes a minimum of 1.
        var noMin = Layout(Jukyusha.Replace("OCCURS 1 TO 10 TIMES", "OCCURS 10 TIMES     ", StringComparison.Ordinal));
        Assert.Equal(1, noMin.Records[0].Find("JT-JIDO")!.MinOccurs);
    }

    [Theory]
    [InlineData("ibm930", "")]
    [InlineData("ibm930", "\u0015")]
    [InlineData("cp932", "\r\n")]
    public async Task Decodes_only_the_present_occurrences_and_moves_the_items_after_the_table(string encoding, string terminator)
    {
        using var files = new FixedLengthTestFiles();
        var records = Records(encoding);
        Assert.Equal(Children.Select(c => Fixed + (c * Element)), records.Take(Children.Length).Select(r => r.Length));
        var path = files.Write("JTJUKYU.dat", records, terminator);
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, Layout(), encoding));
        Balanced(results, 5);
        Assert.All(results, r => Assert.True(r.IsRecord, r.Reject?.ToString()));
        long offset = 0;
        for (var i = 0; i < Children.Length; i++)
        {
            var rec = results[i].Record!;
            Assert.Equal(offset, rec.Location.ByteOffset);
            offset += records[i].Length + terminator.Length;
            var jido = Assert.IsType<object?[]>(rec.Get("JT-JIDO"));
            Assert.Equal(Children[i], jido.Length);
            Assert.Equal(ChildNames[Children[i] - 1], rec.Get($"JT-JIDO({Children[i]}).JT-JIDO-SHIMEI"));
            Assert.Null(rec.Get($"JT-JIDO({Children[i] + 1}).JT-JIDO-SHIMEI"));
            Assert.Equal(10000m * Children[i] + i, rec.Get("JT-GOKEI-GETSUGAKU"));
            Assert.Equal(1234560m + i, rec.Get("JT-KOZA-NO"));
        }
        Assert.Equal(4m, results[4].Record!.Get("JT-T-KENSU"));
        // inspect shows the present occurrences only.
        var json = InspectWriter.ToJson(results[1]);
        Assert.Contains("\"JT-JIDO\":[{\"JT-JIDO-SHIMEI\":\"一郎\"", json, StringComparison.Ordinal);
        Assert.Equal(3, json.Split("JT-JIDO-SHIMEI").Length - 1);
        Assert.Contains("\"JT-GOKEI-GETSUGAKU\":30001,\"JT-KOZA-NO\":1234561}", json, StringComparison.Ordinal);
    }

    static async Task<List<LegacyReadResult>> Read(Action<List<byte[]>> corrupt, string terminator, string encoding = "ibm930")
    {
        using var files = new FixedLengthTestFiles();
        var records = Records(encoding);
        corrupt(records);
        var path = files.Write("JTJUKYU.dat", records, terminator);
        return await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, Layout(), encoding));
    }

    // Record 2 (3 children) starts after record 1 (1 child) and its NL.
    const long Rec2 = Fixed + Element + 1;

    [Theory]
    [InlineData("000C", "0")]
    [InlineData("011C", "11")]
    [InlineData("001D", "-1")]
    public async Task Count_out_of_range_is_rejected_at_the_count_field(string packed, string shown)
    {
        var results = await Read(x => Convert.FromHexString(packed).CopyTo(x[1], 49), "\u0015");
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.OccursOutOfRange, "JTJUKYU.dat", 2L, Rec2 + 49, "JT-JIDO-SU"),
            (r.Reason, r.Location.File, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        Assert.Contains($"JT-JIDO-SU is {shown}; JT-JIDO OCCURS 1 TO 10", r.Message, StringComparison.Ordinal);
        Assert.Equal(Fixed + (3 * Element), r.RawBytes.Length);
        Assert.Equal(4, results.Count(x => x.IsRecord)); // the trailer's count of 4 data records still holds
    }

    [Fact]
    public async Task Count_that_is_not_a_number_is_rejected_at_the_count_field()
    {
        var results = await Read(x => x[1][50] = 0xA3, "\u0015");
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.InvalidPacked, 2L, Rec2 + 50, "JT-JIDO-SU"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
    }

    [Fact]
    public async Task Record_shorter_than_its_count_says_names_the_moved_field_at_its_real_offset()
    {
        // 3 children: JT-GOKEI-GETSUGAKU at 51 + 93 = 144, JT-KOZA-NO at 149; cut inside JT-KOZA-NO.
        var results = await Read(x => x[1] = x[1][..152], "\u0015");
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.WrongRecordLength, 2L, Rec2 + 149, "JT-KOZA-NO"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        Assert.Equal(Rec2 + 153, results[2].Record!.Location.ByteOffset);
    }

    [Fact]
    public async Task Record_longer_than_its_count_says_is_rejected_at_its_first_extra_byte()
    {
        var results = await Read(x => x[1] = [.. x[1], 0x40, 0x40], "\u0015");
        Balanced(results, 5);
        var r = Assert.Single(results, x => !x.IsRecord).Reject!;
        Assert.Equal((RejectReasons.WrongRecordLength, 2L, Rec2 + Fixed + (3 * Element), "JT-KOZA-NO"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        Assert.Contains("2 byte(s) after the last field", r.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_last_variable_record()
    {
        var cut = await Read(x => { x.RemoveAt(4); x[3] = x[3][..100]; }, "");
        Balanced(cut, 4);
        var r = cut.Single(x => x.Reject?.Location.RecordNumber == 4).Reject!;
        // 2 children: JT-JIDO(2) is bytes 82–112 of the record, its name 82–101, cut at 100.
        var start = (long)Fixed * 3 + Element * (1 + 3 + 10);
        Assert.Equal((RejectReasons.TruncatedRecord, "JT-JIDO(2).JT-JIDO-SHIMEI", start + 82), (r.Reason, r.Location.Field, r.Location.ByteOffset));
        Assert.Equal(100, r.RawBytes.Length);
    }

    [Fact]
    public async Task Bad_count_without_terminators_rejects_the_rest_of_the_file_with_the_record()
    {
        using var files = new FixedLengthTestFiles();
        var records = Records("ibm930");
        Convert.FromHexString("099C").CopyTo(records[1], 49);
        var path = files.Write("JTJUKYU.dat", records);
        var results = await FixedLengthTestFiles.ReadAll(new FixedLengthAdapter(path, Layout(), "ibm930"));
        Assert.True(results[0].IsRecord);
        var r = results[1].Reject!;
        Assert.Equal((RejectReasons.OccursOutOfRange, 2L, (long)records[0].Length + 49, "JT-JIDO-SU"), (r.Reason, r.Location.RecordNumber, r.Location.ByteOffset, r.Location.Field));
        // Nothing lost: every byte after record 1 is in this reject.
        Assert.Equal(records.Skip(1).Sum(x => x.Length), r.RawBytes.Length);
        // The trailer went with it, which the file-level check reports.
        Assert.Equal(RejectReasons.ControlCountMismatch, Assert.Single(results, x => x.Reject?.Location.RecordNumber == 0).Reject!.Reason);
    }

    [Theory]
    [InlineData("001800     05  JT-GOKEI-GETSUGAKU", "001750     05  JT-JIDO-X REDEFINES JT-JIDO PIC X(31).\n001800     05  JT-GOKEI-GETSUGAKU", "REDEFINES")]
    [InlineData("DEPENDING ON JT-JIDO-SU.", "DEPENDING ON JT-NAI.    ", "no such elementary item")]
    [InlineData("DEPENDING ON JT-JIDO-SU.", "DEPENDING ON JT-KOZA-NO.", "before the first OCCURS")]
    [InlineData("DEPENDING ON JT-JIDO-SU.", "DEPENDING ON JT-SHIMEI. ", "integer item")]
    [InlineData("OCCURS 1 TO 10 TIMES", "OCCURS 10 TO 1 TIMES", "greater than the minimum")]
    [InlineData("DEPENDING ON JT-JIDO-SU.", ".                       ", "needs DEPENDING ON")]
    public void Malformed_OCCURS_DEPENDING_ON_names_the_line_of_the_table(string find, string replace, string message)
    {
        var e = Assert.Throws<LayoutException>(() => Layout(Jukyusha.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Contains(message, e.Reason, StringComparison.Ordinal);
        Assert.Equal(13, e.LineNumber);
    }

    [Fact]
    public void DEPENDING_ON_inside_another_table_is_refused()
    {
        var text = Jukyusha.Replace("001300     05  JT-JIDO     ", "001300     05  JT-JIDO-GRP OCCURS 2.\n001350       07  JT-JIDO ", StringComparison.Ordinal);
        var e = Assert.Throws<LayoutException>(() => Layout(text));
        Assert.Contains("inside the table JT-JIDO-GRP", e.Reason, StringComparison.Ordinal);
    }
}
