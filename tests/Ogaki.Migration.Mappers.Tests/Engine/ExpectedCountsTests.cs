using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Mappers.Tests.Engine;

/// <summary>The counts an extract announces: a file's own, else the sum over every one of its record types.</summary>
public class ExpectedCountsTests
{
    static ExpectedCounts Load(string file, string json)
    {
        var dir = Directory.CreateTempSubdirectory("expected");
        File.WriteAllText(Path.Combine(dir.FullName, file), json);
        return ExpectedCounts.Load(dir.FullName)!;
    }

    [Fact]
    public void A_file_count_wins_and_record_types_add_up_only_when_all_are_counted()
    {
        var c = Load(ExpectedCounts.FileName, """{"counts": {"opensys/JUMIN.dat": 10, "mainframe/ZEIMAST.dat:H": 1, "mainframe/ZEIMAST.dat:D": 7, "mainframe/ZEIMAST.dat:T": 1, "mainframe/ZEIMAST.dat:D:kazei-kbn-A": 5}}""");
        Assert.Equal(10, c.For("opensys/JUMIN.dat"));
        Assert.Equal(9, c.For("mainframe/ZEIMAST.dat", ["H", "D", "T"]));
        Assert.Null(c.For("mainframe/ZEIMAST.dat", ["H", "D", "T", "X"]));
        Assert.Null(c.For("csv/IDO_RIREKI.csv"));
        Assert.Equal(ExpectedCounts.FileName, c.File);
    }

    [Fact]
    public void A_real_extracts_counts_take_precedence_over_a_samples()
    {
        var dir = Directory.CreateTempSubdirectory("expected");
        File.WriteAllText(Path.Combine(dir.FullName, ExpectedCounts.SampleFileName), """{"counts": {"a": 1}}""");
        File.WriteAllText(Path.Combine(dir.FullName, ExpectedCounts.FileName), """{"counts": {"a": 2}}""");
        Assert.Equal(2, ExpectedCounts.Load(dir.FullName)!.For("a"));
        Assert.Null(ExpectedCounts.Load(Directory.CreateTempSubdirectory("none").FullName));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"counts": [1]}""")]
    [InlineData("""{"counts": {"a": -1}}""")]
    [InlineData("""{"counts": {"a": 1.5}}""")]
    [InlineData("""{"counts": {"a": "1"}}""")]
    [InlineData("{")]
    public void Malformed_counts_are_an_input_error_naming_the_file(string json)
    {
        var e = Assert.Throws<InputFormatException>(() => Load(ExpectedCounts.FileName, json));
        Assert.Equal(ExpectedCounts.FileName, e.File);
    }
}
