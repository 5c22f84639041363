using Ogaki.Migration.Adapters.Encodings;

namespace Ogaki.Migration.Adapters.Tests;

public class EncodingDecimalTests
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData("01 23 4C", 0, "1234")]
    [InlineData("12 34 5D", 2, "-123.45")]
    [InlineData("12 34 5F", 0, "12345")]
    [InlineData("12 34 5A", 0, "12345")]
    [InlineData("12 34 5E", 0, "12345")]
    [InlineData("12 34 5B", 1, "-1234.5")]
    [InlineData("00 00 0C", 2, "0.00")]
    [InlineData("0D", 0, "0")]
    [InlineData("09 99 99 99 99 99 99 99 99 99 99 99 99 99 9C", 2, "99999999999999999999999999.99")]
    public void Packed_decodes(string hex, int scale, string expected)
    {
        Assert.True(PackedDecimal.TryDecode(Hex(hex), scale, out var v));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
        Assert.Equal(expected.TrimStart('-'), Math.Abs(v).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("12 34 58", 2)]
    [InlineData("12 34 50", 2)]
    [InlineData("1A 34 5C", 0)]
    [InlineData("12 F4 5C", 1)]
    [InlineData("12 34 AC", 2)]
    public void Packed_rejects_bad_nibbles_with_offset(string hex, int badOffset)
    {
        Assert.False(PackedDecimal.TryDecode(Hex(hex), 0, out _, out var at));
        Assert.Equal(badOffset, at);
    }

    [Theory]
    [InlineData("1234", 7, 0, "00 01 23 4C")]
    [InlineData("1234", 4, 0, "01 23 4C")]
    [InlineData("-123.45", 5, 2, "12 34 5D")]
    [InlineData("-0.00", 3, 2, "00 0C")]
    public void Packed_encodes(string value, int digits, int scale, string hex)
    {
        var buf = new byte[PackedDecimal.ByteLength(digits)];
        PackedDecimal.Encode(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), digits, scale, buf);
        Assert.Equal(Hex(hex), buf);
    }

    [Fact]
    public void Packed_encode_refuses_overflow_and_rounding()
    {
        var buf = new byte[3];
        Assert.Throws<OverflowException>(() => PackedDecimal.Encode(100000m, 5, 0, buf));
        Assert.Throws<ArgumentException>(() => PackedDecimal.Encode(1.234m, 5, 2, buf));
        Assert.Throws<OverflowException>(() => PackedDecimal.Encode(-1m, 5, 0, buf, unsigned: true));
    }

    [Theory]
    [InlineData("F1 F2 C3", 0, "123")]
    [InlineData("F1 F2 D3", 0, "-123")]
    [InlineData("F1 F2 F3", 1, "12.3")]
    [InlineData("31 32 33", 0, "123")]
    [InlineData("31 32 73", 0, "-123")]
    [InlineData("31 32 4C", 0, "-123")]
    [InlineData("31 32 43", 0, "123")]
    [InlineData("31 32 7D", 0, "-120")]
    public void Zoned_decodes(string hex, int scale, string expected)
    {
        Assert.True(ZonedDecimal.TryDecode(Hex(hex), scale, out var v));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Theory]
    [InlineData("F1 40 C3", ZonedSign.Ebcdic, 1)]
    [InlineData("F1 F2 33", ZonedSign.Ebcdic, 2)]
    [InlineData("F1 FA C3", ZonedSign.Ebcdic, 1)]
    [InlineData("F1 F2 83", ZonedSign.Ebcdic, 2)]
    [InlineData("31 20 33", ZonedSign.AsciiMicroFocus, 1)]
    [InlineData("31 32 20", ZonedSign.AsciiMicroFocus, 2)]
    [InlineData("F1 F2 F3", ZonedSign.AsciiMicroFocus, 0)]
    [InlineData("31 32 4C", ZonedSign.AsciiMicroFocus, 2)]
    [InlineData("31 32 73", ZonedSign.AsciiOverpunch, 2)]
    public void Zoned_rejects_non_numeric_with_offset(string hex, ZonedSign sign, int badOffset)
    {
        Assert.False(ZonedDecimal.TryDecode(Hex(hex), 0, sign, out _, out var at));
        Assert.Equal(badOffset, at);
    }

    [Theory]
    [InlineData("-123", ZonedSign.Ebcdic, true, "F1 F2 D3")]
    [InlineData("123", ZonedSign.Ebcdic, true, "F1 F2 C3")]
    [InlineData("123", ZonedSign.Ebcdic, false, "F1 F2 F3")]
    [InlineData("-123", ZonedSign.AsciiMicroFocus, true, "31 32 73")]
    [InlineData("-120", ZonedSign.AsciiOverpunch, true, "31 32 7D")]
    [InlineData("123", ZonedSign.AsciiOverpunch, true, "31 32 43")]
    public void Zoned_encodes(string value, ZonedSign sign, bool signed, string hex)
    {
        var buf = new byte[3];
        ZonedDecimal.Encode(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), 3, 0, buf, sign, signed);
        Assert.Equal(Hex(hex), buf);
    }

    [Fact]
    public void Fuzz_packed_and_zoned_round_trip_random_values()
    {
        var rng = new Random(930);
        Span<byte> buf = stackalloc byte[32];
        for (var i = 0; i < 20000; i++)
        {
            var digits = rng.Next(1, 29);
            var scale = rng.Next(0, Math.Min(digits, 10) + 1);
            var text = new char[digits];
            for (var k = 0; k < digits; k++) text[k] = (char)('0' + rng.Next(10));
            var unscaled = decimal.Parse(new string(text), System.Globalization.CultureInfo.InvariantCulture);
            var value = unscaled / Pow10(scale);
            if (rng.Next(2) == 0) value = -value;
            var len = PackedDecimal.ByteLength(digits);
            PackedDecimal.Encode(value, digits, scale, buf[..len]);
            Assert.True(PackedDecimal.TryDecode(buf[..len], scale, out var back), $"packed {value}");
            Assert.Equal(value, back);
            foreach (var sign in new[] { ZonedSign.Ebcdic, ZonedSign.AsciiMicroFocus, ZonedSign.AsciiOverpunch })
            {
                ZonedDecimal.Encode(value, digits, scale, buf[..digits], sign);
                Assert.True(ZonedDecimal.TryDecode(buf[..digits], scale, sign, out var z, out _), $"zoned {value} {sign}");
                Assert.Equal(value, z);
            }
        }
    }

    [Fact]
    public void Fuzz_packed_random_bytes_never_throw_and_valid_ones_re_encode_identically()
    {
        var rng = new Random(3);
        var bytes = new byte[10];
        var valid = 0;
        for (var i = 0; i < 100000; i++)
        {
            var len = rng.Next(1, 11);
            rng.NextBytes(bytes);
            var span = bytes.AsSpan(0, len);
            var ok = PackedDecimal.TryDecode(span, 0, out var v, out var at);
            // The sign is checked first, then the digits from the left: the offset is that of the first bad byte.
            var expectAt = (span[len - 1] & 0xF) < 0xA ? len - 1 : -1;
            for (var k = 0; k < len && expectAt < 0; k++)
            {
                if ((span[k] >> 4) > 9 || (k < len - 1 && (span[k] & 0xF) > 9)) expectAt = k;
            }
            Assert.Equal(expectAt < 0, ok);
            if (!ok)
            {
                Assert.Equal(expectAt, at);
                continue;
            }
            valid++;
            var sign = span[len - 1] & 0xF;
            var back = new byte[len];
            PackedDecimal.Encode(v, (2 * len) - 1, 0, back);
            // Canonical sign: C/D (F re-encodes as C, A/E as C, B as D) unless the value is zero.
            var expected = span.ToArray();
            expected[len - 1] = (byte)((expected[len - 1] & 0xF0) | (v < 0 ? 0xD : 0xC));
            if (v == 0) expected[len - 1] = (byte)(expected[len - 1] & 0xF0 | 0xC);
            Assert.Equal(expected, back);
            _ = sign;
        }
        Assert.True(valid > 1000);
    }

    static decimal Pow10(int n)
    {
        var r = 1m;
        for (var i = 0; i < n; i++) r *= 10m;
        return r;
    }
}
