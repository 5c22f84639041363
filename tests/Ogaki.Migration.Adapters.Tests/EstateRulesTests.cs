using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ogaki.Migration.Adapters.Tests;

public sealed class EstateRulesTests
{
    static int MonthIndex(string yyyymm) => int.Parse(yyyymm.AsSpan(0, 4), CultureInfo.InvariantCulture) * 12 + int.Parse(yyyymm.AsSpan(4, 2), CultureInfo.InvariantCulture) - 1;

    [Fact]
    public async Task Each_payment_is_the_sum_of_the_child_amounts_of_its_months()
    {
        var s = await EstateFixture.Clean;
        using var conn = new SqliteConnection("Data Source=" + Path.Combine(s.OutputDirectory, "sqlite/jidoteate.db") + ";Mode=ReadOnly;Pooling=False");
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        var periods = new Dictionary<string, List<(int From, int To, long Amount)>>(StringComparer.Ordinal);
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT JKY_NO, TEKIYO_KAISHI_YM, TEKIYO_SHURYO_YM, GETSUGAKU FROM TAISHO_JIDO";
            using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await r.ReadAsync(TestContext.Current.CancellationToken))
            {
                var to = r.IsDBNull(2) ? int.MaxValue : MonthIndex(r.GetString(2));
                if (!periods.TryGetValue(r.GetString(0), out var list)) periods[r.GetString(0)] = list = [];
                list.Add((MonthIndex(r.GetString(1)), to, r.GetInt64(3)));
            }
        }
        var checkedPayments = 0;
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT JKY_NO, SHIHARAI_YM, TAISHO_FROM_YM, TAISHO_TO_YM, SHIHARAI_GAKU, SHIHARAI_KBN FROM SHIHARAI";
            using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await r.ReadAsync(TestContext.Current.CancellationToken))
            {
                var from = MonthIndex(r.GetString(2));
                var to = MonthIndex(r.GetString(3));
                Assert.True(MonthIndex(r.GetString(1)) > to, "paid after the months it covers");
                long expected = 0;
                for (var m = from; m <= to; m++)
                    expected += periods[r.GetString(0)].Where(p => p.From <= m && m <= p.To).Sum(p => p.Amount);
                Assert.Equal(expected, r.GetInt64(4));
                if (r.GetString(5) == "T" && from >= MonthIndex("202410")) Assert.Equal(1, to - from); // 2 months each from the reform
                checkedPayments++;
            }
        }
        Assert.True(checkedPayments > 100);
    }

    [Fact]
    public async Task History_is_ordered_and_the_resident_record_repeats_its_latest_row()
    {
        var s = await EstateFixture.Clean;
        var ido = EstateFixture.ReadCsv(Path.Combine(s.OutputDirectory, "csv/IDO_RIREKI.csv")).Skip(1).ToList();
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv").ToDictionary(r => r["ATENA_NO"], StringComparer.Ordinal);
        foreach (var g in ido.GroupBy(r => r[0], StringComparer.Ordinal))
        {
            var rows = g.ToList();
            var main = rows.Where(r => r[2] == "0").Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(1, main.Count), main);
            var latest = rows[^1];
            Assert.Equal("*", latest[11]);
            var p = jumin[g.Key];
            Assert.Equal(p["IDO_JIYU"], latest[3]);
            Assert.Equal(p["IDO_YMD"], latest[4]);
            if (p["JUMIN_JOTAI"] is "3" or "4" or "9")
            {
                Assert.Equal(p["SHOJO_JIYU"], latest[3]);
                Assert.Equal(p["JUMIN_JOTAI"], latest[10]);
            }
            else
            {
                Assert.Equal("1", latest[10]);
                Assert.Equal(p["SETAI_NO"], latest[6]);
                Assert.Equal(p["MACHIAZA_CD"], latest[9]);
            }
        }
        Assert.DoesNotContain(jumin.Values, p => p["JUMIN_JOTAI"] == "2" && ido.Any(r => r[0] == p["ATENA_NO"]));
    }
}
