using System.Globalization;

namespace Ogaki.Migration.Spec.Tests;

public class SpecTextTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(-10L)]
    [InlineData(999_999_999L)]
    [InlineData(1_000_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Digits_of_a_whole_number_are_the_digits_it_prints_without_its_sign(long value) =>
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture).TrimStart('-').Length, SpecText.DigitCount(value));

    [Fact]
    public void Digits_of_an_amount_count_its_integer_part_only_up_to_the_largest_decimal()
    {
        decimal[] amounts = [0m, 0.99m, -0.5m, 9.999m, 10m, -10.01m, 99_999_999_999.99m, 100_000_000_000m, decimal.MaxValue, decimal.MinValue,
            79_228_162_514_264_337_593_543_950_334m, 10_000_000_000_000_000_000_000_000_000m, 9_999_999_999_999_999_999_999_999_999m];
        foreach (var a in amounts)
            Assert.Equal(decimal.Truncate(Math.Abs(a)).ToString(CultureInfo.InvariantCulture).Length, SpecText.DigitCount(a));
        var random = new Random(5);
        for (var i = 0; i < 10_000; i++)
        {
            var a = new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29));
            Assert.Equal(decimal.Truncate(Math.Abs(a)).ToString(CultureInfo.InvariantCulture).Length, SpecText.DigitCount(a));
        }
    }

    [Theory]
    [InlineData(' ', '~')]
    [InlineData('\u0300', '\uFE0F')]
    [InlineData('\uDB80', '\uF8FF')]
    [InlineData('\0', '\uFFFF')]
    [InlineData('A', 'A')]
    public void A_char_range_holds_exactly_the_characters_from_low_to_high(char low, char high)
    {
        var range = SpecText.CharRange(low, high);
        for (var c = 0; c <= char.MaxValue; c++)
            Assert.True(range.Contains((char)c) == (c >= low && c <= high), $"U+{c:X4}");
    }

    [Fact]
    public void Length_counts_text_elements_only_when_the_text_holds_combining_marks_or_surrogates()
    {
        Assert.Equal(4, SpecText.Length("0123"));
        Assert.Equal(3, SpecText.Length("髙橋𠮷"));           // a surrogate pair counts once
        Assert.Equal(2, SpecText.Length("葛\U000E0100城"));   // an ideographic variation selector joins its base
        Assert.Equal(2, SpecText.Length("か\u3099き"));       // a combining voiced mark joins its kana
        Assert.Equal(5, SpecText.Length("ｶﾞｷﾞｸ"));             // half-width voiced marks are characters of their own
    }
}
