using Ogaki.Migration.Mappers;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Tests.Conversions;

public class WarekiConversionsTests
{
    [Theory]
    // 昭和 → 平成
    [InlineData("3640107", true, "1989-01-07")]
    [InlineData("3640108", false, null)]
    [InlineData("4010108", true, "1989-01-08")]
    [InlineData("4010107", false, null)]
    // 平成 → 令和
    [InlineData("4310430", true, "2019-04-30")]
    [InlineData("4310501", false, null)]
    [InlineData("5010501", true, "2019-05-01")]
    [InlineData("5010430", false, null)]
    // 明治 → 大正: the changeover day is valid in both eras
    [InlineData("1450729", true, "1912-07-29")]
    [InlineData("1450730", true, "1912-07-30")]
    [InlineData("1450731", false, null)]
    [InlineData("2010730", true, "1912-07-30")]
    [InlineData("2010729", false, null)]
    // 大正 → 昭和: likewise
    [InlineData("2151225", true, "1926-12-25")]
    [InlineData("2151226", false, null)]
    [InlineData("3011225", true, "1926-12-25")]
    [InlineData("3011224", false, null)]
    // non-existent days
    [InlineData("4050229", false, null)]   // 平成5年 = 1993, common year
    [InlineData("4040229", true, "1992-02-29")]
    [InlineData("3500230", false, null)]
    public void Era_coded_dates_parse_as_written_and_convert_only_when_real(string coded, bool exists, string? gregorian)
    {
        Assert.True(WarekiDate.TryParseEraCoded(coded, EraScheme.Digit, out var w));
        Assert.Equal(exists, w.Exists);
        Assert.Equal(coded, w.ToEraCoded());
        if (exists)
        {
            Assert.Equal(DateOnly.Parse(gregorian!, System.Globalization.CultureInfo.InvariantCulture), w.ToDateOnly());
        }
        else
        {
            Assert.False(w.TryToDateOnly(out _));
        }
    }

    [Theory]
    [InlineData("昭和64年1月7日", 3, 64, 1, 7, true)]
    [InlineData("平成元年1月8日", 4, 1, 1, 8, true)]
    [InlineData("平成31年4月30日", 4, 31, 4, 30, true)]
    [InlineData("令和元年5月1日", 5, 1, 5, 1, true)]
    [InlineData("明治45年7月30日", 1, 45, 7, 30, true)]
    [InlineData("大正元年7月30日", 2, 1, 7, 30, true)]
    [InlineData("大正15年12月25日", 2, 15, 12, 25, true)]
    [InlineData("昭和元年12月25日", 3, 1, 12, 25, true)]
    [InlineData("平成元年1月7日", 4, 1, 1, 7, false)]
    [InlineData("昭和６４年１月８日", 3, 64, 1, 8, false)]
    [InlineData("令和 5年 2月 29日", 5, 5, 2, 29, false)]
    public void Japanese_text_dates_parse_without_correction(string text, int era, int year, int month, int day, bool exists)
    {
        Assert.True(WarekiDate.TryParseJapanese(text, out var w));
        Assert.Equal(new WarekiDate(era, year, month, day), w);
        Assert.Equal(exists, w.Exists);
    }

    [Theory]
    [InlineData("昭和20年頃", 3, 20, 0)]
    [InlineData("年月日不詳", 0, 0, 0)]
    [InlineData("令和○○年頃", 5, 0, 0)]
    [InlineData("平成3年5月上旬", 4, 3, 5)]
    [InlineData("推定昭和30年", 0, 0, 0)]
    [InlineData("昭和30年4月1日から4月10日までの間", 3, 30, 4)]
    public void Unknown_text_is_kept_as_fushou_with_the_parts_it_names(string text, int era, int year, int month)
    {
        Assert.True(WarekiDate.TryParseJapanese(text, out var w));
        Assert.True(w.IsUnknown);
        Assert.Equal(text, w.UnknownText);
        Assert.Equal((era, year, month, 0), (w.Era, w.Year, w.Month, w.Day));
        Assert.False(w.Exists);
        Assert.Equal(text, w.ToJapanese());
    }

    [Fact]
    public void Unknown_text_longer_than_72_characters_is_refused()
    {
        Assert.False(WarekiDate.TryParseJapanese(new string('不', 73), out _));
        Assert.False(WarekiDate.TryParseJapanese("  \u3000 ", out _));
    }

    [Theory]
    [InlineData("1989-01-07", "S64.01.07")]
    [InlineData("1989-01-08", "H01.01.08")]
    [InlineData("2019-04-30", "H31.04.30")]
    [InlineData("2019-05-01", "R01.05.01")]
    [InlineData("1912-07-30", "T01.07.30")]
    [InlineData("1926-12-25", "S01.12.25")]
    public void Gregorian_to_wareki_takes_the_new_era_on_changeover_days(string iso, string canonical)
    {
        var w = WarekiDate.FromGregorian(DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(canonical, w.ToString());
        Assert.Equal(iso, w.ToDateOnly().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Changeover_days_have_their_old_era_form()
    {
        Assert.Equal(new WarekiDate(1, 45, 7, 30), new WarekiDate(2, 1, 7, 30).InPreviousEra());
        Assert.Equal(new WarekiDate(2, 15, 12, 25), new WarekiDate(3, 1, 12, 25).InPreviousEra());
        Assert.Null(new WarekiDate(4, 1, 1, 8).InPreviousEra());   // 昭和64年1月8日 does not exist
        Assert.Null(new WarekiDate(5, 1, 5, 1).InPreviousEra());   // 平成31年5月1日 does not exist
    }

    [Theory]
    [InlineData("S640107", EraScheme.Letter, "S64.01.07")]
    [InlineData("R010501", EraScheme.Letter, "R01.05.01")]
    [InlineData("5640107", EraScheme.Odd, "S64.01.07")]
    [InlineData("7010108", EraScheme.Odd, "H01.01.08")]
    [InlineData("9010501", EraScheme.Odd, "R01.05.01")]
    public void Other_era_schemes_map_explicitly(string coded, EraScheme scheme, string canonical)
    {
        Assert.True(WarekiDate.TryParseEraCoded(coded, scheme, out var w));
        Assert.Equal(canonical, w.ToString());
        Assert.Equal(coded, w.ToEraCoded(scheme));
    }

    [Theory]
    [InlineData("6640107", EraScheme.Digit)]
    [InlineData("0640107", EraScheme.Digit)]
    [InlineData("2640107", EraScheme.Odd)]
    [InlineData("X640107", EraScheme.Letter)]
    [InlineData("364010", EraScheme.Digit)]
    [InlineData("36401A7", EraScheme.Digit)]
    public void Malformed_era_coded_text_is_refused(string coded, EraScheme scheme) =>
        Assert.False(WarekiDate.TryParseEraCoded(coded, scheme, out _));

    [Fact]
    public void Zero_parts_are_kept_as_fushou()
    {
        Assert.True(WarekiDate.TryParseEraCoded("3200000", EraScheme.Digit, out var w));
        Assert.True(w.IsUnknown);
        Assert.Equal((3, 20, 0, 0), (w.Era, w.Year, w.Month, w.Day));
    }

    [Theory]
    [InlineData("3640107", true, null)]
    [InlineData("4050229", false, MappingRejectReasons.ImpossibleDate)]
    [InlineData("4010107", false, MappingRejectReasons.ImpossibleDate)]
    [InlineData("3200000", false, MappingRejectReasons.InvalidDate)]
    [InlineData("1051230", false, MappingRejectReasons.InvalidDate)]    // 明治5年12月30日: a lunisolar day, real but not Gregorian
    [InlineData("1051231", false, MappingRejectReasons.ImpossibleDate)] // 明治5年12月31日: lunisolar months had at most 30 days
    [InlineData("1060101", true, null)]                                 // 明治6年1月1日: the first Gregorian day
    public void Date_items_reject_what_wareki_items_keep(string coded, bool dateOk, string? reason)
    {
        Assert.True(WarekiDate.TryParseEraCoded(coded, EraScheme.Digit, out var w));
        Assert.True(DateItems.TryForWarekiItem(w, out var kept, out _));
        Assert.Equal(w, kept);
        Assert.Equal(dateOk, DateItems.TryForDateItem(w, out _, out var failure));
        Assert.Equal(reason, dateOk ? null : failure.Reason);
    }

    [Fact]
    public void Unknown_text_is_kept_in_wareki_items_and_rejected_in_date_items()
    {
        Assert.True(WarekiDate.TryParseJapanese("昭和20年頃", out var w));
        Assert.True(DateItems.TryForWarekiItem(w, out var kept, out _));
        Assert.Equal("昭和20年頃", kept.UnknownText);
        Assert.False(DateItems.TryForDateItem(w, out _, out var f));
        Assert.Equal(MappingRejectReasons.InvalidDate, f.Reason);
    }

    [Fact]
    public void Gregorian_input_keeps_a_non_existent_day_in_wareki_items_only()
    {
        Assert.True(DateItems.TryForWarekiItem(2023, 2, 29, out var w, out _));
        Assert.Equal("R05.02.29", w.ToString());
        Assert.False(w.Exists);
        Assert.False(DateItems.TryForDateItem(2023, 2, 29, out _, out var f));
        Assert.Equal(MappingRejectReasons.ImpossibleDate, f.Reason);
        Assert.True(DateItems.TryForDateItem(2024, 2, 29, out var d, out _));
        Assert.Equal(new DateOnly(2024, 2, 29), d);
    }

    [Theory]
    [InlineData("20240405", true)]
    [InlineData("2024-04-05", true)]
    [InlineData("2024/04/05", true)]
    [InlineData("2024/04-05", false)] // separators must agree
    [InlineData("2024.04.05", false)]
    [InlineData("2024045", false)]
    public void Gregorian_text_takes_three_written_forms(string text, bool ok)
    {
        Assert.Equal(ok, WarekiConversions.TryParseGregorian(text, out var y, out var m, out var d));
        if (ok) Assert.Equal((2024, 4, 5), (y, m, d));
    }
}
