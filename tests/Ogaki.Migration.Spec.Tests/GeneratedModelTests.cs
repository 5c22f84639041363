using Ogaki.Migration.Standard;
using Ogaki.Migration.Standard.Codes;

namespace Ogaki.Migration.Spec.Tests;

/// <summary>The generated models and validators of all three areas, used as the pipeline uses them.</summary>
public class GeneratedModelTests
{
    static Resident ValidResident() => new()
    {
        AtenaNo = "000000012345674",
        SetaiNo = "000000001234567",
        JuminShubetsu = JuminShubetsu.Nihonjin,
        JuminJotai = JuminJotai.Jumin,
        IdoYmd = new DateOnly(2019, 5, 1),
        IdoJiyu = IdoJiyu.Shussei,
        Shimei = "髙橋　𠮷子",
        ShimeiKana = "タカハシ　ヨシコ",
        Seibetsu = Seibetsu.Female,
        SeinengappiYmd = new DateOnly(2019, 5, 1),
        ZokugaraCd1 = Zokugara.Ko,
        SetainushiShimei = "髙橋　太郎",
    };

    static List<SpecViolation> Violations(IStandardRecord r)
    {
        var list = new List<SpecViolation>();
        r.Validate(list);
        return list;
    }

    [Fact]
    public void A_complete_resident_has_no_violations()
    {
        Assert.Empty(Violations(ValidResident()));
    }

    [Fact]
    public void Missing_required_items_are_reported_by_item_id_and_japanese_name()
    {
        var v = Violations(ValidResident() with { Shimei = null, Seibetsu = "" });
        Assert.Equal(2, v.Count);
        Assert.All(v, x => Assert.Equal(ViolationKind.Required, x.Kind));
        Assert.Contains(v, x => x.Item.Identifier == "Shimei" && x.Item.NameJa == "氏名" && x.Item.ItemId == "00100008");
        Assert.Contains(v, x => x.Item.Identifier == "Seibetsu");
    }

    [Fact]
    public void Length_counts_characters_not_utf16_units_so_surrogates_and_ivs_count_once()
    {
        // 50 × 𠮷 (surrogate pair) is 50 characters: fits 旧氏 (50). 51 does not.
        Assert.Empty(Violations(ValidResident() with { Kyuuji = string.Concat(Enumerable.Repeat("𠮷", 50)) }));
        Assert.Empty(Violations(ValidResident() with { Kyuuji = string.Concat(Enumerable.Repeat("葛\U000E0100", 50)) }));
        var v = Assert.Single(Violations(ValidResident() with { Kyuuji = string.Concat(Enumerable.Repeat("𠮷", 51)) }));
        Assert.Equal(ViolationKind.Length, v.Kind);
        Assert.Equal("Kyuuji", v.Item.Identifier);
        Assert.Contains("51", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_types_and_codes_outside_the_table_are_rejected()
    {
        var v = Violations(ValidResident() with { AtenaNo = "12345A", ShimeiKana = "ﾀｶﾊｼ", Seibetsu = "9", ZokugaraCd2 = "99" });
        Assert.Contains(v, x => x.Item.Identifier == "AtenaNo" && x.Kind == ViolationKind.Type);
        Assert.Contains(v, x => x.Item.Identifier == "ShimeiKana" && x.Kind == ViolationKind.Type);
        Assert.Contains(v, x => x.Item.Identifier == "Seibetsu" && x.Kind == ViolationKind.CodeDomain);
        Assert.Contains(v, x => x.Item.Identifier == "ZokugaraCd2" && x.Kind == ViolationKind.CodeDomain);
        // ﾀｶﾊｼ is neither katakana nor full width (データ型 Ｎ): two rules, two violations.
        Assert.Contains(v, x => x.Item.Identifier == "ShimeiKana" && x.Message == "not full-width (データ型 Ｎ)");
        Assert.Equal(5, v.Count);
        // Messages never echo the value (personal data stays out of reports).
        Assert.All(v, x => Assert.DoesNotContain("ﾀｶﾊｼ", x.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_tax_assessment_validates_amounts_as_whole_yen_within_their_digits()
    {
        var ok = new TaxAssessment { AtenaNo = "000000012345674", KazeiNendo = 2025, KazeiKbn = KazeiKbn.Kazei, KazeisakiLgCode = "212024", NenZeigaku = 123_456m };
        Assert.Empty(Violations(ok));
        var v = Violations(ok with { NenZeigaku = 100.5m, ShiShotokuwari = 123_456_789_012m, KazeiNendo = 20250 });
        Assert.Contains(v, x => x.Item.Identifier == "NenZeigaku" && x.Kind == ViolationKind.Type);
        Assert.Contains(v, x => x.Item.Identifier == "ShiShotokuwari" && x.Kind == ViolationKind.Length);
        Assert.Contains(v, x => x.Item.Identifier == "KazeiNendo" && x.Kind == ViolationKind.Length);
        Assert.Equal(3, v.Count);
    }

    [Fact]
    public void An_allowance_child_requires_its_period_and_checks_its_codes()
    {
        var child = new AllowanceChild
        {
            JukyushaAtenaNo = "000000012345674", JidoAtenaNo = "000000012345682", SeinengappiYmd = new DateOnly(2020, 4, 1),
            DobekkyoKbn = DobekkyoKbn.Dokyo, JidoKbn = JidoKbn.ShikyuTaisho, ShusshoJuni = 1, ShikyuKbn = ShikyuKbn.Over3, Getsugaku = 10_000m,
            TekiyoKaishiYm = new YearMonth(2024, 10),
        };
        Assert.Empty(Violations(child));
        var v = Violations(child with { TekiyoKaishiYm = null, ShikyuKbn = "04" });
        Assert.Contains(v, x => x.Item.Identifier == "TekiyoKaishiYm" && x.Kind == ViolationKind.Required);
        Assert.Contains(v, x => x.Item.Identifier == "ShikyuKbn" && x.Kind == ViolationKind.CodeDomain);
    }

    [Fact]
    public void GetValue_and_FromValues_round_trip_every_item_in_spec_order()
    {
        var r = ValidResident() with { ShimeiFurigana = "タカハシ　ヨシコ", JidoTeateKaishiYm = new YearMonth(2024, 10), KokuhoFlag = true };
        var values = Enumerable.Range(0, ResidentSpec.Entity.Items.Count).Select(r.GetValue).ToArray();
        Assert.Equal(r, Resident.FromValues(values));
        Assert.Equal("髙橋　𠮷子", values[ResidentSpec.Ordinals.Shimei]);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.GetValue(ResidentSpec.Entity.Items.Count));
    }

    [Fact]
    public void Provisional_code_tables_say_so()
    {
        Assert.True(Zokugara.IsProvisional);
        Assert.Equal(SpecStatus.Provisional, Zokugara.Table.Status);
        Assert.Equal(SpecStatus.Secondary, Gengo.Table.Status);
        Assert.Equal("妻", Zokugara.NameOf("12"));
        Assert.Null(Zokugara.NameOf("99"));
    }
}
