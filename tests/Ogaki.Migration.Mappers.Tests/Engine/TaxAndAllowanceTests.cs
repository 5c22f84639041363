using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class TaxAndAllowanceTests
{
    static readonly MappingConfig Config = MappingConfig.Load();

    static LegacyGroup G(params (string Name, object? Value)[] f) => new([.. f.Select(x => x.Name)], [.. f.Select(x => x.Value)]);

    /// <summary>A ZEIMAST D record in the copybook's shape: REDEFINES branch group, OCCURS lists, COMP-3 values as decimals.</summary>
    static LegacyRecord Zei(long n, string atena, decimal nendo, string choshu, string kojinNo = "123456789018", string kosei = "0000000", string shimei = "山田\u3000太郎")
    {
        object?[] Shotoku(string cd, decimal shunyu, decimal keihi) => [G(("ZM-SHOTOKU-CD", cd), ("ZM-SHUNYU-GAKU", shunyu), ("ZM-KEIHI-GAKU", keihi), ("ZM-SHOTOKU-GAKU", shunyu - keihi))];
        var shotoku = Shotoku("KY", 5_000_000.00m, 1_440_000.00m).Concat(Enumerable.Range(0, 3).SelectMany(_ => Shotoku("  ", 0m, 0m))).ToList();
        var kojo = new List<object?> { G(("ZM-KOJO-CD", "K1"), ("ZM-KOJO-GAKU", 430_000.00m)), G(("ZM-KOJO-CD", "S1"), ("ZM-KOJO-GAKU", 700_000.00m)) };
        for (var i = 0; i < 6; i++) kojo.Add(G(("ZM-KOJO-CD", "  "), ("ZM-KOJO-GAKU", 0m)));
        var kibetsu = new List<object?>
        {
            G(("ZM-NOKIGEN", 20250630m), ("ZM-KIBETSU-GAKU", 10_100.00m)), G(("ZM-NOKIGEN", 20250831m), ("ZM-KIBETSU-GAKU", 10_000.00m)),
            G(("ZM-NOKIGEN", 20251031m), ("ZM-KIBETSU-GAKU", 10_000.00m)), G(("ZM-NOKIGEN", 20260131m), ("ZM-KIBETSU-GAKU", 0m)),
        };
        var detail = G(
            ("ZM-ATENA-NO", decimal.Parse(atena, System.Globalization.CultureInfo.InvariantCulture)), ("ZM-KAZEI-NENDO", nendo), ("ZM-KOJIN-NO", kojinNo),
            ("ZM-SHIMEI", shimei), ("ZM-SHIMEI-KANA", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("ZM-SEINENGAPPI", 3640107m), ("ZM-FUKA-JUSHO", "岐阜県大垣市青墓町一丁目1番地"),
            ("ZM-KAZEI-KBN", "A"), ("ZM-MISHINKOKU-KBN", " "), ("ZM-TADANTAI-KBN", " "), ("ZM-SHOTOKU-TBL", shotoku),
            ("ZM-SO-SHOTOKU", 3_560_000.00m), ("ZM-KOJO-GOKEI", 1_130_000.00m), ("ZM-KAZEI-SHOTOKU", 2_430_000.00m), ("ZM-KOJO-TBL", kojo),
            ("ZM-SHI-SHOTOKUWARI", 144_300.00m), ("ZM-SHI-KINTOWARI", 3_000.00m), ("ZM-KEN-SHOTOKUWARI", 96_200.00m), ("ZM-KEN-KINTOWARI", 1_000.00m),
            ("ZM-SHINRIN-ZEI", 1_000.00m), ("ZM-ZEIGAKU-KOJO", 2_500.00m), ("ZM-NENZEIGAKU", 245_500.00m), ("ZM-CHOSHU-KBN", choshu),
            ("ZM-FUCHO-AREA", G(("ZM-FUCHO-GAKU", 30_100.00m), ("ZM-KIBETSU-TBL", kibetsu))),
            ("ZM-KYUTOKU-AREA", G(("ZM-KYUTOKU-GAKU", 215_400.00m), ("ZM-GIMUSHA-NO", "T000012345"), ("ZM-GIMUSHA-MEI", "株式会社大垣製作所"),
                ("ZM-GETSUWARI-GAKU", Enumerable.Range(0, 12).Select(i => (object?)(i == 0 ? 18_400.00m : 17_900.00m)).ToList()))),
            ("ZM-NENTOKU-AREA", G(("ZM-NENTOKU-GAKU", 0m), ("ZM-NENKIN-HOKENSHA", "   "), ("ZM-KARI-CHOSHU-GAKU", new List<object?> { 0m, 0m, 0m }), ("ZM-HON-CHOSHU-GAKU", new List<object?> { 0m, 0m, 0m }))),
            ("ZM-KOSEI-KAISU", 0m), ("ZM-KOSEI-YMD", decimal.Parse(kosei, System.Globalization.CultureInfo.InvariantCulture)), ("ZM-KOSEI-SAGAKU", 0m), ("ZM-KOSHIN-YMD", 20250601m), ("FILLER", ""));
        return new LegacyRecord(new SourceLocation("ZEIMAST.dat", n, (n - 1) * 700), "ZM-DETAIL", G(("ZM-REC-KBN", "D"), ("ZM-DETAIL", detail)));
    }

    static LegacyRecord Control(long n, string kind) => new(new SourceLocation("ZEIMAST.dat", n, (n - 1) * 700), kind, G(("ZM-REC-KBN", kind)));

    static MappingSource Residents(params (string Atena, string Setai, string Jotai)[] people)
    {
        var items = people.Select((p, i) => (LegacyReadResult)LegacyFixtures.Record("JUMIN.dat", i + 1, "", LegacyFixtures.JuminFields,
            Modify(LegacyFixtures.Jumin(p.Atena, p.Setai, p.Jotai, i == 0 ? "01" : "10"), p.Jotai))).ToList();
        return new MappingSource("opensys", SourceRole.Residents, new ListAdapter("opensys:JUMIN.dat", items), "JUMIN");
    }

    static Dictionary<string, object?> Modify(Dictionary<string, object?> v, string jotai)
    {
        if (jotai == "2") v["SETAI_NO"] = "0000000000";
        return v;
    }

    static MappingSource Households(string setai, string head) =>
        new("opensys", SourceRole.Households, new ListAdapter("opensys:SETAI.dat", [LegacyFixtures.Record("SETAI.dat", 1, "", LegacyFixtures.SetaiFields, LegacyFixtures.Setai(setai, head))]), "SETAI");

    [Fact]
    public async Task A_zeimast_detail_gives_assessment_incomes_deductions_collections_and_installments()
    {
        var a = LegacyFixtures.Atena(100001);
        var h = LegacyFixtures.Atena(500000001);
        var tax = new MappingSource("mainframe", SourceRole.Tax, new ListAdapter("mainframe:ZEIMAST.dat", [Control(1, "ZM-HEADER"), Zei(2, a, 2025, "3"), Control(3, "ZM-TRAILER")]), "ZM-DETAIL");
        var result = await new MappingEngine(Config).RunAsync([tax, Households(h, a), Residents((a, h, "1"))], new MappingOptions(2), TestContext.Current.CancellationToken);

        Assert.Empty(result.Rejects);
        var t = Assert.IsType<TaxAssessment>(Assert.Single(result.RecordsOf("TaxAssessment")));
        Assert.Equal((a, 2025, "1", "0", "0", "212024"), (t.AtenaNo, t.KazeiNendo, t.KazeiKbn, t.MishinkokuKbn, t.TadantaiKazeiKbn, t.KazeisakiLgCode));
        Assert.Equal(245_500m, t.NenZeigaku);
        Assert.Equal("245500", t.NenZeigaku!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(t.KoseiYmd);
        var income = Assert.IsType<TaxIncome>(Assert.Single(result.RecordsOf("TaxIncome")));
        Assert.Equal(("06", 5_000_000m, 3_560_000m), (income.ShotokuKbn, income.ShunyuKingaku, income.ShotokuKingaku));
        Assert.Equal(["14", "03"], result.RecordsOf("TaxDeduction").Cast<TaxDeduction>().Select(d => d.KojoKbn));
        var collections = result.RecordsOf("TaxCollection").Cast<TaxCollection>().ToList();
        Assert.Equal(["2", "1"], collections.Select(c => c.ChoshuKbn));
        Assert.Equal(215_400m, collections[0].ChoshuZeigaku);
        Assert.Equal("T000012345", collections[0].TokuchoGimushaNo);
        Assert.Equal(18_400m, collections[0].Getsuwari01);
        Assert.Equal(17_900m, collections[0].Getsuwari12);
        Assert.Equal(30_100m, collections[1].ChoshuZeigaku);
        Assert.Null(collections[1].TokuchoGimushaNo);
        Assert.Null(collections[1].Getsuwari01);
        var inst = result.RecordsOf("TaxInstallment").Cast<TaxInstallment>().ToList();
        Assert.Equal([1, 2, 3], inst.Select(i => i.Kibetsu!.Value));
        Assert.Equal(new DateOnly(2025, 6, 30), inst[0].Nokigen);
        var counts = result.Counts.Single(c => c.Source == "mainframe:ZEIMAST.dat");
        Assert.Equal((3L, 1L, 0L, 2L), (counts.Read, counts.Mapped, counts.Rejected, counts.Excluded));
        Assert.Equal(2, counts.RecordsByEntity["TaxCollection"]);
    }

    [Fact]
    public async Task A_numeric_field_read_for_a_digits_item_gives_its_whole_number_zero_padded_whatever_its_scale()
    {
        // ZM-ATENA-NO (digits:10) as a packed decimal: 1000014 and 1000014.00 are one number, "0001000014".
        var a = LegacyFixtures.Atena(100001);
        var h = LegacyFixtures.Atena(500000001);
        var tax = new MappingSource("mainframe", SourceRole.Tax, new ListAdapter("mainframe:ZEIMAST.dat",
            [Zei(1, a + ".00", 2024, "3"), Zei(2, a, 2025, "3")]), "ZM-DETAIL");
        var result = await new MappingEngine(Config).RunAsync([tax, Households(h, a), Residents((a, h, "1"))], new MappingOptions(2), TestContext.Current.CancellationToken);

        Assert.Equal(10, a.Length);
        Assert.Empty(result.Rejects);
        Assert.Equal([(a, 2024), (a, 2025)], result.RecordsOf("TaxAssessment").Cast<TaxAssessment>().Select(t => (t.AtenaNo, t.KazeiNendo!.Value)));
    }

    [Fact]
    public async Task Tax_defects_and_unresolved_taxpayers_are_rejected()
    {
        var a = LegacyFixtures.Atena(100001);
        var b = LegacyFixtures.Atena(100010);
        var jutogai = LegacyFixtures.Atena(100020);
        var stranger = LegacyFixtures.Atena(100030);
        var h = LegacyFixtures.Atena(500000001);
        var tax = new MappingSource("mainframe", SourceRole.Tax, new ListAdapter("mainframe:ZEIMAST.dat",
        [
            Zei(1, a, 2024, "0"),
            Zei(2, a, 2024, "0"),                              // duplicate-key
            Zei(3, a, 2025, "8"),                              // unmapped-code (徴収区分)
            Zei(4, b, 2024, "0", kosei: "4010107"),            // impossible-date: 平成元年1月7日 in a date item
            Zei(5, b, 2025, "0", kojinNo: "123456789012"),     // invalid-check-digit
            Zei(6, jutogai, 2025, "0", shimei: "山田\u3000\uE600郎"), // unmappable-gaiji; a 住登外 taxpayer is resolved
            Zei(7, stranger, 2025, "0"),                       // unresolved-person
            Zei(8, jutogai, 2024, "0", kosei: "5070101"),      // a real 更正年月日
        ]), "ZM-DETAIL");
        // The duplicate-key check keeps its keys in files of the given folder, removed when the run ends.
        var keyFolder = Directory.CreateTempSubdirectory("ogaki-keys-test");
        var keyFiles = 0;
        var result = await new MappingEngine(Config).RunAsync([Households(h, a), Residents((a, h, "1"), (b, h, "3"), (jutogai, "", "2")), tax],
            new MappingOptions(2, 3, Sink: (_, _, _) => { keyFiles = Math.Max(keyFiles, keyFolder.GetFiles().Length); return ValueTask.CompletedTask; },
                TempDirectory: keyFolder.FullName), TestContext.Current.CancellationToken);
        Assert.True(keyFiles > 0, "key files while the run goes on");
        Assert.Empty(keyFolder.GetFiles());
        keyFolder.Delete();
        var rejects = result.Rejects.Where(r => r.Location.File == "ZEIMAST.dat").ToDictionary(r => r.Location.RecordNumber, r => r.Reason);
        Assert.Equal(new Dictionary<long, string>
        {
            [2] = MappingRejectReasons.DuplicateKey,
            [3] = MappingRejectReasons.UnmappedCode,
            [4] = MappingRejectReasons.ImpossibleDate,
            [5] = MappingRejectReasons.InvalidCheckDigit,
            [6] = MappingRejectReasons.UnmappableGaiji,
            [7] = MappingRejectReasons.UnresolvedPerson,
        }, rejects);
        Assert.Equal(new DateOnly(2025, 1, 1), result.RecordsOf("TaxAssessment").Cast<TaxAssessment>().Single(t => t.AtenaNo == jutogai).KoseiYmd);
        var unmapped = Assert.Single(result.UnmappedCodes);
        Assert.Equal(("mainframe", "CT-CHOSHU-KBN", "8", 1L), (unmapped.System, unmapped.Table, unmapped.Value, unmapped.Count));
        Assert.True(result.Balances);
    }

    static LegacyRecord Db(string table, long row, string[] names, Dictionary<string, object?> v) => LegacyFixtures.Record(table, row, "", names, v, pad: false);

    [Fact]
    public async Task Allowance_links_recipients_children_and_payments()
    {
        var parent = LegacyFixtures.Atena(100001);
        var child = LegacyFixtures.Atena(100010);
        var other = LegacyFixtures.Atena(100020);
        var other2 = LegacyFixtures.Atena(100030);
        var h = LegacyFixtures.Atena(500000001);
        var h2 = LegacyFixtures.Atena(500000010);
        Dictionary<string, object?> Recipient(string jky, string atena, string seikyu, string kana = "ﾔﾏﾀﾞ ﾀﾛｳ") => new()
        {
            ["JKY_NO"] = jky, ["ATENA_NO"] = atena, ["JKY_KBN"] = "I", ["SEIKYU_YMD"] = seikyu, ["NINTEI_YMD"] = "20240601",
            ["SHIKYU_KAISHI_YM"] = "202407", ["GENKYO_FLG"] = 0L, ["SASHITOME_FLG"] = 0L, ["KINYU_CD"] = "0001", ["SHITEN_CD"] = "001",
            ["YOKIN_SHU"] = "F", ["KOZA_NO"] = "1234567", ["KOZA_KANA"] = kana, ["GETSUGAKU"] = 10000L,
        };
        Dictionary<string, object?> Child(string jky, string atena, string dobekkyo, string? shikyu) => new()
        {
            ["JKY_NO"] = jky, ["JIDO_ATENA_NO"] = atena, ["JIDO_SEINENGAPPI"] = "20150401", ["ZOKUGARA_CD"] = "MA", ["DOBEKKYO_KBN"] = dobekkyo,
            ["JIDO_KBN"] = "T", ["SHUSSHO_JUNI"] = 1L, ["SHIKYU_KBN"] = shikyu, ["GETSUGAKU"] = 10000L, ["TEKIYO_KAISHI_YM"] = "202410",
        };
        string[] payNames = ["JKY_NO", "SHIHARAI_YM", "TAISHO_FROM_YM", "TAISHO_TO_YM", "SHIHARAI_GAKU", "SHIHARAI_KBN"];
        Dictionary<string, object?> Pay(string jky) => new() { ["JKY_NO"] = jky, ["SHIHARAI_YM"] = "202412", ["TAISHO_FROM_YM"] = "202410", ["TAISHO_TO_YM"] = "202411", ["SHIHARAI_GAKU"] = 20000L, ["SHIHARAI_KBN"] = "T" };

        var recipients = new MappingSource("sqlite", SourceRole.AllowanceRecipients, new ListAdapter("sqlite:JUKYUSHA",
        [
            Db("JUKYUSHA", 1, LegacyFixtures.JukyushaFields, Recipient("2400000001", parent, "20240515")),
            Db("JUKYUSHA", 2, LegacyFixtures.JukyushaFields, Recipient("2400000002", other, "20240230")),                 // impossible-date
            Db("JUKYUSHA", 3, LegacyFixtures.JukyushaFields, Recipient("2400000003", LegacyFixtures.Atena(100090), "20240515")), // unresolved
            Db("JUKYUSHA", 4, LegacyFixtures.JukyushaFields, Recipient("2400000004", other2, "20240515", "ﾔﾏﾀﾞ ﾀﾛｳ ｶ)ｵｵｶﾞｷｼﾞﾄﾞｳﾃｱﾃｼﾞﾑｷｮｸ ﾀﾞｲﾘﾆﾝ")), // over-length
        ]), "JUKYUSHA");
        var children = new MappingSource("sqlite", SourceRole.AllowanceChildren, new ListAdapter("sqlite:TAISHO_JIDO",
        [
            Db("TAISHO_JIDO", 1, LegacyFixtures.JidoFields, Child("2400000001", child, "D", "B")),
            Db("TAISHO_JIDO", 2, LegacyFixtures.JidoFields, Child("2400000001", other, "D", "B")),     // 同居 but another household
            Db("TAISHO_JIDO", 3, LegacyFixtures.JidoFields, Child("2400000001", other2, "B", "X")),     // unmapped-code
            Db("TAISHO_JIDO", 4, LegacyFixtures.JidoFields, Child("2400000001", LegacyFixtures.Atena(100080), "B", null)), // 別居, not a resident: fine
        ]), "TAISHO_JIDO");
        var payments = new MappingSource("sqlite", SourceRole.AllowancePayments, new ListAdapter("sqlite:SHIHARAI",
            [Db("SHIHARAI", 1, payNames, Pay("2400000001")), Db("SHIHARAI", 2, payNames, Pay("2499999999"))]), "SHIHARAI");
        var setai = new MappingSource("opensys", SourceRole.Households, new ListAdapter("opensys:SETAI.dat",
        [
            LegacyFixtures.Record("SETAI.dat", 1, "", LegacyFixtures.SetaiFields, LegacyFixtures.Setai(h, parent)),
            LegacyFixtures.Record("SETAI.dat", 2, "", LegacyFixtures.SetaiFields, LegacyFixtures.Setai(h2, other)),
        ]), "SETAI");
        var jumin = new MappingSource("opensys", SourceRole.Residents, new ListAdapter("opensys:JUMIN.dat",
        [
            LegacyFixtures.Record("JUMIN.dat", 1, "", LegacyFixtures.JuminFields, LegacyFixtures.Jumin(parent, h)),
            LegacyFixtures.Record("JUMIN.dat", 2, "", LegacyFixtures.JuminFields, LegacyFixtures.Jumin(child, h, zokugara: "10")),
            LegacyFixtures.Record("JUMIN.dat", 3, "", LegacyFixtures.JuminFields, LegacyFixtures.Jumin(other, h2)),
            LegacyFixtures.Record("JUMIN.dat", 4, "", LegacyFixtures.JuminFields, LegacyFixtures.Jumin(other2, h2, zokugara: "10")),
        ]), "JUMIN");

        var result = await new MappingEngine(Config).RunAsync([payments, children, recipients, jumin, setai], new MappingOptions(2), TestContext.Current.CancellationToken);

        string Reason(string file, long n) => result.Rejects.Single(r => r.Location.File == file && r.Location.RecordNumber == n).Reason;
        Assert.Equal(MappingRejectReasons.ImpossibleDate, Reason("JUKYUSHA", 2));
        Assert.Equal(MappingRejectReasons.UnresolvedPerson, Reason("JUKYUSHA", 3));
        Assert.Equal(MappingRejectReasons.OverLength, Reason("JUKYUSHA", 4));
        Assert.Equal(MappingRejectReasons.ChildNotInHousehold, Reason("TAISHO_JIDO", 2));
        Assert.Equal(MappingRejectReasons.UnmappedCode, Reason("TAISHO_JIDO", 3));
        Assert.Equal(MappingRejectReasons.UnresolvedPerson, Reason("SHIHARAI", 2));
        Assert.Equal(6, result.Rejects.Count);

        var r1 = Assert.IsType<AllowanceRecipient>(Assert.Single(result.RecordsOf("AllowanceRecipient")));
        Assert.Equal(("2400000001", "1", new DateOnly(2024, 5, 15), "ヤマダ\u3000タロウ", 10000m), (r1.JukyushaNo, r1.JukyushaKbn, r1.NinteiSeikyuYmd, r1.KozaMeigiKana, r1.Getsugaku));
        Assert.Equal(new Ogaki.Migration.Spec.YearMonth(2024, 7), r1.ShikyuKaishiYm);
        Assert.False(r1.GenkyoTodokeYohi);
        var kids = result.RecordsOf("AllowanceChild").Cast<AllowanceChild>().ToList();
        Assert.Equal(2, kids.Count);
        Assert.Equal((parent, child, "21", "1", "02"), (kids[0].JukyushaAtenaNo, kids[0].JidoAtenaNo, kids[0].Zokugara, kids[0].DobekkyoKbn, kids[0].ShikyuKbn));
        Assert.Null(kids[1].ShikyuKbn);
        Assert.Single(result.RecordsOf("AllowancePayment"));
        Assert.True(result.Balances);
    }
}
