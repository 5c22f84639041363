namespace Ogaki.Migration.Spec.Tests;

public class WarekiDateTests
{
    [Theory]
    [InlineData(3, 64, 1, 7, "1989-01-07")]   // 昭和64年1月7日, last day of 昭和
    [InlineData(4, 1, 1, 8, "1989-01-08")]    // 平成元年1月8日
    [InlineData(4, 31, 4, 30, "2019-04-30")]  // 平成31年4月30日
    [InlineData(5, 1, 5, 1, "2019-05-01")]    // 令和元年5月1日
    [InlineData(1, 45, 7, 30, "1912-07-30")]  // 明治45年7月30日, changeover day kept in the old era
    [InlineData(2, 1, 7, 30, "1912-07-30")]   // 大正元年7月30日
    [InlineData(2, 15, 12, 25, "1926-12-25")] // 大正15年12月25日
    [InlineData(3, 1, 12, 25, "1926-12-25")]  // 昭和元年12月25日
    [InlineData(4, 4, 2, 29, "1992-02-29")]   // leap day
    public void Real_dates_convert_to_gregorian(int era, int y, int m, int d, string iso)
    {
        var w = new WarekiDate(era, y, m, d);
        Assert.True(w.Exists);
        Assert.Equal(DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture), w.ToDateOnly());
    }

    [Theory]
    [InlineData(3, 64, 1, 8)]   // 昭和64年1月8日 is 平成
    [InlineData(4, 1, 1, 7)]    // 平成元年1月7日 is 昭和 (.NET accepts it; we do not)
    [InlineData(4, 31, 5, 1)]   // 平成31年5月1日 is 令和
    [InlineData(5, 1, 4, 30)]   // 令和元年4月30日 is 平成
    [InlineData(1, 45, 7, 31)]  // 明治45年7月31日 is 大正
    [InlineData(3, 1, 12, 24)]  // 昭和元年12月24日 is 大正
    [InlineData(4, 5, 2, 29)]   // 1993 is not a leap year
    [InlineData(5, 5, 2, 30)]   // 2月30日 never exists
    [InlineData(5, 5, 4, 31)]
    public void Non_existent_dates_are_kept_as_written_and_never_converted(int era, int y, int m, int d)
    {
        var w = new WarekiDate(era, y, m, d);
        Assert.True(w.IsWellFormed);
        Assert.False(w.Exists);
        Assert.False(w.TryToDateOnly(out _));
        Assert.Equal((era, y, m, d), (w.Era, w.Year, w.Month, w.Day)); // not "fixed"
        Assert.Equal(w, WarekiDate.Parse(w.ToString()));
    }

    [Fact]
    public void Gregorian_dates_take_the_new_era_on_changeover_days()
    {
        Assert.Equal(new WarekiDate(2, 1, 7, 30), WarekiDate.FromDate(new DateOnly(1912, 7, 30)));
        Assert.Equal(new WarekiDate(3, 64, 1, 7), WarekiDate.FromDate(new DateOnly(1989, 1, 7)));
        Assert.Equal(new WarekiDate(4, 1, 1, 8), WarekiDate.FromDate(new DateOnly(1989, 1, 8)));
        Assert.Equal(new WarekiDate(5, 1, 5, 1), WarekiDate.FromDate(new DateOnly(2019, 5, 1)));
        Assert.Equal("令和元年5月1日", WarekiDate.FromDate(new DateOnly(2019, 5, 1)).ToJapanese());
        Assert.Equal("昭和64年1月7日", new WarekiDate(3, 64, 1, 7).ToJapanese());
    }

    [Fact]
    public void Unknown_dates_keep_their_text_and_round_trip_through_canonical_form()
    {
        var w = new WarekiDate(3, 20, 0, 0, "昭和20年頃");
        Assert.True(w.IsUnknown);
        Assert.True(w.IsWellFormed);
        Assert.False(w.Exists);
        Assert.Equal("S20.00.00~昭和20年頃", w.ToString());
        Assert.Equal(w, WarekiDate.Parse("S20.00.00~昭和20年頃"));
        Assert.Equal("昭和20年頃", w.ToJapanese());
        var none = new WarekiDate(0, 0, 0, 0, "年月日不詳");
        Assert.Equal(none, WarekiDate.Parse(none.ToString()));
        Assert.False(new WarekiDate(3, 20, 0, 0).IsWellFormed); // unknown parts need 不詳 text
        Assert.False(new WarekiDate(3, 20, 1, 1, new string('あ', 73)).IsWellFormed);
    }

    [Fact]
    public void Lunisolar_days_exist_without_a_gregorian_date()
    {
        var last = new WarekiDate(1, 5, 12, 30); // 明治5年12月30日, the day before 明治6年1月1日 = 1873-01-01
        Assert.True(last.Exists);
        Assert.False(last.TryToDateOnly(out _));
        Assert.False(new WarekiDate(1, 5, 12, 31).Exists);
        Assert.Equal(new DateOnly(1873, 1, 1), new WarekiDate(1, 6, 1, 1).ToDateOnly());
    }

    [Theory]
    [InlineData("3640107", 3, 64, 1, 7, true)]
    [InlineData("4010108", 4, 1, 1, 8, true)]
    [InlineData("5050230", 5, 5, 2, 30, false)]
    public void Era_coded_legacy_dates_parse_without_correction(string s, int era, int y, int m, int d, bool exists)
    {
        Assert.True(WarekiDate.TryParseEraCoded(s, out var w));
        Assert.Equal(new WarekiDate(era, y, m, d), w);
        Assert.Equal(exists, w.Exists);
    }

    [Theory]
    [InlineData("6010101")]
    [InlineData("0640107")]
    [InlineData("364010")]
    [InlineData("36401O7")]
    [InlineData("3641307")]
    public void Malformed_era_codes_are_refused(string s) => Assert.False(WarekiDate.TryParseEraCoded(s, out _));
}
