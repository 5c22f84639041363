using System.Globalization;
using Ogaki.Migration.LegacyEstate.Legacy;
using Ogaki.Migration.LegacyEstate.Model;
using Ogaki.Migration.LegacyEstate.Writers;

namespace Ogaki.Migration.LegacyEstate;

/// <summary>Projects generated persons and households onto the legacy records, injects defects and writes them.</summary>
internal sealed class Emitter(
    FixedRecordWriter jumin,
    FixedRecordWriter setai,
    CsvRowWriter ido,
    SqliteEstateWriter db,
    ZeimastWriter? zei,
    DefectInjector defects,
    NumberAllocator orphanNumbers,
    Action<string, long> count,
    Func<long> nextOperation,
    Random random)
{
    const string OpenSys = "opensys", Csv = "csv", Sqlite = "sqlite", Mainframe = "mainframe";
    const string JuminFile = "JUMIN.dat", IdoFile = "IDO_RIREKI.csv", DbFile = "jidoteate.db", ZeiFile = "ZEIMAST.dat";
    static readonly string[] JuminKinds =
        [DefectKinds.InvalidCheckDigit, DefectKinds.UnmappedCode, DefectKinds.ImpossibleDate, DefectKinds.UnknownDate, DefectKinds.OrphanMember, DefectKinds.DuplicateKey, DefectKinds.UnmappableGaiji];
    static readonly string[] IdoKinds = [DefectKinds.UnmappedCode, DefectKinds.ImpossibleDate, DefectKinds.OverLength];
    static readonly string[] IdoKindsNoTodokede = [DefectKinds.UnmappedCode, DefectKinds.OverLength];
    static readonly string[] ZeiKinds = [DefectKinds.InvalidCheckDigit, DefectKinds.UnmappedCode, DefectKinds.ImpossibleDate, DefectKinds.DuplicateKey, DefectKinds.UnmappableGaiji];
    static readonly string[] JukyushaKinds = [DefectKinds.ImpossibleDate, DefectKinds.OverLength];
    static readonly string[] JidoKinds = [DefectKinds.UnmappedCode];
    static readonly string[] None = [];

    Random D => defects.Random;

    /// <summary>Writes the household's persons (sorted by 宛名番号, with their two 課税年度 each) and its SETAI record.</summary>
    public void EmitHousehold(Household hh, Person[] persons, ZeimastDetail?[] taxes)
    {
        for (var i = 0; i < persons.Length; i++) EmitPerson(persons[i], taxes, 2 * i);
        var head = hh.Head;
        setai.Clear();
        setai.Set("SETAI_NO", hh.SetaiNo);
        setai.Set("SETAINUSHI_ATENA_NO", head.AtenaNo);
        setai.Set("SETAINUSHI_SHIMEI", head.Shimei);
        setai.Set("SETAINUSHI_KANA", Kana(head));
        setai.Set("SETAIIN_SU", LegacyText.Int(hh.Members.Count, 3));
        setai.Set("LG_CODE", LegacyEstateGenerator.LgCode);
        setai.Set("MACHIAZA_CD", hh.Town.MachiazaId);
        setai.Set("MACHIAZA", hh.Town.Name);
        setai.Set("BANCHI", hh.Banchi);
        setai.Set("KATAGAKI", hh.Katagaki);
        setai.Set("ZIP", hh.Town.Zip.Length == 7 ? hh.Town.Zip : "0000000");
        setai.Set("SETAI_KOSEI_YMD", LegacyText.Ymd(hh.KoseiYmd));
        setai.Set("KOSHIN_YMD", LegacyText.Ymd(hh.Members.Max(m => m.History.Count > 0 ? m.History[^1].Date : m.JuminYmd)));
        setai.WriteRecord();
    }

    static string Kana(Person p) => LegacyText.ToHalfWidthKana(p.KanaFull);

    static string WithUnmappableGaiji(string name, Random r, out int pua)
    {
        pua = GaijiTable.UnmappableFirst + r.Next(0x158);
        var at = name.IndexOf('\u3000', StringComparison.Ordinal);
        var i = at >= 0 && at + 1 < name.Length ? at + 1 : 0;
        return name[..i] + (char)pua + name[(i + 1)..];
    }

    public void EmitPerson(Person p, ZeimastDetail?[]? taxes, int taxIndex)
    {
        var rng = random;
        count("opensys/JUMIN.dat:status-" + p.Status, 1);
        if (p.Foreign) count("opensys/JUMIN.dat:foreign", 1);
        if (p.Shimei.Any(c => c >= '\uE000' && c <= '\uF8FF')) count("opensys/JUMIN.dat:gaiji-names", 1);
        WriteJumin(p, rng);
        if (p.Status == '2') return;
        WriteHistory(p, rng);
        if (zei is null || taxes is null) return;
        for (var k = 0; k < 2; k++)
        {
            if (taxes[taxIndex + k] is { } d) WriteZeimast(d);
        }
    }

    void WriteJumin(Person p, Random rng)
    {
        var last = p.History.Count > 0 ? p.History[^1] : null;
        var live = p.Status == '1';
        var age = p.AgeAt(PopulationBuilder.AsOf);
        jumin.Clear();
        jumin.Set("ATENA_NO", p.AtenaNo);
        jumin.Set("SETAI_NO", p.SetaiNo);
        jumin.Set("JUMIN_SHU", p.Foreign ? "G" : "N");
        jumin.Set("JUMIN_JOTAI", p.Status.ToString());
        jumin.Set("SHIMEI", p.Shimei);
        jumin.Set("SHIMEI_KANA", Kana(p));
        jumin.Set("SHIMEI_ROMA", p.Foreign ? p.Roma : "");
        jumin.Set("KYUUJI", p.Kyuuji);
        jumin.Set("SEIBETSU", p.Sex.ToString());
        jumin.Set("SEINENGAPPI", LegacyText.Eymd(p.Birth));
        jumin.Set("ZOKUGARA_CD", p.Zokugara);
        jumin.Set("ZOKUGARA_HYOKI", p.ZokugaraHyoki);
        jumin.Set("SETAI_JUNI", LegacyText.Int(p.Juni, 2));
        jumin.Set("LG_CODE", p.LgCode);
        jumin.Set("MACHIAZA_CD", p.MachiazaId);
        jumin.Set("MACHIAZA", p.Machiaza);
        jumin.Set("BANCHI", p.Banchi);
        jumin.Set("KATAGAKI", p.Katagaki);
        jumin.Set("ZIP", p.Zip);
        jumin.Set("JUMIN_YMD", LegacyText.Eymd(p.JuminYmd));
        jumin.Set("JUSHOTEI_YMD", LegacyText.Eymd(p.JushoTeiYmd));
        jumin.Set("JUSHOTEI_TODOKEDE_YMD", LegacyText.Ymd(p.JushoTeiTodokede));
        jumin.Set("IDO_YMD", LegacyText.Eymd(last?.Date ?? p.JuminYmd));
        jumin.Set("IDO_TODOKEDE_YMD", LegacyText.Ymd(last?.Todokede));
        jumin.Set("IDO_JIYU", last?.Jiyu ?? "");
        jumin.Set("TENNYUMAE_JUSHO", p.TennyuMae);
        jumin.Set("TENSHUTSU_JUSHO", p.Tenshutsu);
        jumin.Set("SHOJO_JIYU", p.ShojoJiyu);
        jumin.Set("SHOJO_TODOKEDE_YMD", LegacyText.Ymd(p.ShojoTodokede));
        jumin.Set("SHOJO_IDO_YMD", LegacyText.Eymd(p.ShojoIdo));
        jumin.Set("KOJIN_NO", p.MyNumber);
        jumin.Set("JUMINHYO_CD", p.JuminhyoCd);
        jumin.Set("KOKUSEKI_CD", p.Foreign ? p.Country : "");
        jumin.Set("ZAIRYU_SHIKAKU", p.Foreign ? (p.Country is "410" ? "500" : "027") : "");
        jumin.Set("HO30_45", p.Foreign ? (p.Country is "410" ? "02" : "01") : "");
        jumin.Set("ZAIRYU_MANRYO_YMD", p.Foreign && p.Country is not "410" ? LegacyText.Ymd(PopulationBuilder.AsOf.AddDays(rng.Next(30, 1100))) : "");
        jumin.Set("SENKYO", live && !p.Foreign && age >= 18 ? "1" : "0");
        var working = p.Salary > 0 && !p.PublicServant;
        jumin.Set("KOKUHO", live && age < 75 && !working ? "1" : "0");
        jumin.Set("KOKI", live && age >= 75 ? "1" : "0");
        jumin.Set("KAIGO", live && age >= 65 ? "1" : "0");
        jumin.Set("NENKIN", !live || age < 20 || age >= 60 ? "0" : p.Salary >= 1_300_000 ? "2" : p.Salary > 0 || p.Business > 0 || p.Sex == 'M' ? "1" : "3");
        var updated = last?.Todokede ?? last?.Date ?? p.JuminYmd;
        var stamp = LegacyText.Ymd(updated) + LegacyText.Int(rng.Next(8, 18), 2) + LegacyText.Int(rng.Next(60), 2) + LegacyText.Int(rng.Next(60), 2);
        jumin.Set("KOSHIN_NICHIJI", stamp);

        // Defects (at most one per record).
        var nonHead = p.Status == '1' && !p.IsHead && p.Zokugara != "  ";
        Span<string> kinds = new string[JuminKinds.Length];
        var n = 0;
        foreach (var k in JuminKinds)
        {
            var ok = k switch
            {
                DefectKinds.InvalidCheckDigit => p.MyNumber.Length == 12,
                DefectKinds.UnmappedCode => p.Status != '2',
                DefectKinds.ImpossibleDate => p.Status != '2',
                DefectKinds.UnknownDate => p.Status != '2' && !p.BornHere && age >= 25,
                DefectKinds.OrphanMember => nonHead,
                DefectKinds.DuplicateKey => nonHead,
                DefectKinds.UnmappableGaiji => !p.Foreign && p.Status != '2',
                _ => false,
            };
            if (ok) kinds[n++] = k;
        }
        var kind = defects.Pick(kinds[..n]);
        var recordNo = jumin.Count + 1;
        var at = "record " + LegacyText.Inv(recordNo);
        switch (kind)
        {
            case DefectKinds.InvalidCheckDigit:
            {
                var bad = p.MyNumber[..11] + (char)('0' + ((p.MyNumber[11] - '0' + 1 + D.Next(9)) % 10));
                jumin.Set("KOJIN_NO", bad);
                defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "KOJIN_NO", at + ": 個人番号 check digit altered");
                break;
            }
            case DefectKinds.UnmappedCode:
                if (nonHead)
                {
                    jumin.Set("ZOKUGARA_CD", "7Z");
                    defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "ZOKUGARA_CD", at + ": 続柄 '7Z'");
                }
                else
                {
                    jumin.Set("IDO_JIYU", "399");
                    defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "IDO_JIYU", at + ": 異動事由 '399'");
                }
                break;
            case DefectKinds.ImpossibleDate:
            {
                var field = last?.Todokede is not null ? "IDO_TODOKEDE_YMD" : "JUSHOTEI_TODOKEDE_YMD";
                var year = (last?.Todokede ?? p.JushoTeiTodokede).Year;
                var (m, d) = defects.ImpossibleMonthDay(year);
                var v = DefectInjector.Ymd(year, m, d);
                jumin.Set(field, v);
                defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, field, at + ": " + v);
                break;
            }
            case DefectKinds.UnknownDate:
            {
                var (era, ey) = LegacyText.ToEra(p.Birth);
                if (D.NextDouble() < 0.5)
                {
                    var (m, d) = defects.ImpossibleMonthDay(p.Birth.Year);
                    var v = string.Create(CultureInfo.InvariantCulture, $"{era}{ey:00}{m:00}{d:00}");
                    jumin.Set("SEINENGAPPI", v);
                    defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "SEINENGAPPI", at + ": non-existent " + v + " (keep)");
                }
                else
                {
                    var eraName = era switch { 1 => "明治", 2 => "大正", 3 => "昭和", 4 => "平成", _ => "令和" };
                    var text = D.Next(3) switch
                    {
                        0 => eraName + LegacyText.FullWidthDigits(ey) + "年頃",
                        1 => eraName + LegacyText.FullWidthDigits(ey) + "年" + LegacyText.FullWidthDigits(p.Birth.Month) + "月上旬",
                        _ => "年月日不詳",
                    };
                    jumin.Set("SEINENGAPPI", "0000000");
                    jumin.Set("SEINENGAPPI_FUSHO", "1");
                    jumin.Set("SEINENGAPPI_HYOKI", text);
                    defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "SEINENGAPPI", at + ": 不詳 '" + text + "' (keep)");
                }
                break;
            }
            case DefectKinds.OrphanMember:
            {
                var orphan = orphanNumbers.Next();
                jumin.Set("SETAI_NO", orphan);
                defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "SETAI_NO", at + ": 世帯番号 " + orphan + " not in SETAI.dat");
                break;
            }
            case DefectKinds.UnmappableGaiji:
            {
                var name = WithUnmappableGaiji(p.Shimei, D, out var pua);
                jumin.Set("SHIMEI", name);
                defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "SHIMEI", at + string.Create(CultureInfo.InvariantCulture, $": U+{pua:X4} not in gaiji.csv"));
                break;
            }
        }
        jumin.WriteRecord();
        if (kind == DefectKinds.DuplicateKey)
        {
            // A stale copy of the same person that was never purged.
            jumin.Set("KOSHIN_NICHIJI", "20100401090000");
            jumin.WriteRecord();
            defects.Add(OpenSys, JuminFile, p.AtenaNo, kind, "ATENA_NO", "record " + LegacyText.Inv(recordNo + 1) + " repeats 宛名番号 of record " + LegacyText.Inv(recordNo));
        }
    }

    void WriteHistory(Person p, Random rng)
    {
        var kana = Kana(p);
        Span<string> f = new string[14];
        for (var i = 0; i < p.History.Count; i++)
        {
            var h = p.History[i];
            var op = nextOperation();
            f[0] = p.AtenaNo;
            f[1] = LegacyText.Inv(h.RirekiNo);
            f[2] = LegacyText.Inv(h.Edaban);
            f[3] = h.Jiyu;
            f[4] = LegacyText.Eymd(h.Date);
            f[5] = h.Todokede is { } t ? t.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture) : "";
            f[6] = h.SetaiNo;
            f[7] = p.Shimei;
            f[8] = kana;
            f[9] = h.MachiazaId ?? "";
            f[10] = h.Jotai;
            f[11] = i == p.History.Count - 1 ? "*" : "";
            f[12] = "U" + LegacyText.Int(1 + (op * 37 + rng.Next(5)) % 240, 5);
            var opAt = (h.Todokede ?? h.Date).ToDateTime(new TimeOnly(rng.Next(8, 18), rng.Next(60), rng.Next(60)));
            f[13] = opAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

            var kind = defects.Pick(h.Todokede is null ? IdoKindsNoTodokede : IdoKinds);
            var key = p.AtenaNo + "/" + f[1] + "/" + f[2];
            var at = "record " + LegacyText.Inv(ido.Count + 1);
            switch (kind)
            {
                case DefectKinds.UnmappedCode:
                    f[3] = "399";
                    defects.Add(Csv, IdoFile, key, kind, "異動事由", at + ": 異動事由 '399'");
                    break;
                case DefectKinds.ImpossibleDate:
                {
                    var year = h.Todokede!.Value.Year;
                    var (m, d) = defects.ImpossibleMonthDay(year);
                    f[5] = string.Create(CultureInfo.InvariantCulture, $"{year:0000}/{m:00}/{d:00}");
                    defects.Add(Csv, IdoFile, key, kind, "届出年月日", at + ": " + f[5]);
                    break;
                }
                case DefectKinds.OverLength:
                {
                    var s = p.Shimei + "（旧住民票記載事項：";
                    while (s.Length <= 100) s += p.Shimei + "、";
                    f[7] = s + "）";
                    defects.Add(Csv, IdoFile, key, kind, "氏名", at + ": 氏名 of " + LegacyText.Inv(f[7].Length) + " characters (max 100)");
                    break;
                }
            }
            ido.WriteRow(f);
        }
    }

    void WriteZeimast(ZeimastDetail d)
    {
        Span<string> kinds = new string[ZeiKinds.Length];
        var n = 0;
        foreach (var k in ZeiKinds)
        {
            var ok = k switch
            {
                DefectKinds.InvalidCheckDigit => d.KojinNo.Length == 12,
                DefectKinds.UnmappableGaiji => d.Shimei.Contains('\u3000', StringComparison.Ordinal),
                _ => true,
            };
            if (ok) kinds[n++] = k;
        }
        var kind = defects.Pick(kinds[..n]);
        var key = d.AtenaNo + "/" + LegacyText.Inv(d.KazeiNendo);
        var recordNo = zei!.DetailCount + 2; // the header is record 1
        var at = "record " + LegacyText.Inv(recordNo);
        switch (kind)
        {
            case DefectKinds.InvalidCheckDigit:
                d.KojinNo = d.KojinNo[..11] + (char)('0' + ((d.KojinNo[11] - '0' + 1 + D.Next(9)) % 10));
                defects.Add(Mainframe, ZeiFile, key, kind, "ZM-KOJIN-NO", at + ": 個人番号 check digit altered");
                break;
            case DefectKinds.UnmappedCode:
                d.ChoshuKbn = "8";
                defects.Add(Mainframe, ZeiFile, key, kind, "ZM-CHOSHU-KBN", at + ": 徴収区分 '8'");
                break;
            case DefectKinds.ImpossibleDate:
                d.KoseiKaisu = Math.Max(1, d.KoseiKaisu);
                d.KoseiYmd = D.NextDouble() < 0.5 ? "4010107" : "5070230";
                defects.Add(Mainframe, ZeiFile, key, kind, "ZM-KOSEI-YMD", at + ": " + d.KoseiYmd + (d.KoseiYmd == "4010107" ? " (平成元年1月7日: era out of range)" : " (令和7年2月30日)"));
                break;
            case DefectKinds.UnmappableGaiji:
            {
                d.Shimei = WithUnmappableGaiji(d.Shimei, D, out var pua);
                defects.Add(Mainframe, ZeiFile, key, kind, "ZM-SHIMEI", at + string.Create(CultureInfo.InvariantCulture, $": U+{pua:X4} not in gaiji.csv"));
                break;
            }
        }
        zei.Write(d);
        count("mainframe/ZEIMAST.dat:D:kazei-kbn-" + d.KazeiKbn, 1);
        if (kind == DefectKinds.DuplicateKey)
        {
            zei.Write(d);
            defects.Add(Mainframe, ZeiFile, key, kind, "ZM-ATENA-NO", "record " + LegacyText.Inv(recordNo + 1) + " repeats 宛名番号/課税年度 of record " + LegacyText.Inv(recordNo));
        }
    }

    public void EmitAllowance(AllowanceCase c)
    {
        var r = c.Recipient;
        var kind = defects.Pick(JukyushaKinds);
        var at = "record " + LegacyText.Inv(db.JukyushaCount + 1);
        switch (kind)
        {
            case DefectKinds.ImpossibleDate:
            {
                var year = int.Parse(r.SeikyuYmd.AsSpan(0, 4), CultureInfo.InvariantCulture);
                var (m, d) = defects.ImpossibleMonthDay(year);
                r.SeikyuYmd = DefectInjector.Ymd(year, m, d);
                defects.Add(Sqlite, DbFile, r.JkyNo, kind, "JUKYUSHA.SEIKYU_YMD", at + ": " + r.SeikyuYmd);
                break;
            }
            case DefectKinds.OverLength:
                r.KozaKana = r.KozaKana + " ｶ)ｵｵｶﾞｷｼﾞﾄﾞｳﾃｱﾃｼﾞﾑｷｮｸ ﾀﾞｲﾘﾆﾝ";
                defects.Add(Sqlite, DbFile, r.JkyNo, kind, "JUKYUSHA.KOZA_KANA", at + ": 口座名義カナ of " + LegacyText.Inv(r.KozaKana.Length) + " characters (max 30)");
                break;
        }
        db.Write(r);
        foreach (var child in c.Children)
        {
            var k = child.ShikyuKbn is null ? defects.Pick(None) : defects.Pick(JidoKinds);
            if (k == DefectKinds.UnmappedCode)
            {
                child.ShikyuKbn = "X";
                defects.Add(Sqlite, DbFile, child.JkyNo + "/" + child.JidoAtenaNo + "/" + child.TekiyoKaishiYm, k, "TAISHO_JIDO.SHIKYU_KBN", "record " + LegacyText.Inv(db.TaishoJidoCount + 1) + ": 支給区分 'X'");
            }
            db.Write(child);
            count("sqlite/jidoteate.db:TAISHO_JIDO:shikyu-kbn-" + (child.ShikyuKbn ?? "null"), 1);
        }
        foreach (var p in c.Payments) db.Write(p);
        count("sqlite/jidoteate.db:children", c.Children.Select(x => x.JidoAtenaNo).Distinct(StringComparer.Ordinal).Count());
        count("sqlite/jidoteate.db:SHIHARAI:amount-total", c.Payments.Sum(x => x.ShiharaiGaku));
    }
}
