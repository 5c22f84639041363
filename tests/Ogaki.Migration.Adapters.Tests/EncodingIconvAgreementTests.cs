using System.Text;
using Ogaki.Migration.Adapters.Encodings;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>Our codecs agree with glibc iconv byte for byte (iconv run as a process).</summary>
public class EncodingIconvAgreementTests
{
    static EncodingIconvAgreementTests() => LegacyEncodings.Register();

    /// <summary>Every single-byte value and every double-byte code (each run inside SO … SI), one stream.</summary>
    static byte[] AllEbcdicCodes()
    {
        var ms = new MemoryStream();
        for (var b = 0x01; b <= 0xFF; b++)
            if (b is not 0x0E and not 0x0F) ms.WriteByte((byte)b);
        for (var c1 = 0x40; c1 <= 0xFE; c1++)
        {
            ms.WriteByte(0x0E);
            for (var c2 = 0x40; c2 <= 0xFE; c2++)
            {
                ms.WriteByte((byte)c1);
                ms.WriteByte((byte)c2);
            }
            ms.WriteByte(0x0F);
        }
        return ms.ToArray();
    }


    [Theory]
    [InlineData("IBM930")]
    [InlineData("IBM939")]
    public void Decoding_every_code_matches_iconv(string charset)
    {
        EncodingIconv.SkipIfAbsent();
        var e = Encoding.GetEncoding(charset);
        var table = ((EbcdicMixedEncoding)e).Table;
        // Build a stream of only the codes our table defines, then check iconv decodes it to the same text.
        var ms = new MemoryStream();
        var expected = new StringBuilder();
        var undefinedSbcs = new List<byte>();
        for (var b = 0x01; b <= 0xFF; b++)
        {
            if (b is 0x0E or 0x0F) continue;
            if (table.Sbcs[b] == '\uFFFF')
            {
                undefinedSbcs.Add((byte)b);
                continue;
            }
            ms.WriteByte((byte)b);
            expected.Append(table.Sbcs[b]);
        }
        ms.WriteByte(0x0E);
        var dbcs = 0;
        for (var code = 0x4040; code <= 0xFEFE; code++)
        {
            if (table.Dbcs[code] == '\uFFFF') continue;
            ms.WriteByte((byte)(code >> 8));
            ms.WriteByte((byte)code);
            expected.Append(table.Dbcs[code]);
            dbcs++;
        }
        ms.WriteByte(0x0F);
        var bytes = ms.ToArray();
        Assert.True(dbcs > 11000, $"only {dbcs} DBCS codes");
        var ours = e.GetString(bytes);
        Assert.Equal(expected.ToString(), ours);
        var theirs = Encoding.UTF8.GetString(EncodingIconv.Convert(charset, "UTF-8", bytes)!);
        Assert.Equal(theirs, ours);
        // Bytes we call undefined are undefined for iconv too.
        foreach (var b in undefinedSbcs) Assert.Null(EncodingIconv.Convert(charset, "UTF-8", [b]));
        Assert.Throws<DecoderFallbackException>(() => e.GetString(AllEbcdicCodes()));
    }

    [Theory]
    [InlineData("IBM930")]
    [InlineData("IBM939")]
    public void Encoding_every_mappable_character_matches_iconv(string charset)
    {
        EncodingIconv.SkipIfAbsent();
        var e = Encoding.GetEncoding(charset);
        var table = ((EbcdicMixedEncoding)e).Table;
        var sb = new StringBuilder();
        for (var c = 1; c < 0x10000; c++)
        {
            if (c is >= 0xD800 and < 0xE000) continue;
            if (table.Encode[c] != 0xFFFF) sb.Append((char)c);
        }
        // Interleave single- and double-byte characters so SO/SI placement is compared too.
        var text = sb.ToString();
        var ours = e.GetBytes(text);
        var theirs = EncodingIconv.Convert("UTF-8", charset, Encoding.UTF8.GetBytes(text));
        Assert.NotNull(theirs);
        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
    }

    [Theory]
    [InlineData("IBM930", "ｱｲｳｴｵ ﾃｽﾄ 山田　太郎 123")]
    [InlineData("IBM930", "ｶﾞｷﾞ大垣市丸の内２丁目２９番地")]
    [InlineData("IBM939", "abc 漢字 xyz　全角スペース")]
    [InlineData("IBM930", "　")]
    public void Mixed_text_matches_iconv_both_ways(string charset, string text)
    {
        EncodingIconv.SkipIfAbsent();
        var e = Encoding.GetEncoding(charset);
        var theirs = EncodingIconv.Convert("UTF-8", charset, Encoding.UTF8.GetBytes(text))!;
        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(e.GetBytes(text)));
        Assert.Equal(text, e.GetString(theirs));
        Assert.Equal(text, Encoding.UTF8.GetString(EncodingIconv.Convert(charset, "UTF-8", theirs)!));
    }

    [Fact]
    public void Cp932_decoding_matches_iconv_for_every_defined_code()
    {
        EncodingIconv.SkipIfAbsent();
        var codec = LegacyEncodings.GetCodec("cp932");
        var ms = new MemoryStream();
        var expected = new StringBuilder();
        var chars = new char[4];
        for (var b = 0x01; b <= 0xFF; b++)
        {
            if (codec.TryDecode([(byte)b], chars, out var n, out _, out _))
            {
                ms.WriteByte((byte)b);
                expected.Append(chars, 0, n);
            }
        }
        var doubles = 0;
        for (var c1 = 0x81; c1 <= 0xFC; c1++)
        {
            for (var c2 = 0x40; c2 <= 0xFC; c2++)
            {
                byte[] pair = [(byte)c1, (byte)c2];
                if (!codec.TryDecode(pair, chars, out var n, out _, out _)) continue;
                ms.Write(pair);
                expected.Append(chars, 0, n);
                doubles++;
            }
        }
        Assert.True(doubles > 9000, $"only {doubles} double-byte codes");
        var theirs = Encoding.UTF8.GetString(EncodingIconv.Convert("CP932", "UTF-8", ms.ToArray())!);
        Assert.Equal(theirs, expected.ToString());
        foreach (var b in new byte[] { 0x80, 0xA0, 0xFD, 0xFE, 0xFF })
        {
            Assert.Null(EncodingIconv.Convert("CP932", "UTF-8", [b]));
            Assert.False(codec.TryDecode([b], chars, out _, out _, out _));
        }
    }

    /// <summary>
    /// Every double-byte code glibc decodes (lead 81–9F, E0–FC × trail 40–7E, 80–FC), asked one by one in-process, our
    /// codec decodes to the same text — including the duplicate codes (NEC-selected IBM extensions ED40–EEFC, 8790 ≒ …); and all of them together,
    /// run through the <c>iconv</c> binary, give our text. The 外字 area F040–F9FC agrees too (both map it to U+E000–U+E757).
    /// </summary>
    [Fact]
    public void Cp932_every_double_byte_code_glibc_decodes_we_decode_the_same()
    {
        EncodingIconv.SkipIfAbsent();
        var codec = LegacyEncodings.GetCodec("cp932");
        using var glibc = new GlibcIconv("CP932", "UTF-8");
        var chars = new char[4];
        var stream = new MemoryStream();
        var expected = new StringBuilder();
        var mismatches = new List<string>();
        int decoded = 0, nec = 0;
        for (var c1 = 0x81; c1 <= 0xFC; c1++)
        {
            if (c1 is > 0x9F and < 0xE0) continue;
            for (var c2 = 0x40; c2 <= 0xFC; c2++)
            {
                if (c2 == 0x7F) continue;
                byte[] pair = [(byte)c1, (byte)c2];
                var theirs = glibc.Decode(pair);
                if (theirs is null) continue;
                decoded++;
                if (c1 is 0xED or 0xEE) nec++;
                var ours = codec.TryDecode(pair, chars, out var n, out _, out _) ? new string(chars, 0, n) : null;
                if (ours != theirs) mismatches.Add($"{c1:X2}{c2:X2}: glibc {theirs}, ours {ours ?? "(rejected)"}");
                stream.Write(pair);
                expected.Append(theirs);
            }
        }
        Assert.Empty(mismatches);
        Assert.Equal(374, nec);
        Assert.True(decoded > 9600, $"only {decoded} double-byte codes");
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(EncodingIconv.Convert("CP932", "UTF-8", stream.ToArray())!));
    }

    [Theory]
    [InlineData(new byte[] { 0xEE, 0xE0 }, new byte[] { 0xFB, 0xFC }, "髙")]
    [InlineData(new byte[] { 0xED, 0x40 }, new byte[] { 0xFA, 0x5C }, "纊")]
    [InlineData(new byte[] { 0xEE, 0xEF }, new byte[] { 0xFA, 0x40 }, "ⅰ")]
    [InlineData(new byte[] { 0xEE, 0xF9 }, new byte[] { 0x81, 0xCA }, "￢")]
    [InlineData(new byte[] { 0xFA, 0x4A }, new byte[] { 0x87, 0x54 }, "Ⅰ")]
    [InlineData(new byte[] { 0x87, 0x90 }, new byte[] { 0x81, 0xE0 }, "≒")]
    public void Cp932_duplicate_code_decodes_and_encodes_to_the_preferred_code_like_iconv(byte[] nec, byte[] ibm, string text)
    {
        EncodingIconv.SkipIfAbsent();
        var codec = LegacyEncodings.GetCodec("cp932");
        Assert.Equal(text, codec.TryDecodeToString(nec, out _, out _));
        Assert.Equal(text, codec.TryDecodeToString(ibm, out _, out _));
        Assert.Equal(text, LegacyEncodings.Cp932.GetString(nec));
        Assert.Equal(Convert.ToHexString(ibm), Convert.ToHexString(EncodingIconv.Convert("UTF-8", "CP932", Encoding.UTF8.GetBytes(text))!));
        Assert.Equal(Convert.ToHexString(ibm), Convert.ToHexString(LegacyEncodings.Cp932.GetBytes(text)));
    }

    [Theory]
    [InlineData("山田　太郎ｱｲｳ①Ⅰ㈱髙﨑～－￢∥")]
    [InlineData("\uE000\uE001\uE757")]
    public void Cp932_encoding_matches_iconv(string text)
    {
        EncodingIconv.SkipIfAbsent();
        var theirs = EncodingIconv.Convert("UTF-8", "CP932", Encoding.UTF8.GetBytes(text))!;
        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(LegacyEncodings.Cp932.GetBytes(text)));
    }

    [Fact]
    public void Cp932_encoding_of_every_decodable_character_matches_iconv()
    {
        EncodingIconv.SkipIfAbsent();
        var codec = LegacyEncodings.GetCodec("cp932");
        var chars = new SortedSet<char>();
        var buf = new char[4];
        for (var b = 0x01; b <= 0xFF; b++)
            if (codec.TryDecode([(byte)b], buf, out var n, out _, out _)) chars.Add(buf[0]);
        for (var c1 = 0x81; c1 <= 0xFC; c1++)
            for (var c2 = 0x40; c2 <= 0xFC; c2++)
                if (codec.TryDecode([(byte)c1, (byte)c2], buf, out var n, out _, out _)) chars.Add(buf[0]);
        var text = new string(chars.ToArray());
        var ours = LegacyEncodings.Cp932.GetBytes(text);
        var theirs = EncodingIconv.Convert("UTF-8", "CP932", Encoding.UTF8.GetBytes(text));
        Assert.NotNull(theirs);
        Assert.Equal(Convert.ToHexString(theirs), Convert.ToHexString(ours));
    }
}
