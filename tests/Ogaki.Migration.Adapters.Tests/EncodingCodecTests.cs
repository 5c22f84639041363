using System.Text;
using Ogaki.Migration.Adapters.Encodings;

namespace Ogaki.Migration.Adapters.Tests;

public class EncodingCodecTests
{
    static EncodingCodecTests() => LegacyEncodings.Register();

    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData("IBM930", 930)]
    [InlineData("ibm930", 930)]
    [InlineData("cp930", 930)]
    [InlineData("IBM939", 939)]
    [InlineData("ibm939", 939)]
    [InlineData("cp939", 939)]
    public void GetEncoding_by_name_returns_our_codec(string name, int codePage)
    {
        var e = Encoding.GetEncoding(name);
        Assert.IsType<EbcdicMixedEncoding>(e);
        Assert.Equal(codePage, e.CodePage);
        Assert.Same(e, Encoding.GetEncoding(codePage));
    }

    [Fact]
    public void Ibm930_encodes_the_domain_example()
    {
        var e = Encoding.GetEncoding("IBM930");
        var bytes = e.GetBytes("ｱABC漢字123");
        Assert.Equal(Hex("81 C1 C2 C3 0E 4F58 48F2 0F F1 F2 F3"), bytes);
        Assert.Equal("ｱABC漢字123", e.GetString(bytes));
    }

    [Fact]
    public void Ibm930_and_939_differ_on_the_single_byte_side()
    {
        Assert.Equal(Hex("62"), Encoding.GetEncoding("IBM930").GetBytes("a"));
        Assert.Equal(Hex("81"), Encoding.GetEncoding("IBM939").GetBytes("a"));
        Assert.Equal(Hex("0E 4F58 0F"), Encoding.GetEncoding("IBM939").GetBytes("漢"));
        Assert.Equal("\u3000", Encoding.GetEncoding("IBM930").GetString(Hex("0E 4040 0F")));
    }

    [Fact]
    public void Strict_decoder_reports_the_undefined_byte_offset()
    {
        var e = Encoding.GetEncoding("IBM930");
        // 0x0E 0x40 0x41 is not a defined DBCS code.
        var ex = Assert.Throws<DecoderFallbackException>(() => e.GetString(Hex("C1 C2 0E 4041 0F")));
        Assert.Equal(3, ex.Index);
        Assert.Equal(Hex("4041"), ex.BytesUnknown);
    }

    [Fact]
    public void Strict_decoder_rejects_nested_SO_and_stray_SI()
    {
        var e = Encoding.GetEncoding("IBM930");
        Assert.Equal(1, Assert.Throws<DecoderFallbackException>(() => e.GetString(Hex("0E 0E 4F58 0F"))).Index);
        Assert.Equal(1, Assert.Throws<DecoderFallbackException>(() => e.GetString(Hex("C1 0F"))).Index);
    }

    [Fact]
    public void Strict_encoder_rejects_unmappable_characters()
    {
        var e = Encoding.GetEncoding("IBM930");
        Assert.Throws<EncoderFallbackException>(() => e.GetBytes("𠮷"));
        Assert.Throws<EncoderFallbackException>(() => e.GetBytes("À"));
        Assert.Throws<EncoderFallbackException>(() => LegacyEncodings.Cp932.GetBytes("𠮷"));
    }

    [Fact]
    public void Replacement_fallback_can_be_chosen()
    {
        var e = Encoding.GetEncoding("IBM930", EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        Assert.Equal("A?", e.GetString(Hex("C1 FE")).Replace('\uFFFD', '?'));
    }

    [Fact]
    public void Stateful_decoder_keeps_shift_state_across_chunks()
    {
        var e = Encoding.GetEncoding("IBM930");
        var bytes = Hex("81 0E 4F58 48F2 0F F1");
        for (var split = 0; split <= bytes.Length; split++)
        {
            var d = e.GetDecoder();
            var chars = new char[16];
            var n = d.GetChars(bytes, 0, split, chars, 0, flush: false);
            n += d.GetChars(bytes, split, bytes.Length - split, chars, n, flush: true);
            Assert.Equal("ｱ漢字1", new string(chars, 0, n));
        }
    }

    [Fact]
    public void Stateful_encoder_closes_the_dbcs_run_on_flush()
    {
        var enc = Encoding.GetEncoding("IBM930").GetEncoder();
        var buf = new byte[32];
        var n = enc.GetBytes("漢".ToCharArray(), 0, 1, buf, 0, flush: false);
        n += enc.GetBytes("字".ToCharArray(), 0, 1, buf, n, flush: true);
        Assert.Equal(Hex("0E 4F58 48F2 0F"), buf[..n]);
    }

    [Fact]
    public void Cp932_user_defined_area_round_trips_to_the_private_use_area()
    {
        var e = LegacyEncodings.Cp932;
        var codec = LegacyEncodings.GetCodec("cp932");
        var expected = 0xE000;
        for (var lead = 0xF0; lead <= 0xF9; lead++)
        {
            for (var trail = 0x40; trail <= 0xFC; trail++)
            {
                if (trail == 0x7F) continue;
                var bytes = new[] { (byte)lead, (byte)trail };
                var s = e.GetString(bytes);
                Assert.Equal(((char)expected).ToString(), s);
                Assert.Equal(s, codec.TryDecodeToString(bytes, out _, out _));
                Assert.Equal(bytes, e.GetBytes(s));
                expected++;
            }
        }
        Assert.Equal(0xE758, expected);
    }

    [Theory]
    [InlineData("ibm930", "C1 0E 4F58", TextDecodeError.UnbalancedShift, 1)]
    [InlineData("ibm930", "0E 0E 4F58 0F", TextDecodeError.UnbalancedShift, 1)]
    [InlineData("ibm930", "C1 0F", TextDecodeError.UnbalancedShift, 1)]
    [InlineData("ibm930", "0E 4F58 48 0F", TextDecodeError.OddDbcsLength, 3)]
    [InlineData("ibm930", "C1 FE", TextDecodeError.UndefinedBytes, 1)]
    [InlineData("ibm930", "C1 00 C1", TextDecodeError.NulBytes, 1)]
    [InlineData("cp932", "41 82", TextDecodeError.UndefinedBytes, 1)]
    [InlineData("cp932", "41 80", TextDecodeError.UndefinedBytes, 1)]
    [InlineData("cp932", "41 00", TextDecodeError.NulBytes, 1)]
    [InlineData("utf-8", "41 C3", TextDecodeError.UndefinedBytes, 1)]
    [InlineData("utf-8", "41 42 00", TextDecodeError.NulBytes, 2)]
    public void Field_codec_reports_kind_and_offset(string codec, string hex, TextDecodeError kind, int offset)
    {
        var c = LegacyEncodings.GetCodec(codec);
        Assert.Null(c.TryDecodeToString(Hex(hex), out var error, out var at));
        Assert.Equal(kind, error);
        Assert.Equal(offset, at);
    }

    [Fact]
    public void Pure_dbcs_field_decodes_and_encodes_without_shifts()
    {
        var c = LegacyEncodings.GetCodec("ibm930");
        var bytes = c.EncodeDbcs("漢字\u3000");
        Assert.Equal(Hex("4F58 48F2 4040"), bytes);
        var chars = new char[3];
        Assert.True(c.TryDecodeDbcs(bytes, chars, out var n, out _, out _));
        Assert.Equal("漢字\u3000", new string(chars, 0, n));
        Assert.False(c.TryDecodeDbcs(Hex("4F58 48"), chars, out _, out var err, out _));
        Assert.Equal(TextDecodeError.OddDbcsLength, err);
    }

    [Theory]
    [InlineData("cp932", false)]
    [InlineData("ibm930", false)]
    [InlineData("ibm939", false)]
    [InlineData("utf-8", true)]
    public void Only_codecs_that_can_yield_U_FEFF_need_the_BOM_scan(string name, bool expected)
    {
        var codec = LegacyEncodings.GetCodec(name);
        Assert.Equal(expected, codec.MayDecodeToBom);
        // UTF-8 does yield it: EF BB BF inside a field.
        if (expected) Assert.Equal("\uFEFF", codec.TryDecodeToString([0xEF, 0xBB, 0xBF], out _, out _));
    }
}
