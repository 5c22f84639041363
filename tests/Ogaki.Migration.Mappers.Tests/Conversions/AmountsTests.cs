using Ogaki.Migration.Mappers;
using Ogaki.Migration.Mappers.Conversions;

namespace Ogaki.Migration.Mappers.Tests.Conversions;

public class AmountsTests
{
    [Theory]
    [InlineData(new byte[] { 0x01, 0x23, 0x4C }, 0, "1234")]
    [InlineData(new byte[] { 0x12, 0x34, 0x5D }, 2, "-123.45")]
    [InlineData(new byte[] { 0x00, 0x0F }, 0, "0")]
    [InlineData(new byte[] { 0x99, 0x99, 0x99, 0x99, 0x99, 0x9C }, 0, "99999999999")]
    [InlineData(new byte[] { 0x5B }, 0, "-5")]
    [InlineData(new byte[] { 0x5A }, 0, "5")]
    public void Packed_decimal_is_exact(byte[] bytes, int scale, string expected)
    {
        Assert.True(Amounts.TryFromPacked(bytes, scale, out var v, out _));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x34, 0x59 })]
    [InlineData(new byte[] { 0x1A, 0x3C })]
    [InlineData(new byte[] { 0xA1, 0x3C })]
    [InlineData(new byte[0])]
    public void Packed_decimal_with_invalid_nibbles_fails(byte[] bytes)
    {
        Assert.False(Amounts.TryFromPacked(bytes, 0, out _, out var f));
        Assert.Equal(MappingRejectReasons.InvalidAmount, f.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xF1, 0xF2, 0xC3 }, ZonedCharset.Ebcdic, "123")]
    [InlineData(new byte[] { 0xF1, 0xF2, 0xD3 }, ZonedCharset.Ebcdic, "-123")]
    [InlineData(new byte[] { 0xF1, 0xF2, 0xF3 }, ZonedCharset.Ebcdic, "123")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', (byte)'3' }, ZonedCharset.Ascii, "123")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', (byte)'C' }, ZonedCharset.Ascii, "123")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', (byte)'L' }, ZonedCharset.Ascii, "-123")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', (byte)'}' }, ZonedCharset.Ascii, "-120")]
    [InlineData(new byte[] { (byte)'1', (byte)'2', 0x73 }, ZonedCharset.Ascii, "-123")]
    public void Zoned_decimal_is_exact(byte[] bytes, ZonedCharset charset, string expected)
    {
        Assert.True(Amounts.TryFromZoned(bytes, 0, charset, out var v, out _));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData(new byte[] { 0xC1, 0xF2, 0xC3 }, ZonedCharset.Ebcdic)]
    [InlineData(new byte[] { 0xF1, 0xFA }, ZonedCharset.Ebcdic)]
    [InlineData(new byte[] { 0xF1, 0x33 }, ZonedCharset.Ebcdic)]
    [InlineData(new byte[] { (byte)'1', (byte)'A', (byte)'3' }, ZonedCharset.Ascii)]
    [InlineData(new byte[] { (byte)'1', (byte)'Z' }, ZonedCharset.Ascii)]
    public void Zoned_decimal_with_invalid_bytes_fails(byte[] bytes, ZonedCharset charset) =>
        Assert.False(Amounts.TryFromZoned(bytes, 0, charset, out _, out _));

    [Theory]
    [InlineData("1234", "1234")]
    [InlineData("1,234,567", "1234567")]
    [InlineData("－１，２３４", "-1234")]
    [InlineData("▲500", "-500")]
    [InlineData("3,000円", "3000")]
    [InlineData("  42  ", "42")]
    [InlineData("0.10", "0.10")]
    public void Text_amounts_are_exact(string text, string expected)
    {
        Assert.True(Amounts.TryFromText(text, out var v, out _));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData("12,34")]
    [InlineData("1,2345")]
    [InlineData("1.2.3")]
    [InlineData("1e5")]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData("1.")]
    public void Malformed_text_amounts_fail(string text) => Assert.False(Amounts.TryFromText(text, out _, out _));

    [Fact]
    public void Blank_text_is_no_amount()
    {
        Assert.True(Amounts.TryFromText("   ", out var v, out _));
        Assert.Null(v);
    }

    [Fact]
    public void Whole_yen_check()
    {
        Assert.True(Amounts.IsWholeYen(1234m));
        Assert.True(Amounts.IsWholeYen(1234.00m));
        Assert.False(Amounts.IsWholeYen(12.34m));
    }
}
