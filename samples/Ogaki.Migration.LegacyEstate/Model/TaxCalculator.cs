using Ogaki.Migration.LegacyEstate.Legacy;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>
/// 個人住民税 per DOMAIN §4.1 (FY2024 rules for both years): 所得割 6 % + 4 % of 課税総所得金額 (1,000円未満切捨て),
/// 調整控除 1,500 / 1,000 (capped), 100円未満切捨て; 均等割 3,000 + 1,000; 森林環境税 1,000.
/// Income deductions follow the statutory amounts in simplified form (see README).
/// </summary>
internal static class TaxCalculator
{

    static decimal Floor(decimal v, decimal unit) => Math.Floor(v / unit) * unit;

    static decimal SalaryDeduction(decimal s) =>
        s <= 1_625_000m ? Math.Min(s, 550_000m)
        : s <= 1_800_000m ? Math.Floor(s * 0.4m) - 100_000m
        : s <= 3_600_000m ? Math.Floor(s * 0.3m) + 80_000m
        : s <= 6_600_000m ? Math.Floor(s * 0.2m) + 440_000m
        : s <= 8_500_000m ? Math.Floor(s * 0.1m) + 1_100_000m
        : 1_950_000m;

    static decimal PensionDeduction(decimal p, bool over65)
    {
        var d = over65
            ? (p <= 3_300_000m ? 1_100_000m : p <= 4_100_000m ? Math.Floor(p * 0.25m) + 275_000m : p <= 7_700_000m ? Math.Floor(p * 0.15m) + 685_000m : Math.Floor(p * 0.05m) + 1_455_000m)
            : (p <= 1_300_000m ? 600_000m : p <= 4_100_000m ? Math.Floor(p * 0.25m) + 275_000m : p <= 7_700_000m ? Math.Floor(p * 0.15m) + 685_000m : Math.Floor(p * 0.05m) + 1_455_000m);
        return Math.Min(p, d);
    }

    /// <summary>Total 所得 of a person for an income year (used for spouse/dependant tests).</summary>
    public static decimal TotalIncome(Person p, decimal factor, DateOnly yearEnd)
    {
        var salary = Floor(p.Salary * factor, 1000m);
        var pension = p.Pension;
        return (salary - SalaryDeduction(salary)) + (pension - PensionDeduction(pension, p.AgeAt(yearEnd) >= 65)) + p.Business + p.Agriculture + p.Rent * 0.6m + p.Dividend;
    }

    /// <summary>One ZEIMAST detail for 課税年度 <paramref name="year"/>, or null when the person is not assessed.</summary>
    public static ZeimastDetail? Assess(Person p, Household? hh, int year, Random r)
    {
        var jan1 = new DateOnly(year, 1, 1);
        if (!p.LivesHereOn(jan1)) return null;
        var incomeYearEnd = new DateOnly(year - 1, 12, 31);
        if (p.AgeAt(incomeYearEnd) < 16) return null;
        var factor = year == 2025 ? 1.0m : 0.98m;
        var d = new ZeimastDetail { AtenaNo = p.AtenaNo, KazeiNendo = year };

        void Income(string code, decimal shunyu, decimal keihi)
        {
            if (shunyu <= 0 || d.Incomes.Count >= 4) return;
            d.Incomes.Add(new ZeimastIncome(code, shunyu, keihi, Math.Max(0, shunyu - keihi)));
        }

        var salary = Floor(p.Salary * factor, 1000m);
        Income("KY", salary, SalaryDeduction(salary));
        Income("NK", p.Pension, PensionDeduction(p.Pension, p.AgeAt(incomeYearEnd) >= 65));
        var business = Floor(p.Business * factor, 1000m);
        Income("EG", Math.Floor(business * 2.2m), Math.Floor(business * 2.2m) - business);
        Income("NG", Math.Floor(p.Agriculture * 1.8m), Math.Floor(p.Agriculture * 1.8m) - p.Agriculture);
        Income("FD", p.Rent, Math.Floor(p.Rent * 0.4m));
        Income("HT", p.Dividend, 0);
        if (d.Incomes.Count == 0) return null;
        var so = d.Incomes.Sum(i => i.Shotoku);
        d.SoShotoku = so;

        // Deductions (住民税 amounts).
        var dependants = 0;
        var socialIns = Math.Floor(salary * 0.145m + p.Pension * 0.07m + business * 0.12m + p.Agriculture * 0.1m);
        if (socialIns > 0) d.Deductions.Add(new ZeimastDeduction("S1", socialIns));
        if (p.LifeInsurance && salary + business > 0) d.Deductions.Add(new ZeimastDeduction("S3", 20_000m + r.Next(0, 6) * 10_000m));
        if (hh is not null && p.IsHead && p.Status == '1')
        {
            foreach (var m in hh.Members)
            {
                if (ReferenceEquals(m, p) || !m.LivesHereOn(incomeYearEnd)) continue;
                var age = m.AgeAt(incomeYearEnd);
                var inc = TotalIncome(m, factor, incomeYearEnd);
                if (inc > 480_000m) continue;
                if (m.Zokugara is "02" or "03" or "04" or "05")
                {
                    if (so <= 10_000_000m) { d.Deductions.Add(new ZeimastDeduction("H1", age >= 70 ? 380_000m : 330_000m)); dependants++; }
                }
                else if (age >= 16)
                {
                    var amount = age is >= 19 and <= 22 ? 450_000m : age >= 70 ? 450_000m : 330_000m;
                    var existing = d.Deductions.FindIndex(x => x.Code == "F1");
                    if (existing >= 0) d.Deductions[existing] = d.Deductions[existing] with { Amount = d.Deductions[existing].Amount + amount };
                    else d.Deductions.Add(new ZeimastDeduction("F1", amount));
                    dependants++;
                }
                else
                {
                    dependants++;
                }
            }
            var singleParent = hh.Members.All(m => m.Zokugara is not ("02" or "03" or "04" or "05")) && hh.Members.Any(m => m.Zokugara == "10" && m.AgeAt(incomeYearEnd) < 20);
            if (singleParent && so <= 5_000_000m) d.Deductions.Add(new ZeimastDeduction("P1", 300_000m));
        }
        if (r.NextDouble() < 0.05) d.Deductions.Add(new ZeimastDeduction("R1", r.Next(50, 300) * 1000m));
        if (so <= 24_000_000m) d.Deductions.Add(new ZeimastDeduction("K1", 430_000m));
        while (d.Deductions.Count > 8) d.Deductions.RemoveAt(d.Deductions.Count - 1);
        d.KojoGokei = d.Deductions.Sum(x => x.Amount);
        d.KazeiShotoku = Math.Max(0, Floor(so - d.KojoGokei, 1000m));

        var kintoLimit = dependants == 0 ? 450_000m : 350_000m * (dependants + 1) + 100_000m + 210_000m;
        var shotokuLimit = dependants == 0 ? 450_000m : 350_000m * (dependants + 1) + 100_000m + 320_000m;
        if (so <= kintoLimit)
        {
            // 非課税: only those who filed a 申告 are on the master.
            if (r.NextDouble() >= 0.12) return null;
            d.KazeiKbn = 'C';
            d.MishinkokuKbn = r.NextDouble() < 0.1 ? 'M' : ' ';
            d.ChoshuKbn = "0";
        }
        else
        {
            decimal shi = 0, ken = 0, adjust = 0;
            if (so > shotokuLimit)
            {
                var shiRaw = d.KazeiShotoku * 0.06m;
                var kenRaw = d.KazeiShotoku * 0.04m;
                var adjShi = Math.Min(1_500m, shiRaw);
                var adjKen = Math.Min(1_000m, kenRaw);
                shi = Floor(shiRaw - adjShi, 100m);
                ken = Floor(kenRaw - adjKen, 100m);
                adjust = Math.Floor(adjShi + adjKen);
            }
            d.ShiShotokuwari = shi;
            d.KenShotokuwari = ken;
            d.ZeigakuKojo = adjust;
            d.ShiKintowari = 3_000m;
            d.KenKintowari = 1_000m;
            d.ShinrinZei = 1_000m;
            d.KazeiKbn = shi + ken > 0 ? 'A' : 'B';
            d.NenZeigaku = shi + ken + 5_000m;
            Collect(d, p, year, salary, r);
        }
        d.Shimei = p.Shimei;
        d.ShimeiKana = LegacyText.ToHalfWidthKana(p.KanaFull);
        d.Seinengappi = LegacyText.Eymd(p.Birth);
        d.KojinNo = p.MyNumber;
        d.FukaJusho = "岐阜県大垣市" + p.Machiaza + p.Banchi + (p.Katagaki.Length > 0 ? "\u3000" + p.Katagaki : "");
        d.KoshinYmd = LegacyText.Ymd(new DateOnly(year, 6, 1).AddDays(r.Next(0, 180)));
        if (r.NextDouble() < 0.02)
        {
            d.KoseiKaisu = 1;
            d.KoseiYmd = LegacyText.Eymd(new DateOnly(year, 7, 1).AddDays(r.Next(0, 150)));
            d.KoseiSagaku = -r.Next(1, 200) * 100L;
        }
        return d;
    }

    static void Collect(ZeimastDetail d, Person p, int year, decimal salary, Random r)
    {
        var total = d.NenZeigaku;
        var so = d.SoShotoku;
        var salaryIncome = d.Incomes.Where(i => i.Code == "KY").Sum(i => i.Shotoku);
        var pensionIncome = d.Incomes.Where(i => i.Code == "NK").Sum(i => i.Shotoku);
        var ageApr1 = p.AgeAt(new DateOnly(year, 4, 1));
        var kyutoku = salary > 0 && p.Employer >= 0 && r.NextDouble() < 0.92;
        var nentoku = ageApr1 >= 65 && p.Pension >= 180_000 && pensionIncome > 0 && r.NextDouble() < 0.9;
        decimal tk = 0, nt = 0;
        var other = so - (kyutoku ? salaryIncome : 0) - (nentoku ? pensionIncome : 0);
        if (kyutoku && nentoku)
        {
            tk = Floor(total * salaryIncome / so, 100m);
            nt = other < 200_000m ? total - tk : Floor(total * pensionIncome / so, 100m);
        }
        else if (kyutoku)
        {
            tk = other < 200_000m ? total : Floor(total * salaryIncome / so, 100m);
        }
        else if (nentoku)
        {
            nt = other < 200_000m ? total : Floor(total * pensionIncome / so, 100m);
        }
        var fu = total - tk - nt;
        var firstYear = nentoku && ageApr1 == 65;
        decimal fuExtra = 0;
        if (firstYear && nt > 0)
        {
            // First year: half by 普通徴収 in June and August, the rest as 本徴収.
            fuExtra = nt - Floor(nt / 2, 100m);
            nt -= fuExtra;
        }
        if (tk > 0)
        {
            d.KyutokuGaku = tk;
            var per = Floor(tk / 12, 100m);
            for (var m = 0; m < 12; m++) d.Getsuwari[m] = per;
            d.Getsuwari[0] = tk - per * 11;
            d.GimushaNo = "21" + LegacyText.Int(100_000 + p.Employer * 7_919 % 900_000, 8);
            d.GimushaMei = NameLists.Employers[p.Employer];
        }
        if (nt > 0)
        {
            d.NentokuGaku = nt;
            d.NenkinHokensha = "001";
            decimal kari = firstYear ? 0 : Floor(nt / 6, 100m);
            for (var i = 0; i < 3; i++) d.KariChoshu[i] = kari;
            var hon = nt - kari * 3;
            var each = Floor(hon / 3, 100m);
            for (var i = 0; i < 3; i++) d.HonChoshu[i] = each;
            d.HonChoshu[0] = hon - each * 2;
        }
        if (fu > 0 || fuExtra > 0)
        {
            d.FuchoGaku = fu + fuExtra;
            d.Nokigen[0] = new DateOnly(year, 6, 30);
            d.Nokigen[1] = new DateOnly(year, 8, 31);
            d.Nokigen[2] = new DateOnly(year, 10, 31);
            d.Nokigen[3] = new DateOnly(year + 1, 1, 31);
            var per = Floor(fu / 4, 100m);
            for (var i = 0; i < 4; i++) d.KibetsuGaku[i] = per;
            d.KibetsuGaku[0] = fu - per * 3;
            if (fuExtra > 0)
            {
                var half = Floor(fuExtra / 2, 100m);
                d.KibetsuGaku[0] += fuExtra - half;
                d.KibetsuGaku[1] += half;
            }
            if (fu == 0)
            {
                d.Nokigen[2] = null;
                d.Nokigen[3] = null;
            }
        }
        var hasFu = d.FuchoGaku > 0;
        d.ChoshuKbn = (tk > 0, nt > 0, hasFu) switch
        {
            (false, false, _) => "0",
            (true, false, false) => "1",
            (false, true, false) => "2",
            (true, false, true) => "3",
            (false, true, true) => "4",
            (true, true, false) => "5",
            (true, true, true) => "6",
        };
    }
}
