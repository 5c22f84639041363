using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>A record may be at most 1 MiB: a typo in a length is refused with its line, not allocated or overflowed.</summary>
public class LayoutLimitTests
{
    static string Copybook(params string[] items) =>
        string.Join("\n", new[] { "000100 01  R." }.Concat(items.Select((c, i) => $"{(i + 2) * 100:000000}     {c}"))) + "\n";

    [Fact]
    public void A_record_of_exactly_one_MiB_is_accepted()
    {
        var layout = CopybookParser.Parse(Copybook("05  A  PIC X(1048576)."), "max.cpy");
        Assert.Equal(LayoutLimits.MaxRecordLength, layout.Records[0].Length);
    }

    [Theory]
    [InlineData("05  A  PIC X(1048577).", 2)]
    [InlineData("05  A  PIC X(999999999).", 2)]
    [InlineData("05  A  PIC N(600000).", 2)]
    [InlineData("05  A  OCCURS 99999 TIMES.|   10  B  PIC X(99999).", 2)]
    [InlineData("05  A  OCCURS 2 TIMES.|   10  B  OCCURS 2 TIMES.|      15  C  PIC X(300000).", 2)]
    [InlineData("05  A  PIC X(1000000).|05  B  PIC X(100000).", 3)]
    public void A_longer_record_is_refused_naming_the_line(string items, int line)
    {
        var e = Assert.Throws<LayoutException>(() => CopybookParser.Parse(Copybook(items.Split('|')), "big.cpy"));
        Assert.Equal(line, e.LineNumber);
        Assert.Contains("at most 1,048,576 bytes", e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"big.cpy({line}): ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("record_type,name,offset,length,type\n,A,0,99999999,X\n")]
    [InlineData("record_type,name,offset,length,type,occurs\n,A,0,99999,X,99999\n")]
    [InlineData("record_type,name,offset,length,type\n,A,2147483000,10,X\n")]
    [InlineData("record_type,name,offset,length,type\n,A,0,,PIC X(2000000)\n")]
    public void A_layout_row_beyond_the_limit_is_refused(string text)
    {
        var e = Assert.Throws<LayoutException>(() => LayoutFileParser.Parse(text, "big.layout.csv"));
        Assert.Equal(2, e.LineNumber);
        Assert.Contains("at most 1,048,576 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_errors_are_input_format_errors()
    {
        var e = Assert.Throws<LayoutException>(() => CopybookParser.Parse(Copybook("05  A  PIC Q(3)."), "q.cpy"));
        var input = Assert.IsAssignableFrom<InputFormatException>(e);
        Assert.Equal(("q.cpy", 2L), (input.File, input.Line));
    }
}
