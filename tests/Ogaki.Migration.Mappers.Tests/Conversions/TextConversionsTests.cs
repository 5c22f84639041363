using Ogaki.Migration.Mappers;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Tests.Conversions;

public class TextConversionsTests
{
    [Theory]
    [InlineData("ｶﾞ", "ガ")]
    [InlineData("ﾊﾟ", "パ")]
    [InlineData("ｳﾞ", "ヴ")]
    [InlineData("ｦ", "ヲ")]
    [InlineData("ｰ", "ー")]
    [InlineData("ｯ", "ッ")]
    [InlineData("ﾔﾏﾀﾞ", "ヤマダ")]
    [InlineData("ｷﾞｮｳｻﾞ", "ギョウザ")]
    [InlineData("ﾎﾟﾝﾎﾟﾝ", "ポンポン")]
    [InlineData("ﾜﾞｦﾞ", "ヷヺ")]
    [InlineData("ﾞｱﾟ", "゛ア゜")]           // marks that cannot join stay as full-width marks
    [InlineData("ｯﾞ", "ッ゛")]
    [InlineData("｡｢｣､･", "。「」、・")]
    public void Half_width_kana_becomes_full_width(string input, string expected) =>
        Assert.Equal(expected, KanaWidth.ToFullWidth(input));

    [Theory]
    [InlineData("1-2 A", "１－２　Ａ")]
    [InlineData("SMITH JOHN", "ＳＭＩＴＨ　ＪＯＨＮ")]
    [InlineData("!~", "！～")]
    [InlineData("髙橋\uF929㈱葛\U000E0100𠮷ｶ", "髙橋\uF929㈱葛\U000E0100𠮷ｶ")] // only ASCII changes: no NFKC, kana left to the kana map
    [InlineData("a\tb", "ａ\tｂ")]                                          // a control character stays (and fails the Ｎ rule)
    public void Text_for_an_item_of_type_N_gets_full_width_ASCII(string input, string expected)
    {
        Assert.Equal(expected, SpecText.ToFullWidth(input));
        Assert.Equal(!input.Contains('\t', StringComparison.Ordinal) && !input.Contains('ｶ', StringComparison.Ordinal), SpecText.IsFullWidth(SpecText.ToFullWidth(input)));
    }

    [Fact]
    public void Kanji_and_compatibility_characters_are_untouched()
    {
        // NFKC would turn ㈱ into (株), Ⅰ into I and U+F929 into U+6717; the width map must not.
        const string name = "髙橋\uF929㈱Ⅰ葛\U000E0100𠮷";
        Assert.Same(name, KanaWidth.ToFullWidth(name));
        Assert.Equal("髙橋\uF929㈱Ⅰ葛\U000E0100𠮷ガ", KanaWidth.ToFullWidth(name + "ｶﾞ"));
    }

    [Fact]
    public void Kana_items_get_full_width_spaces_digits_and_capitals()
    {
        var kana = KanaWidth.ToFullWidthKana("ﾔﾏﾀﾞ ﾀﾛｳ");
        Assert.Equal("ヤマダ\u3000タロウ", kana);
        Assert.True(SpecText.IsKana(kana));
        Assert.Equal("ハイツ１０１Ａ", KanaWidth.ToFullWidthKana("ﾊｲﾂ101A"));
    }

    [Theory]
    [InlineData("山田\u3000太郎\u3000\u3000", "山田\u3000太郎")]
    [InlineData("  ﾔﾏﾀﾞ ﾀﾛｳ   ", "ﾔﾏﾀﾞ ﾀﾛｳ")]
    [InlineData("\u3000 \u3000", null)]
    [InlineData("", null)]
    [InlineData("abc", "abc")]
    public void Padding_is_trimmed_at_both_ends_only(string input, string? expected) =>
        Assert.Equal(expected, LegacyText.Trim(input));

    [Theory]
    [InlineData("世帯主", "02")]
    [InlineData("妻", "12")]
    [InlineData("子の妻", "21,12")]
    [InlineData("子の子", "21,21")]
    [InlineData("孫", "21,21")]
    [InlineData("孫の妻", "21,21,12")]
    [InlineData("妻の父", "12,31")]
    [InlineData("夫（未届）", "13")]
    [InlineData("夫(未届)", "13")]
    [InlineData("子（子の妻）", "23")]
    [InlineData("子（子の妻）の子", "23,21")]
    [InlineData("子の子の子の子", "21,21,21,21")]
    [InlineData("子の子の子の子の子", "91")]
    [InlineData("曾孫の子の妻", "91")]
    [InlineData("縁故者", "91")]
    [InlineData("同居人", "92")]
    public void Zokugara_text_becomes_a_chain_of_standard_codes(string text, string expected)
    {
        Assert.True(ZokugaraChains.TryParse(text, out var codes, out _));
        Assert.Equal(expected, string.Join(',', codes));
        Assert.All(codes, c => Assert.True(Ogaki.Migration.Standard.Codes.Zokugara.Contains(c)));
    }

    [Theory]
    [InlineData("祖父")]
    [InlineData("甥")]
    [InlineData("家事使用人")]
    [InlineData("準世帯主")]
    [InlineData("子の")]
    [InlineData("世帯主の妻")]
    [InlineData("子と妻")]
    public void Zokugara_outside_the_value_set_is_unmapped(string text)
    {
        Assert.False(ZokugaraChains.TryParse(text, out _, out var failure));
        Assert.Equal(MappingRejectReasons.UnmappedCode, failure.Reason);
    }

    [Theory]
    [InlineData("21;12", "21,12")]
    [InlineData("21 12", "21,12")]
    [InlineData("02", "02")]
    [InlineData("21;21;21;21;21", "91")]
    public void Zokugara_code_chains_from_tables(string chain, string expected)
    {
        Assert.True(ZokugaraChains.TryParseCodes(chain, out var codes));
        Assert.Equal(expected, string.Join(',', codes));
    }

    [Theory]
    [InlineData("21;99")]
    [InlineData("02;12")]
    [InlineData("")]
    public void Zokugara_code_chains_outside_the_table_are_refused(string chain) =>
        Assert.False(ZokugaraChains.TryParseCodes(chain, out _));

    [Fact]
    public void Zokugara_chain_text_for_hyoki() => Assert.Equal("子の妻", ZokugaraChains.ToText(["21", "12"]));
}
