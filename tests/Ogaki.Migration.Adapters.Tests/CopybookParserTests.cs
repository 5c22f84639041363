using Ogaki.Migration.Adapters.Layouts;

namespace Ogaki.Migration.Adapters.Tests;

public class CopybookParserTests
{
    static string Fixed(params string[] code) =>
        string.Join("\n", code.Select((c, i) => c.StartsWith('*') ? $"{(i + 1) * 100:000000}{c}" : $"{(i + 1) * 100:000000} {c}"));

    [Fact]
    public void Parses_record_types_offsets_and_kinds()
    {
        var layout = CopybookParser.Parse(CopybookSamples.TaxMaster, "ZEIMAST.cpy", "ZEIMAST");
        Assert.Equal(["ZM-HEADER", "ZM-DATA", "ZM-TRAILER"], layout.Records.Select(r => r.Name));
        Assert.Equal("ZM-REC-KBN", layout.SelectorField);
        Assert.Equal((0, 1), (layout.SelectorOffset, layout.SelectorLength));
        Assert.All(layout.Records, r => Assert.Equal(80, r.Length));
        var header = layout.Records[0];
        Assert.Equal(RecordRole.Header, header.Role);
        Assert.Equal(["0"], header.SelectorValues);
        var data = layout.FindRecord("ZM-DATA")!;
        Assert.Equal(["1"], data.SelectorValues);
        Assert.Equal(["ZM-REC-KBN", "ZM-DATA"], data.Fields.Select(f => f.Name));
        var kana = data.Find("ZM-D-SHIMEI-KANA")!;
        Assert.Equal((11, 10, FieldKind.Alphanumeric), (kana.Offset, kana.Length, kana.Kind));
        var shimei = data.Find("ZM-DATA.ZM-D-SHIMEI")!;
        Assert.Equal((21, 10, FieldKind.National), (shimei.Offset, shimei.Length, shimei.Kind));
        var zei = data.Find("ZM-D-ZEIGAKU")!;
        Assert.Equal((35, 5, FieldKind.Packed, 9, 0, true), (zei.Offset, zei.Length, zei.Kind, zei.Digits, zei.Scale, zei.Signed));
        var getsu = data.Find("ZM-D-GETSUWARI")!;
        Assert.Equal((40, 5, 3, 2), (getsu.Offset, getsu.Length, getsu.Occurs, getsu.Scale));
        var ki = data.Find("ZM-D-KIBETSU")!;
        Assert.Equal((55, 5, 2, FieldKind.Group), (ki.Offset, ki.Length, ki.Occurs, ki.Kind));
        Assert.Equal(["ZM-D-KI-NO", "ZM-D-KI-GAKU"], ki.Children.Select(c => c.Name));
        Assert.Equal(57, ki.Children[1].Offset);
        var chosei = data.Find("ZM-D-CHOSEI")!;
        Assert.Equal((65, 5, FieldKind.Zoned, true), (chosei.Offset, chosei.Length, chosei.Kind, chosei.Signed));
        var kensu = data.Find("ZM-D-KENSU")!;
        Assert.Equal((70, 2, FieldKind.Binary), (kensu.Offset, kensu.Length, kensu.Kind));
        var trailer = layout.Records[2];
        Assert.Equal((RecordRole.Trailer, "ZM-T-KENSU", "ZM-T-GOKEI", "ZM-D-ZEIGAKU"), (trailer.Role, trailer.CountField, trailer.TotalField, trailer.TotalOfField));
        Assert.Equal(["9"], trailer.SelectorValues);
        Assert.Null(header.Find("ZM-D-ZEIGAKU"));
        Assert.DoesNotContain(data.Find("ZM-DATA")!.Children, f => f.Name == "FILLER");
    }

    [Fact]
    public void Several_01_records_use_the_selector_fields_value_clause()
    {
        var cpy = Fixed(
            "*@SELECTOR REC-TYPE",
            "01  HDR-REC.",
            "    05  REC-TYPE   PIC X VALUE 'H'.",
            "    05  HDR-DATE   PIC 9(8).",
            "01  DTL-REC.",
            "    05  DTL-TYPE   PIC X VALUE 'D'.",
            "    05  DTL-NAME   PIC X(20).",
            "    05  DTL-AMOUNT PIC S9(7)V99 PACKED-DECIMAL.");
        // DTL-REC has no field called REC-TYPE: its value comes from the 01's own selector position via a directive.
        var ex = Assert.Throws<LayoutException>(() => CopybookParser.Parse(cpy, "two.cpy"));
        Assert.Contains("DTL-REC has no selector value", ex.Message, StringComparison.Ordinal);
        var ok = CopybookParser.Parse(cpy.Replace("*@SELECTOR REC-TYPE", "*@SELECTOR REC-TYPE\n000050*@RECORD HDR-REC HEADER\n000060*@RECORD DTL-REC VALUE 'D'", StringComparison.Ordinal), "two.cpy");
        Assert.Equal(["H"], ok.Records[0].SelectorValues);
        Assert.Equal(["D"], ok.Records[1].SelectorValues);
        Assert.Equal(9, ok.Records[0].Length);
        Assert.Equal(26, ok.Records[1].Length);
    }

    [Fact]
    public void Fragment_without_01_gets_an_implicit_record_and_tolerates_77_66_and_values()
    {
        var cpy = Fixed(
            "*> a fragment, included under an 01 by the program",
            "05  A-NAME       PIC X(10) VALUE SPACES.",
            "05  A-CODE       PIC 9(3)  VALUE ZERO.",
            "    88  A-OK     VALUES 1 THRU 5, 9.",
            "05  A-AMT        PIC S9(5)V9(2) SIGN LEADING SEPARATE.",
            "05  A-DATE-X     PIC X(8).",
            "05  A-DATE-N     REDEFINES A-DATE-X PIC 9(8).",
            "66  A-ALIAS      RENAMES A-NAME THRU A-CODE.",
            "77  W-COUNTER    PIC 9(4) COMP.");
        var layout = CopybookParser.Parse(cpy, "frag.cpy", "FRAG");
        var r = Assert.Single(layout.Records);
        Assert.Equal("FRAG", r.Name);
        Assert.Equal(["A-NAME", "A-CODE", "A-AMT", "A-DATE-X"], r.Fields.Select(f => f.Name));
        Assert.Equal(10 + 3 + 8 + 8, r.Length);
        var amt = r.Find("A-AMT")!;
        Assert.Equal((13, 8, 7, 2, true, true), (amt.Offset, amt.Length, amt.Digits, amt.Scale, amt.SignSeparate, amt.SignLeading));
        Assert.Equal(["1", "5", "9"], r.Find("A-CODE")!.Conditions.Single().Value);
    }

    [Theory]
    [InlineData("01  R.|    05  A  PIC X(10)|    05  B  PIC X.", 3, "Unexpected word '05'")]
    [InlineData("01  R.|    05  A  PIC Q(10).", 2, "Invalid character 'Q'")]
    [InlineData("01  R.|    05  A  PIC 9(5).|        10  B PIC X.", 3, "A has a PICTURE and cannot have subordinate items")]
    [InlineData("01  R.|    05  A.|    05  B PIC X.", 2, "A has neither a PICTURE nor subordinate items")]
    [InlineData("01  R.|    05  A  PIC X.|    05  B  REDEFINES Z PIC X.", 3, "REDEFINES Z")]
    [InlineData("01  R.|    05  A  PIC S9(5) COMP-1.", 2, "floating point")]
    [InlineData("01  R.|    05  N  PIC 9(2).|    05  A  PIC X OCCURS 1 TO 5 DEPENDING ON M.", 3, "DEPENDING ON M")]
    [InlineData("01  R.|    5O  A  PIC X.", 2, "Expected a level number")]
    [InlineData("01  R.|    55  A  PIC X.", 2, "Invalid level number")]
    [InlineData("01  R.|    05  A  PIC 9(3)P.", 2, "symbol P")]
    [InlineData("01  R.|    05  A  PIC X VALUE 'abc.", 2, "Unterminated literal")]
    [InlineData("01  R.|    05  A  PIC X(3) COMP-3.", 2, "COMP-3 needs a numeric PICTURE")]
    public void Malformed_copybook_names_the_line(string code, int line, string message)
    {
        var ex = Assert.Throws<LayoutException>(() => CopybookParser.Parse(Fixed(code.Split('|')), "bad.cpy"));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.cpy({line}): ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_indicator_and_bad_directive_name_the_line()
    {
        var ex = Assert.Throws<LayoutException>(() => CopybookParser.Parse("000100 01  R.\n000200X    05  A PIC X.\n", "x.cpy"));
        Assert.Equal(2, ex.LineNumber);
        ex = Assert.Throws<LayoutException>(() => CopybookParser.Parse("000100*@SELECT R\n000200 01  R.\n000300     05  A PIC X.\n", "x.cpy"));
        Assert.Equal(1, ex.LineNumber);
        ex = Assert.Throws<LayoutException>(() => CopybookParser.Parse("000100*@RECORD NOPE VALUE 'A'\n000200 01  R.\n000300     05  A PIC X.\n", "x.cpy"));
        Assert.Equal(1, ex.LineNumber);
    }

    [Fact]
    public void Sequence_area_and_columns_73_to_80_are_ignored()
    {
        var cpy = "ZEI001 01  R.".PadRight(72) + "IGNORED1\n" + "ZEI002     05  A  PIC X(12).".PadRight(72) + "IGNORED.\n";
        var r = Assert.Single(CopybookParser.Parse(cpy, "seq.cpy").Records);
        Assert.Equal(12, r.Length);
    }

    [Fact]
    public void Layout_file_parses_types_positions_and_record_types()
    {
        var layout = LayoutFileParser.Parse(CopybookSamples.ResidentLayout, "JUMIN.layout.csv", "JUMIN");
        var r = Assert.Single(layout.Records);
        Assert.Equal(RecordTerminator.CrLf, layout.Terminator);
        Assert.Equal(68, r.Length);
        Assert.Equal(["ATENA-NO", "SHIMEI-KANA", "SHIMEI", "SEIBETSU", "SEINENGAPPI", "ZEIGAKU"], r.Fields.Select(f => f.Name));
        var zei = r.Find("ZEIGAKU")!;
        Assert.Equal((58, 8, FieldKind.Zoned, 8, 2, true), (zei.Offset, zei.Length, zei.Kind, zei.Digits, zei.Scale, zei.Signed));
        Assert.Equal("宛名番号", r.Find("ATENA-NO")!.Notes);

        var multi = LayoutFileParser.Parse("""
            #@SELECTOR KBN
            #@RECORD T TRAILER COUNT T-KENSU
            record_type,name,position,length,type
            ,KBN,1,1,X
            D,D-NAME,2,10,X
            D,D-AMT,12,,S9(7)V99 COMP-3
            T,T-KENSU,2,7,9
            T,FILLER,9,9,filler
            """, "multi.layout.csv");
        Assert.Equal(["D", "T"], multi.Records.Select(x => x.Name));
        Assert.Equal((16, 17), (multi.Records[0].Length, multi.Records[1].Length));
        Assert.Equal(FieldKind.Packed, multi.Records[0].Find("D-AMT")!.Kind);
        Assert.Equal((11, 5, 2), (multi.Records[0].Find("D-AMT")!.Offset, multi.Records[0].Find("D-AMT")!.Length, multi.Records[0].Find("D-AMT")!.Scale));
        Assert.Equal(RecordRole.Trailer, multi.Records[1].Role);
    }

    [Theory]
    [InlineData("name,offset,length,type\nA,0,10,Q", 2, "Invalid character 'Q'")]
    [InlineData("name,offset,length,type\nA,x,10,X", 2, "offset must be a whole number")]
    [InlineData("name,length,type\nA,10,X", 1, "neither 'offset'")]
    [InlineData("name,offset,length,type\nA,0,3,N", 2, "even length")]
    [InlineData("name,offset,length,type\nA,0,3,X(4)", 2, "does not match PICTURE")]
    [InlineData("name,offset,length,type,scale\nA,0,3,9,4", 2, "scale 4")]
    [InlineData("record_type,name,offset,length,type\nD,A,0,3,X", 2, "#@SELECTOR")]
    public void Malformed_layout_file_names_the_line(string text, int line, string message)
    {
        var ex = Assert.Throws<LayoutException>(() => LayoutFileParser.Parse(text, "bad.layout.csv"));
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
