using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Tests.Engine;

public class ResidentPipelineTests
{
    static readonly MappingConfig Config = MappingConfig.Load();

    static MappingSource Jumin(params LegacyReadResult[] items) =>
        new("opensys", SourceRole.Residents, new ListAdapter("opensys:JUMIN.dat", items), "JUMIN");

    static MappingSource Setai(params LegacyReadResult[] items) =>
        new("opensys", SourceRole.Households, new ListAdapter("opensys:SETAI.dat", items), "SETAI");

    static LegacyRecord J(long n, Dictionary<string, object?> v) => LegacyFixtures.Record("JUMIN.dat", n, "", LegacyFixtures.JuminFields, v);

    static LegacyRecord S(long n, Dictionary<string, object?> v) => LegacyFixtures.Record("SETAI.dat", n, "", LegacyFixtures.SetaiFields, v);

    static async Task<(Resident? Resident, MappingResult Result)> MapAddressesAsync(string? tennyuMae, string? tenshutsu)
    {
        var a = LegacyFixtures.Atena(100001);
        var h = LegacyFixtures.Atena(500000001);
        var v = LegacyFixtures.Jumin(a, h);
        v["TENNYUMAE_JUSHO"] = tennyuMae;
        v["TENSHUTSU_JUSHO"] = tenshutsu;
        var result = await new MappingEngine(Config).RunAsync([Setai(S(1, LegacyFixtures.Setai(h, a))), Jumin(J(1, v))], new MappingOptions(Degree: 2), TestContext.Current.CancellationToken);
        return (result.RecordsOf("Resident").Cast<Resident>().SingleOrDefault(), result);
    }

    // The JUMIN mapper of the default configuration and a worker context whose household source knows household h.
    static (RecordMapper Mapper, MapContext Context, string Household) JuminMapper()
    {
        var links = new LinkIndex();
        var h = LegacyFixtures.Atena(500000001);
        links.AddHousehold(h, "山田\u3000太郎");
        return (new MappingEngine(Config).FindMapper("opensys", "JUMIN")!, new MapContext(Config, links), h);
    }

    // The official sheets carry a date that may be 不詳 as DATE + 〇〇_不詳フラグ + 〇〇_不詳表記: the wareki row of the DATE
    // item fills all three from one source value, and text items of データ型 Ｎ arrive in full width.
    [Fact]
    public void A_wareki_date_fills_its_unknown_pair_and_text_of_type_N_is_widened()
    {
        var (mapper, ctx, h) = JuminMapper();
        Resident Map(Action<Dictionary<string, object?>> change)
        {
            var v = LegacyFixtures.Jumin(LegacyFixtures.Atena(100001), h);
            change(v);
            var output = new List<IStandardRecord>();
            var violations = new List<SpecViolation>();
            Assert.Equal(0, mapper.MapAndValidate(ctx, [LegacyFixtures.Record("JUMIN.dat", 1, "", LegacyFixtures.JuminFields, v)], output, violations));
            return Assert.IsType<Resident>(Assert.Single(output));
        }

        var real = Map(v => v["BANCHI"] = "1-2 A");
        Assert.Equal((new DateOnly(1989, 1, 7), (bool?)false, (string?)null), (real.SeinengappiYmd, real.SeinengappiYmdFushoFlag, real.SeinengappiYmdFushoHyoki));
        Assert.Equal("１－２　Ａ", real.JushoBanchi); // 住所_番地号表記 is Ｎ: ASCII widened, nothing else changed
        Assert.Null(real.ShojoIdoYmdFushoFlag);       // no date at all: no flag either

        var nonExistent = Map(v => v["SEINENGAPPI"] = "3450229"); // 昭和45年2月29日: 1970 is not a leap year
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和４５年２月２９日"), (nonExistent.SeinengappiYmd, nonExistent.SeinengappiYmdFushoFlag, nonExistent.SeinengappiYmdFushoHyoki));

        var partly = Map(v => v["JUMIN_YMD"] = "3200000"); // 昭和20年, month and day unknown
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和２０年○月○日"), (partly.JuminYmd, partly.JuminYmdFushoFlag, partly.JuminYmdFushoHyoki));

        var flagged = Map(v => { v["SEINENGAPPI_FUSHO"] = "1"; v["SEINENGAPPI_HYOKI"] = "昭和20年頃"; });
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和２０年頃"), (flagged.SeinengappiYmd, flagged.SeinengappiYmdFushoFlag, flagged.SeinengappiYmdFushoHyoki));
    }

    [Fact]
    public void Wareki_text_fills_the_date_or_carries_its_text_as_written_in_the_unknown_pair()
    {
        var dir = Directory.CreateTempSubdirectory("cfg");
        try
        {
            LegacyFixtures.CopyConfiguration(Config.Root, dir.FullName);
            var fields = Path.Combine(dir.FullName, "opensys", "fields.csv");
            var lines = File.ReadAllLines(fields).Select(l => l.StartsWith("JUMIN,SEINENGAPPI,", StringComparison.Ordinal) ? "JUMIN,SEINENGAPPI_HYOKI,Resident,00100022,wareki-text," : l);
            File.WriteAllLines(fields, lines);
            var config = MappingConfig.Load(dir.FullName);
            var links = new LinkIndex();
            var h = LegacyFixtures.Atena(500000001);
            links.AddHousehold(h, "山田\u3000太郎");
            var mapper = new MappingEngine(config).FindMapper("opensys", "JUMIN")!;
            var ctx = new MapContext(config, links);
            Resident Map(string text)
            {
                var v = LegacyFixtures.Jumin(LegacyFixtures.Atena(100001), h);
                v["SEINENGAPPI_HYOKI"] = text;
                var output = new List<IStandardRecord>();
                Assert.Equal(0, mapper.MapAndValidate(ctx, [LegacyFixtures.Record("JUMIN.dat", 1, "", LegacyFixtures.JuminFields, v)], output, []));
                return Assert.IsType<Resident>(Assert.Single(output));
            }
            var real = Map("昭和64年1月7日");
            Assert.Equal((new DateOnly(1989, 1, 7), (bool?)false, (string?)null), (real.SeinengappiYmd, real.SeinengappiYmdFushoFlag, real.SeinengappiYmdFushoHyoki));
            var unknown = Map("昭和20年頃");
            Assert.Equal(((DateOnly?)null, (bool?)true, "昭和２０年頃"), (unknown.SeinengappiYmd, unknown.SeinengappiYmdFushoFlag, unknown.SeinengappiYmdFushoHyoki));
            var nonExistent = Map("平成3年2月30日");
            Assert.Equal(((DateOnly?)null, (bool?)true, "平成３年２月３０日"), (nonExistent.SeinengappiYmd, nonExistent.SeinengappiYmdFushoFlag, nonExistent.SeinengappiYmdFushoHyoki));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void A_unknown_date_text_over_72_characters_is_rejected_naming_the_date_item()
    {
        var (mapper, ctx, h) = JuminMapper();
        var v = LegacyFixtures.Jumin(LegacyFixtures.Atena(100001), h);
        v["SEINENGAPPI_FUSHO"] = "1";
        v["SEINENGAPPI_HYOKI"] = new string('頃', 73);
        var output = new List<IStandardRecord>();
        // The conversion problem, and the empty mandatory date it leaves (the engine reports an item's problem once).
        Assert.Equal(2, mapper.MapAndValidate(ctx, [LegacyFixtures.Record("JUMIN.dat", 1, "", LegacyFixtures.JuminFields, v)], output, []));
        var issue = Assert.Single(ctx.Issues);
        Assert.Equal((MappingRejectReasons.InvalidDate, "00100022", "生年月日"), (issue.Reason, issue.ItemId, issue.ItemNameJa));
    }

    [Fact]
    public void Records_of_another_field_order_read_their_own_fields_through_the_same_mapper()
    {
        // Field indexes are resolved once per layout (names array); a record of another layout must not be read
        // at the indexes of the first, whichever comes first and however they alternate.
        var (mapper, ctx, h) = JuminMapper();
        string[] reversed = [.. LegacyFixtures.JuminFields.Reverse()];
        var output = new List<IStandardRecord>();
        var seen = new List<(string?, string?, DateOnly?)>();
        for (var i = 0; i < 4; i++)
        {
            var a = LegacyFixtures.Atena(100001 + i);
            var v = LegacyFixtures.Jumin(a, h);
            v["SHIMEI"] = "氏名" + i;
            var record = LegacyFixtures.Record("JUMIN.dat", i + 1, "", i % 2 == 0 ? LegacyFixtures.JuminFields : reversed, v);
            Assert.Equal(0, mapper.MapAndValidate(ctx, [record], output, []));
            var r = Assert.IsType<Resident>(Assert.Single(output));
            seen.Add((r.AtenaNo, r.Shimei, r.IdoYmd));
            // 氏名 is データ型 Ｎ: the legacy ASCII digit arrives widened (氏名0 → 氏名０).
            Assert.Equal((a, "氏名" + (char)('０' + i)), (r.AtenaNo, r.Shimei));
        }
        Assert.Single(seen.Select(s => s.Item3).Distinct());
    }

    [Fact]
    public void A_batch_is_mapped_then_validated_and_each_problem_counts_once()
    {
        var (mapper, ctx, h) = JuminMapper();
        var good = LegacyFixtures.Jumin(LegacyFixtures.Atena(100001), h);
        var badCheckDigit = LegacyFixtures.Jumin(LegacyFixtures.Atena(100002), h);
        badCheckDigit["KOJIN_NO"] = "123456789019";            // conversion problem; 個人番号 is optional, so the emptied item breaks no rule
        var noName = LegacyFixtures.Jumin(LegacyFixtures.Atena(100003), h);
        noName["SHIMEI"] = "";                                 // item rule: 氏名 is required
        LegacyRecord[] batch = [.. new[] { good, badCheckDigit, noName }.Select((v, i) => LegacyFixtures.Record("JUMIN.dat", i + 1, "", LegacyFixtures.JuminFields, v))];
        var output = new List<IStandardRecord>();
        var violations = new List<SpecViolation>();

        Assert.Equal(2, mapper.MapAndValidate(ctx, batch, output, violations));
        Assert.Equal([LegacyFixtures.Atena(100001), LegacyFixtures.Atena(100002), LegacyFixtures.Atena(100003)], output.Cast<Resident>().Select(r => r.AtenaNo));
        Assert.Equal(ViolationKind.Required, Assert.Single(violations).Kind); // the last record's violations
        Assert.Equal(0, mapper.MapAndValidate(ctx, batch.AsSpan(0, 1), output, violations));
        Assert.Single(output);
    }

    [Fact]
    public async Task An_address_in_the_city_is_split_into_the_standard_items_with_its_abr_town()
    {
        var (r, result) = await MapAddressesAsync("岐阜県大垣市青墓町一丁目１２番地３", "大垣市青墓町二丁目５番地");
        Assert.Empty(result.Rejects);
        Assert.NotNull(r);
        Assert.Equal(("212024", "0004001", "岐阜県", "大垣市", "青墓町一丁目", "１２番地３"),
            (r.TennyuMaeLgCode, r.TennyuMaeMachiazaId, r.TennyuMaePref, r.TennyuMaeCity, r.TennyuMaeMachiaza, r.TennyuMaeBanchi));
        Assert.Equal(("212024", "0004002", "岐阜県", "大垣市", "青墓町二丁目", "５番地"),
            (r.TenshutsuKakuteiLgCode, r.TenshutsuKakuteiMachiazaId, r.TenshutsuKakuteiPref, r.TenshutsuKakuteiCity, r.TenshutsuKakuteiMachiaza, r.TenshutsuKakuteiBanchi));
        Assert.Empty(result.UnmatchedAddresses);
    }

    [Fact]
    public async Task An_address_elsewhere_stays_whole_in_the_town_item_even_when_a_town_of_that_name_exists_here()
    {
        // 青墓町 exists in 大垣市; the same name under another city must not be taken for it.
        var (r, result) = await MapAddressesAsync("岐阜県岐阜市青墓町一丁目１番地", "ブラジル");
        Assert.Empty(result.Rejects);
        Assert.NotNull(r);
        Assert.Equal("岐阜県岐阜市青墓町一丁目１番地", r.TennyuMaeMachiaza);
        Assert.Equal("ブラジル", r.TenshutsuKakuteiMachiaza);
        Assert.All([r.TennyuMaeLgCode, r.TennyuMaeMachiazaId, r.TennyuMaePref, r.TennyuMaeCity, r.TennyuMaeBanchi,
            r.TenshutsuKakuteiLgCode, r.TenshutsuKakuteiMachiazaId, r.TenshutsuKakuteiPref, r.TenshutsuKakuteiCity, r.TenshutsuKakuteiBanchi], Assert.Null);
        Assert.Empty(result.UnmatchedAddresses);
    }

    [Fact]
    public async Task An_address_in_the_city_with_an_unknown_town_stays_whole_and_is_reported()
    {
        var (r, result) = await MapAddressesAsync("大垣市存在しない町１番地", null);
        Assert.Empty(result.Rejects);
        Assert.NotNull(r);
        Assert.Equal("大垣市存在しない町１番地", r.TennyuMaeMachiaza);
        Assert.Null(r.TennyuMaeMachiazaId);
        Assert.Null(r.TennyuMaeCity);
        var line = Assert.Single(result.UnmatchedAddresses);
        Assert.Equal(("TENNYUMAE_JUSHO", 1L), (line.Field, line.Count));
    }

    [Fact]
    public async Task An_unmapped_gaiji_in_a_split_address_is_one_reject_issue()
    {
        var (r, result) = await MapAddressesAsync("大垣市青墓町一丁目\uF8F0番地", null);
        Assert.Null(r);
        var reject = Assert.Single(result.Rejects);
        var issue = Assert.Single(reject.Issues);
        Assert.Equal(("unmappable-gaiji", "00100048"), (issue.Reason, issue.ItemId));
    }

    [Fact]
    public async Task Consecutive_residents_on_one_worker_each_get_their_own_address_split()
    {
        // The split of an address field is shared by its six items within a record: the next record and the other
        // address field of the same record get their own (same text twice in a row, blank, elsewhere, unknown town).
        var h = LegacyFixtures.Atena(500000001);
        var atenas = Enumerable.Range(0, 4).Select(i => LegacyFixtures.Atena(100001 + i * 3)).ToArray();
        string?[] tennyu = ["大垣市青墓町一丁目１番地", "大垣市青墓町一丁目１番地", "ブラジル", null];
        string?[] tenshutsu = ["大垣市青墓町二丁目５番地", null, "大垣市青墓町一丁目２番地", "大垣市存在しない町１番地"];
        var records = new List<LegacyReadResult>();
        for (var i = 0; i < atenas.Length; i++)
        {
            var v = LegacyFixtures.Jumin(atenas[i], h, zokugara: i == 0 ? "01" : "10");
            v["TENNYUMAE_JUSHO"] = tennyu[i];
            v["TENSHUTSU_JUSHO"] = tenshutsu[i];
            records.Add(J(i + 1, v));
        }
        var result = await new MappingEngine(Config).RunAsync([Setai(S(1, LegacyFixtures.Setai(h, atenas[0]))), Jumin([.. records])],
            new MappingOptions(Degree: 1), TestContext.Current.CancellationToken);

        Assert.Empty(result.Rejects);
        var r = result.RecordsOf("Resident").Cast<Resident>().ToArray();
        Assert.Equal(4, r.Length);
        Assert.Equal(("0004001", "１番地", "0004002", "５番地"), (r[0].TennyuMaeMachiazaId, r[0].TennyuMaeBanchi, r[0].TenshutsuKakuteiMachiazaId, r[0].TenshutsuKakuteiBanchi));
        Assert.Equal(("0004001", "１番地", null, null), (r[1].TennyuMaeMachiazaId, r[1].TennyuMaeBanchi, r[1].TenshutsuKakuteiMachiazaId, r[1].TenshutsuKakuteiMachiaza));
        Assert.Equal((null, "ブラジル", "0004001", "２番地"), (r[2].TennyuMaeMachiazaId, r[2].TennyuMaeMachiaza, r[2].TenshutsuKakuteiMachiazaId, r[2].TenshutsuKakuteiBanchi));
        Assert.Equal((null, null, null, "大垣市存在しない町１番地"), (r[3].TennyuMaeMachiazaId, r[3].TennyuMaeMachiaza, r[3].TenshutsuKakuteiMachiazaId, r[3].TenshutsuKakuteiMachiaza));
        var line = Assert.Single(result.UnmatchedAddresses);
        Assert.Equal(("TENSHUTSU_JUSHO", 1L), (line.Field, line.Count));
    }

    [Fact]
    public async Task A_resident_maps_every_converted_item()
    {
        var a = LegacyFixtures.Atena(100001);
        var h = LegacyFixtures.Atena(500000001);
        var engine = new MappingEngine(Config);
        var result = await engine.RunAsync([Setai(S(1, LegacyFixtures.Setai(h, a))), Jumin(J(1, LegacyFixtures.Jumin(a, h)))], new MappingOptions(Degree: 2), TestContext.Current.CancellationToken);

        Assert.Empty(result.Rejects);
        var r = Assert.IsType<Resident>(Assert.Single(result.RecordsOf("Resident")));
        Assert.Equal(a, r.AtenaNo);
        Assert.Equal(h, r.SetaiNo);
        Assert.Equal("1", r.JuminShubetsu);
        Assert.Equal("1", r.JuminJotai);
        Assert.Equal(new DateOnly(1989, 1, 7), r.SeinengappiYmd); // 昭和64年1月7日
        Assert.Equal((false, (string?)null), (r.SeinengappiYmdFushoFlag, r.SeinengappiYmdFushoHyoki));
        Assert.Equal(new DateOnly(1989, 1, 10), r.IdoTodokedeYmd);
        Assert.Equal("13", r.IdoJiyu);
        Assert.Equal("山田\u3000太郎", r.Shimei);
        Assert.Equal("ヤマダ\u3000タロウ", r.ShimeiKana);
        Assert.Equal("1", r.Seibetsu);
        Assert.Equal("男", r.SeibetsuHyoki);
        Assert.Equal("02", r.ZokugaraCd1);
        Assert.Null(r.ZokugaraCd2);
        Assert.Equal("山田\u3000太郎", r.SetainushiShimei);
        Assert.Equal("212024", r.JushoLgCode);
        Assert.Equal("岐阜県", r.JushoPref);
        Assert.Equal("大垣市", r.JushoCity);
        Assert.Equal("0004001", r.JushoMachiazaId);
        Assert.Null(r.JushoZip);
        Assert.Null(r.ShojoJiyu);
        Assert.Null(r.ShojoTodokedeYmd);
        Assert.Equal("123456789018", r.KojinBango);
        Assert.True(r.SenkyoninTorokuFlag);
        Assert.False(r.NenkinFlag);
        Assert.Null(r.NenkinShubetsu);
        var hh = Assert.IsType<Household>(Assert.Single(result.RecordsOf("Household")));
        Assert.Equal(1, hh.SetaiKoseiNinzu);
        Assert.True(result.Balances);
    }

    [Fact]
    public async Task Defects_become_rejects_with_reason_item_and_field_and_counts_balance()
    {
        var h = LegacyFixtures.Atena(500000001);
        var atenas = Enumerable.Range(0, 10).Select(i => LegacyFixtures.Atena(100001 + i * 3)).ToArray();
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < atenas.Length; i++) rows.Add(LegacyFixtures.Jumin(atenas[i], h, zokugara: i == 0 ? "01" : "10"));
        rows[1]["KOJIN_NO"] = "123456789012";           // invalid-check-digit
        rows[2]["ZOKUGARA_CD"] = "77";                   // unmapped-code
        rows[3]["IDO_TODOKEDE_YMD"] = "20230230";        // impossible-date
        rows[4]["SEINENGAPPI"] = "3450229";              // unknown-date (non-existent): kept
        rows[5]["SEINENGAPPI"] = "0000000";
        rows[5]["SEINENGAPPI_FUSHO"] = "1";
        rows[5]["SEINENGAPPI_HYOKI"] = "昭和２０年頃";      // unknown-date (不詳): kept
        rows[6]["SETAI_NO"] = LegacyFixtures.Atena(599999001); // orphan-member
        rows[7]["SHIMEI"] = "\uE123田";                  // unmappable-gaiji
        rows[8]["JUMIN_JOTAI"] = "2";                    // 住登外: excluded
        rows[8]["SETAI_NO"] = "0000000000";
        rows[9]["ATENA_NO"] = atenas[0];                 // duplicate-key
        var records = rows.Select((r, i) => (LegacyReadResult)J(i + 1, r)).ToList();
        records.Add(new LegacyReject(new SourceLocation("JUMIN.dat", 11, 8000, "SHIMEI"), RejectReasons.UndefinedBytes, "bytes not in CP932"));

        var engine = new MappingEngine(Config);
        var result = await engine.RunAsync([Setai(S(1, LegacyFixtures.Setai(h, atenas[0]))), Jumin([.. records])], new MappingOptions(Degree: 2, BatchSize: 3), TestContext.Current.CancellationToken);

        var jumin = result.Counts.Single(c => c.Source == "opensys:JUMIN.dat");
        Assert.Equal(11, jumin.Read);
        Assert.Equal(3, jumin.Mapped);      // the head and the two kept 不詳 birth dates
        Assert.Equal(1, jumin.Excluded);
        Assert.Equal(7, jumin.Rejected);   // six defects and the adapter reject
        Assert.True(result.Balances);
        string ReasonAt(long n) => result.Rejects.Single(r => r.Location.File == "JUMIN.dat" && r.Location.RecordNumber == n).Reason;
        Assert.Equal(MappingRejectReasons.InvalidCheckDigit, ReasonAt(2));
        Assert.Equal(MappingRejectReasons.UnmappedCode, ReasonAt(3));
        Assert.Equal(MappingRejectReasons.ImpossibleDate, ReasonAt(4));
        Assert.Equal(MappingRejectReasons.OrphanMember, ReasonAt(7));
        Assert.Equal(MappingRejectReasons.UnmappableGaiji, ReasonAt(8));
        Assert.Equal(MappingRejectReasons.DuplicateKey, ReasonAt(10));
        Assert.Equal("source-reject:undefined-bytes", ReasonAt(11));

        var impossible = result.Rejects.Single(r => r.Location.RecordNumber == 4).Issues.Single();
        Assert.Equal(("00100006", "異動届出年月日", "IDO_TODOKEDE_YMD"), (impossible.ItemId, impossible.ItemNameJa, impossible.Field));
        var mynumber = result.Rejects.Single(r => r.Location.RecordNumber == 2);
        Assert.DoesNotContain("123456789012", mynumber.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("123456789012", result.ToMarkdown(), StringComparison.Ordinal);

        var kept = result.RecordsOf("Resident").Cast<Resident>().ToDictionary(r => r.AtenaNo!);
        // A non-existent and a 不詳 birth date travel in the 不詳 pair, the DATE empty; the 表記 is full width (データ型 Ｎ).
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和４５年２月２９日"), (kept[atenas[4]].SeinengappiYmd, kept[atenas[4]].SeinengappiYmdFushoFlag, kept[atenas[4]].SeinengappiYmdFushoHyoki));
        Assert.Equal(((DateOnly?)null, (bool?)true, "昭和２０年頃"), (kept[atenas[5]].SeinengappiYmd, kept[atenas[5]].SeinengappiYmdFushoFlag, kept[atenas[5]].SeinengappiYmdFushoHyoki));
        Assert.Equal(2, result.KeptUnknownDates.Sum(l => l.Count));

        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(9, excluded.Location.RecordNumber);
        Assert.Contains("住登外", excluded.Reason, StringComparison.Ordinal);
        var code = Assert.Single(result.UnmappedCodes);
        Assert.Equal(("CT-ZOKUGARA", "77", 1L), (code.Table, code.Value, code.Count));
        var gaiji = Assert.Single(result.UnmappedGaiji);
        Assert.Equal("U+E123", gaiji.Value);
        Assert.StartsWith("p-", gaiji.ExampleKeys[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Households_need_exactly_one_current_head()
    {
        var h1 = LegacyFixtures.Atena(500000001);
        var h2 = LegacyFixtures.Atena(500000010);
        var a = LegacyFixtures.Atena(100001);
        var b = LegacyFixtures.Atena(100010);
        var c = LegacyFixtures.Atena(100020);
        var engine = new MappingEngine(Config);
        var result = await engine.RunAsync(
        [
            Setai(S(1, LegacyFixtures.Setai(h1, a)), S(2, LegacyFixtures.Setai(h2, b))),
            Jumin(J(1, LegacyFixtures.Jumin(a, h1)), J(2, LegacyFixtures.Jumin(b, h2, zokugara: "10")), J(3, LegacyFixtures.Jumin(c, h2, zokugara: "10"))),
        ], cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(result.RecordsOf("Household"));
        var reject = Assert.Single(result.Rejects);
        Assert.Equal(MappingRejectReasons.HouseholdHeadCount, reject.Reason);
        Assert.Equal("SETAI.dat", reject.Location.File);
        Assert.Equal(2, reject.Location.RecordNumber);
        Assert.True(result.Balances);
    }

    [Fact]
    public async Task Output_and_reports_do_not_depend_on_thread_count_or_batch_size()
    {
        var h = LegacyFixtures.Atena(500000001);
        var head = LegacyFixtures.Atena(100001);
        var rows = new List<LegacyReadResult> { J(1, LegacyFixtures.Jumin(head, h)) };
        for (var i = 1; i < 500; i++)
        {
            var v = LegacyFixtures.Jumin(LegacyFixtures.Atena(100001 + i * 3), h, zokugara: i % 7 == 0 ? "9" + (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : "10");
            if (i % 11 == 0) v["SHIMEI"] = (char)(0xE000 + i % 10) + "野";
            rows.Add(J(i + 1, v));
        }
        var engine = new MappingEngine(Config);
        async Task<string> Run(int degree, int batch)
        {
            var r = await engine.RunAsync([Setai(S(1, LegacyFixtures.Setai(h, head))), Jumin([.. rows])], new MappingOptions(degree, batch), TestContext.Current.CancellationToken);
            return r.ToMarkdown() + string.Join('\n', r.Rejects.Select(x => x.ToString())) + string.Join('\n', r.RecordsOf("Resident").Select(x => x.ToString()));
        }
        var one = await Run(1, 1024);
        Assert.Equal(one, await Run(2, 7));
        Assert.Equal(one, await Run(4, 1));
    }

    [Fact]
    public async Task A_sink_receives_the_same_records_in_the_same_order_without_retention()
    {
        var h = LegacyFixtures.Atena(500000001);
        var head = LegacyFixtures.Atena(100001);
        var rows = new List<LegacyReadResult> { J(1, LegacyFixtures.Jumin(head, h)) };
        for (var i = 1; i < 300; i++) rows.Add(J(i + 1, LegacyFixtures.Jumin(LegacyFixtures.Atena(100001 + i * 3), h, zokugara: "10")));
        var engine = new MappingEngine(Config);
        var retained = await engine.RunAsync([Setai(S(1, LegacyFixtures.Setai(h, head))), Jumin([.. rows])], new MappingOptions(2, 16), TestContext.Current.CancellationToken);
        var streamed = new List<(string Entity, string Record)>();
        var result = await engine.RunAsync([Setai(S(1, LegacyFixtures.Setai(h, head))), Jumin([.. rows])], new MappingOptions(2, 16,
            Sink: (entity, records, _) =>
            {
                foreach (var r in records) streamed.Add((entity.Name, r.ToString()!));
                return ValueTask.CompletedTask;
            }, RetainRecords: false), TestContext.Current.CancellationToken);
        Assert.Empty(result.Records);
        Assert.Equal(retained.RecordsOf("Resident").Select(r => ("Resident", r.ToString()!)).Concat(retained.RecordsOf("Household").Select(r => ("Household", r.ToString()!))), streamed);
        Assert.Equal(retained.ToMarkdown(), result.ToMarkdown());
    }

    [Fact]
    public async Task Progress_is_reported_after_every_batch_with_the_records_read_over_all_sources()
    {
        var h = LegacyFixtures.Atena(500000001);
        var atenas = Enumerable.Range(0, 10).Select(i => LegacyFixtures.Atena(100001 + i * 3)).ToArray();
        var records = atenas.Select((a, i) => (LegacyReadResult)J(i + 1, LegacyFixtures.Jumin(a, h, zokugara: i == 0 ? "01" : "10"))).ToList();
        var seen = new List<long>();

        var result = await new MappingEngine(Config).RunAsync([Setai(S(1, LegacyFixtures.Setai(h, atenas[0]))), Jumin([.. records])],
            new MappingOptions(Degree: 2, BatchSize: 3, Progress: seen.Add), TestContext.Current.CancellationToken);

        // One household batch, then the ten residents in batches of 3, 3, 3, 1: the stage shows movement, not 0 until the end.
        Assert.Equal([1L, 4L, 7L, 10L, 11L], seen);
        Assert.Equal(result.Counts.Sum(c => c.Read), seen[^1]);
    }

    [Fact]
    public async Task Small_batches_on_several_workers_reusing_their_arrays_give_the_records_of_one_batch_in_source_order()
    {
        var h = LegacyFixtures.Atena(500000001);
        var atenas = Enumerable.Range(0, 50).Select(i => LegacyFixtures.Atena(100001 + i * 3)).ToArray();
        List<LegacyReadResult> Records() => [.. atenas.Select((a, i) => (LegacyReadResult)J(i + 1, LegacyFixtures.Jumin(a, h, zokugara: i == 0 ? "01" : "10")))];
        async Task<MappingResult> Run(MappingOptions options) =>
            await new MappingEngine(Config).RunAsync([Setai(S(1, LegacyFixtures.Setai(h, atenas[0]))), Jumin([.. Records()])], options, TestContext.Current.CancellationToken);

        var one = await Run(new MappingOptions(Degree: 1, BatchSize: 1000));
        var many = await Run(new MappingOptions(Degree: 3, BatchSize: 4)); // 13 batches, the last of 2: arrays go round
        Assert.Equal(atenas, one.RecordsOf("Resident").Cast<Resident>().Select(r => r.AtenaNo));
        Assert.Equal(one.RecordsOf("Resident").Cast<Resident>(), many.RecordsOf("Resident").Cast<Resident>());
        Assert.Equal(one.ToMarkdown(), many.ToMarkdown());
    }
}
