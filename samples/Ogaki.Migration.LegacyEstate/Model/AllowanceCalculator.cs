using Ogaki.Migration.LegacyEstate.Legacy;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>One recipient with its child periods and payments.</summary>
internal sealed record AllowanceCase(JukyushaRow Recipient, List<TaishoJidoRow> Children, List<ShiharaiRow> Payments);

/// <summary>
/// 児童手当 per DOMAIN §4.3: monthly amounts by age at month end, birth order and the rules of the month
/// (before / from 2024-10). History from 2012-04 (current scheme); payments from 2024-06 to 2025-12.
/// </summary>
internal static class AllowanceCalculator
{
    static readonly YearMonthValue SchemeStart = new(2012, 4);
    static readonly YearMonthValue TokureiStart = new(2012, 6);
    static readonly YearMonthValue Reform = new(2024, 10);
    static readonly YearMonthValue Last = new(2025, 12);
    static readonly string[] Banks = ["0152", "0153", "9900", "1530", "0005", "0009"];

    /// <summary>Payments in the window: (payment month, first month, last month).</summary>
    static readonly (YearMonthValue Pay, YearMonthValue From, YearMonthValue To)[] Schedule =
    [
        (new(2024, 6), new(2024, 2), new(2024, 5)),
        (new(2024, 10), new(2024, 6), new(2024, 9)),
        (new(2024, 12), new(2024, 10), new(2024, 11)),
        (new(2025, 2), new(2024, 12), new(2025, 1)),
        (new(2025, 4), new(2025, 2), new(2025, 3)),
        (new(2025, 6), new(2025, 4), new(2025, 5)),
        (new(2025, 8), new(2025, 6), new(2025, 7)),
        (new(2025, 10), new(2025, 8), new(2025, 9)),
        (new(2025, 12), new(2025, 10), new(2025, 11)),
    ];

    /// <summary>
    /// Last month of the fiscal year in which the child reaches <paramref name="age"/>: the first 31 March on or
    /// after the day of reaching it. An age is reached the day before the birthday (年齢計算ニ関スル法律), so a
    /// child born on 1 April reaches it on 31 March and leaves a year earlier than one born on 2 April.
    /// </summary>
    static YearMonthValue FiscalYearEnd(DateOnly birth, int age)
    {
        var reached = birth.AddDays(-1).AddYears(age);
        var march = new DateOnly(reached.Year, 3, 31);
        return new YearMonthValue(reached <= march ? reached.Year : reached.Year + 1, 3);
    }

    static int AgeAtMonthEnd(DateOnly birth, YearMonthValue m)
    {
        var d = m.LastDay;
        var age = d.Year - birth.Year;
        if (d.Month < birth.Month || (d.Month == birth.Month && d.Day < birth.Day)) age--;
        return age;
    }

    readonly record struct ChildState(char JidoKbn, string? ShikyuKbn, long Amount, int Order);

    public static AllowanceCase? Build(Household hh, Random r, Func<string> nextJkyNo)
    {
        Person? recipient = null;
        Person? spouse = null;
        List<Person> children;
        var zokugara = "KO";
        var kbn = "I";
        var grandchildren = hh.Members.Where(m => m.Zokugara == "13").ToList();
        if (grandchildren.Count > 0)
        {
            var son = hh.Members.FirstOrDefault(m => m.Zokugara == "10");
            if (son is not null && r.NextDouble() >= 0.1)
            {
                recipient = son;
                spouse = hh.Members.FirstOrDefault(m => m.Zokugara == "12");
            }
            else
            {
                recipient = hh.Head;
                zokugara = "MA";
                kbn = "F";
            }
            children = grandchildren;
        }
        else
        {
            children = hh.Members.Where(m => m.Zokugara == "10").ToList();
            var parents = hh.Members.Where(m => m.Zokugara is "01" or "02" or "03" or "05").ToList();
            if (parents.Count == 0) return null;
            recipient = parents.OrderByDescending(p => p.Salary + p.Business + p.Agriculture + p.Pension).ThenBy(p => p.AtenaNo, StringComparer.Ordinal).First();
            spouse = parents.FirstOrDefault(p => !ReferenceEquals(p, recipient));
        }
        if (children.Count == 0 || recipient.PublicServant) return null;
        children = [.. children.OrderBy(c => c.Birth).ThenBy(c => c.AtenaNo, StringComparer.Ordinal)];
        var tokurei = recipient.Salary + recipient.Business >= 9_600_000 || r.NextDouble() < 0.01;

        var firstMonth = new YearMonthValue[children.Count];
        for (var i = 0; i < children.Count; i++)
        {
            var c = children[i];
            var start = YearMonthValue.Of(c.Birth > c.JuminYmd ? c.Birth : c.JuminYmd).Add(1);
            firstMonth[i] = start < SchemeStart ? SchemeStart : start;
        }

        // Fiscal-year ends per child: [12, 15, 18, 22].
        var fy = new YearMonthValue[children.Count, 4];
        for (var i = 0; i < children.Count; i++)
        {
            fy[i, 0] = FiscalYearEnd(children[i].Birth, 12);
            fy[i, 1] = FiscalYearEnd(children[i].Birth, 15);
            fy[i, 2] = FiscalYearEnd(children[i].Birth, 18);
            fy[i, 3] = FiscalYearEnd(children[i].Birth, 22);
        }

        ChildState? StateOf(int i, YearMonthValue m)
        {
            var c = children[i];
            if (m < firstMonth[i]) return null;
            var reform = m >= Reform;
            var paidTo = reform ? fy[i, 2] : fy[i, 1];
            var countedTo = reform ? fy[i, 3] : fy[i, 2];
            if (m > countedTo) return null;
            var order = 0;
            var anyPaid = false;
            for (var j = 0; j < children.Count; j++)
            {
                if (children[j].Birth > m.LastDay) continue;
                if (m > (reform ? fy[j, 3] : fy[j, 2])) continue;
                if (m <= (reform ? fy[j, 2] : fy[j, 1]) && m >= firstMonth[j]) anyPaid = true;
                if (j <= i) order++;
            }
            if (m > paidTo)
            {
                // 算定のみ rows exist only after the reform, and only while they make a younger child third or later.
                if (!reform || !anyPaid) return null;
                var younger = 0;
                for (var j = i + 1; j < children.Count; j++)
                    if (m >= firstMonth[j] && m <= fy[j, 2]) younger++;
                if (order + younger < 3) return null;
                return new ChildState('S', null, 0, order);
            }
            var age = AgeAtMonthEnd(c.Birth, m);
            if (reform)
            {
                if (order >= 3) return new ChildState('T', "C", 30_000, order);
                return age < 3 ? new ChildState('T', "A", 15_000, order) : new ChildState('T', "B", 10_000, order);
            }
            if (tokurei && m >= TokureiStart) return new ChildState('T', "T", 5_000, order);
            if (age < 3) return new ChildState('T', "A", 15_000, order);
            var primaryTo = fy[i, 0];
            if (m <= primaryTo && order >= 3) return new ChildState('T', "C", 15_000, order);
            return new ChildState('T', "B", 10_000, order);
        }

        var jkyNo = "";
        var rows = new List<TaishoJidoRow>();
        var monthly = new Dictionary<int, long>();
        YearMonthValue? firstPaid = null, lastPaid = null;
        for (var i = 0; i < children.Count; i++)
        {
            var c = children[i];
            ChildState? current = null;
            YearMonthValue runStart = default;
            for (var m = firstMonth[i]; m <= Last; m = m.Add(1))
            {
                var s = StateOf(i, m);
                if (s is { JidoKbn: 'T' } paid)
                {
                    monthly[m.Index] = monthly.GetValueOrDefault(m.Index) + paid.Amount;
                    if (firstPaid is null || m < firstPaid) firstPaid = m;
                    if (lastPaid is null || m > lastPaid) lastPaid = m;
                }
                if (s == current) continue;
                if (current is { } prev) rows.Add(Row(jkyNo, c, zokugara, prev, runStart, m.Add(-1)));
                current = s;
                runStart = m;
            }
            if (current is { } open) rows.Add(Row(jkyNo, c, zokugara, open, runStart, null));
        }
        // Recipients whose entitlement ended before the extract window were purged from the legacy system.
        if (firstPaid is null || lastPaid!.Value < new YearMonthValue(2024, 6)) return null;
        jkyNo = nextJkyNo();
        foreach (var row in rows) row.JkyNo = jkyNo;
        rows.Sort((a, b) =>
        {
            var x = string.CompareOrdinal(a.JidoAtenaNo, b.JidoAtenaNo);
            return x != 0 ? x : string.CompareOrdinal(a.TekiyoKaishiYm, b.TekiyoKaishiYm);
        });

        var ended = lastPaid!.Value < Last;
        var seikyuMonth = firstPaid.Value.Add(-1);
        var seikyu = new DateOnly(seikyuMonth.Year, seikyuMonth.Month, r.Next(1, 29));
        var rec = new JukyushaRow
        {
            JkyNo = jkyNo,
            AtenaNo = recipient.AtenaNo,
            Shimei = recipient.Shimei,
            Kana = LegacyText.ToHalfWidthKana(recipient.KanaFull),
            Kbn = kbn,
            SeikyuYmd = LegacyText.Ymd(seikyu),
            NinteiYmd = LegacyText.Ymd(seikyu.AddDays(r.Next(3, 21))),
            ShikyuKaishiYm = LegacyText.Ym(firstPaid.Value),
            ShikyuShuryoYm = ended ? LegacyText.Ym(lastPaid.Value) : null,
            ShometsuCd = ended ? "NR" : null,
            HaigushaAtenaNo = spouse?.AtenaNo,
            GenkyoFlg = r.NextDouble() < 0.02 ? 1 : 0,
            SashitomeFlg = r.NextDouble() < 0.003 ? 1 : 0,
            KinyuCd = Banks[r.Next(Banks.Length)],
            ShitenCd = LegacyText.Int(r.Next(1, 999), 3),
            YokinShu = r.NextDouble() < 0.97 ? "F" : r.NextDouble() < 0.5 ? "T" : "C",
            KozaNo = LegacyText.Int(r.Next(1, 9_999_999), 7),
            KozaKana = LegacyText.ToHalfWidthKana(recipient.KanaFull.Replace('\u3000', ' ')),
            Getsugaku = monthly.GetValueOrDefault(Last.Index),
            KoshinDt = LegacyText.Ymd(new DateOnly(2025, 1, 1).AddDays(r.Next(0, 360))) + LegacyText.Int(r.Next(8, 18), 2) + LegacyText.Int(r.Next(0, 60), 2) + LegacyText.Int(r.Next(0, 60), 2),
        };
        if (rec.Kana.Length > 30) rec.Kana = rec.Kana[..30];
        if (rec.KozaKana.Length > 30) rec.KozaKana = rec.KozaKana[..30];

        var payments = new List<ShiharaiRow>();
        var covered = new YearMonthValue(2024, 1);
        foreach (var (pay, from, to) in Schedule)
        {
            long sum = 0;
            for (var m = from; m <= to; m = m.Add(1)) sum += monthly.GetValueOrDefault(m.Index);
            covered = to;
            if (sum > 0) payments.Add(new ShiharaiRow(jkyNo, LegacyText.Ym(pay), LegacyText.Ym(from), LegacyText.Ym(to), sum, "T"));
        }
        if (ended && lastPaid.Value > covered && lastPaid.Value < Last)
        {
            // Entitlement ended between regular payments: a 随時 payment the month after.
            long sum = 0;
            for (var m = covered.Add(1); m <= lastPaid.Value; m = m.Add(1)) sum += monthly.GetValueOrDefault(m.Index);
            if (sum > 0) payments.Add(new ShiharaiRow(jkyNo, LegacyText.Ym(lastPaid.Value.Add(1)), LegacyText.Ym(covered.Add(1)), LegacyText.Ym(lastPaid.Value), sum, "Z"));
        }
        return new AllowanceCase(rec, rows, payments);
    }

    static TaishoJidoRow Row(string jkyNo, Person c, string zokugara, ChildState s, YearMonthValue from, YearMonthValue? to) => new()
    {
        JkyNo = jkyNo,
        JidoAtenaNo = c.AtenaNo,
        JidoShimei = c.Shimei,
        Seinengappi = LegacyText.Ymd(c.Birth),
        ZokugaraCd = zokugara,
        DobekkyoKbn = "D",
        JidoKbn = s.JidoKbn == 'S' ? "S" : "T",
        ShusshoJuni = s.Order,
        ShikyuKbn = s.ShikyuKbn,
        Getsugaku = s.Amount,
        TekiyoKaishiYm = LegacyText.Ym(from),
        TekiyoShuryoYm = to is { } t ? LegacyText.Ym(t) : null,
    };
}
