using Microsoft.Data.Sqlite;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Adapters.Tests;

public sealed class EstateProportionTests
{
    [Fact]
    public async Task Scale_fixes_the_number_of_current_residents_and_households()
    {
        var s = await EstateFixture.Clean;
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        var setai = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/SETAI.dat"), "SETAI.layout.csv");
        Assert.Equal(1605, jumin.Count(r => r["JUMIN_JOTAI"] == "1")); // round(160,485 × 0.01)
        Assert.Equal(678, setai.Count);                                 // round(67,809 × 0.01)
        var removed = jumin.Count(r => r["JUMIN_JOTAI"] is "3" or "4" or "9");
        var nonResident = jumin.Count(r => r["JUMIN_JOTAI"] == "2");
        Assert.InRange(removed / 1605.0, 0.05, 0.11);      // 除票 about 8 %
        Assert.InRange(nonResident / 1605.0, 0.01, 0.035); // 住登外 about 2 %
    }

    [Fact]
    public async Task Every_household_has_exactly_one_head_and_its_member_count()
    {
        var s = await EstateFixture.Clean;
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        var setai = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/SETAI.dat"), "SETAI.layout.csv");
        var live = jumin.Where(r => r["JUMIN_JOTAI"] == "1").GroupBy(r => r["SETAI_NO"], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Assert.Equal(setai.Count, live.Count);
        foreach (var h in setai)
        {
            var members = live[h["SETAI_NO"]];
            var heads = members.Where(m => m["ZOKUGARA_CD"] == "01").ToList();
            Assert.Single(heads);
            Assert.Equal(h["SETAINUSHI_ATENA_NO"], heads[0]["ATENA_NO"]);
            Assert.Equal(int.Parse(h["SETAIIN_SU"], System.Globalization.CultureInfo.InvariantCulture), members.Count);
        }
    }

    [Fact]
    public async Task Numbers_carry_valid_check_digits_and_keys_are_unique_in_a_clean_estate()
    {
        var s = await EstateFixture.Clean;
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        Assert.All(jumin, r => Assert.True(CheckDigits.IsValidAtenaNumber(r["ATENA_NO"]), r["ATENA_NO"]));
        Assert.All(jumin.Where(r => r["KOJIN_NO"].Length > 0), r => Assert.True(CheckDigits.IsValidMyNumber(r["KOJIN_NO"])));
        Assert.Equal(jumin.Count, jumin.Select(r => r["ATENA_NO"]).Distinct(StringComparer.Ordinal).Count());
        var myNumbers = jumin.Select(r => r["KOJIN_NO"]).Where(n => n.Length > 0).ToList();
        Assert.Equal(myNumbers.Count, myNumbers.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(jumin.Select(r => r["ATENA_NO"]).Order(StringComparer.Ordinal), jumin.Select(r => r["ATENA_NO"]));
        Assert.All(jumin.Where(r => r["JUMIN_JOTAI"] != "2"), r => Assert.Equal("212024", r["LG_CODE"]));
    }

    [Fact]
    public async Task Estate_json_counts_match_the_files()
    {
        var s = await EstateFixture.Default;
        var root = s.OutputDirectory;
        Assert.Equal(s.Counts["opensys/JUMIN.dat"], new FileInfo(Path.Combine(root, "opensys/JUMIN.dat")).Length / 800);
        Assert.Equal(s.Counts["opensys/SETAI.dat"], new FileInfo(Path.Combine(root, "opensys/SETAI.dat")).Length / 320);
        Assert.Equal(s.Counts["csv/IDO_RIREKI.csv"], EstateFixture.ReadCsv(Path.Combine(root, "csv/IDO_RIREKI.csv")).Count - 1);
        Assert.Equal(s.Counts["mainframe/ZEIMAST.dat:D"] + 2, new FileInfo(Path.Combine(root, "mainframe/ZEIMAST.dat")).Length / 700);
        using var conn = new SqliteConnection("Data Source=" + Path.Combine(root, "sqlite/jidoteate.db") + ";Mode=ReadOnly;Pooling=False");
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var table in new[] { "JUKYUSHA", "TAISHO_JIDO", "SHIHARAI" })
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM " + table;
            Assert.Equal(s.Counts["sqlite/jidoteate.db:" + table], (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
        }
        var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "estate.json"), TestContext.Current.CancellationToken));
        Assert.Equal(42, json.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(s.Counts["opensys/JUMIN.dat"], json.RootElement.GetProperty("counts").GetProperty("opensys/JUMIN.dat").GetInt64());
        foreach (var (kind, n) in s.DefectCounts)
            Assert.Equal(n, json.RootElement.GetProperty("defects").GetProperty(kind).GetInt64());
    }

    [Fact]
    public async Task Child_allowance_amounts_follow_the_rules_of_each_period()
    {
        var s = await EstateFixture.Clean;
        using var conn = new SqliteConnection("Data Source=" + Path.Combine(s.OutputDirectory, "sqlite/jidoteate.db") + ";Mode=ReadOnly;Pooling=False");
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT JIDO_KBN, SHIKYU_KBN, GETSUGAKU, TEKIYO_KAISHI_YM, SHUSSHO_JUNI FROM TAISHO_JIDO";
        using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var n = 0;
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            n++;
            var jido = r.GetString(0);
            var kbn = r.IsDBNull(1) ? null : r.GetString(1);
            var amount = r.GetInt64(2);
            var from = r.GetString(3);
            var order = r.GetInt32(4);
            var reform = string.CompareOrdinal(from, "202410") >= 0;
            if (jido == "S")
            {
                Assert.True(reform);
                Assert.Null(kbn);
                Assert.Equal(0, amount);
                continue;
            }
            var expected = (kbn, reform) switch
            {
                ("A", _) => 15_000L,
                ("B", _) => 10_000L,
                ("C", true) => 30_000L,
                ("C", false) => 15_000L,
                ("T", false) => 5_000L,
                _ => -1L,
            };
            Assert.Equal(expected, amount);
            if (kbn == "C") Assert.True(order >= 3);
        }
        Assert.True(n > 100);
    }

    [Fact]
    public async Task Tax_amounts_add_up_per_record()
    {
        var s = await EstateFixture.Clean;
        var details = EstateZeimast.ReadDetails(Path.Combine(s.OutputDirectory, "mainframe/ZEIMAST.dat"));
        Assert.NotEmpty(details);
        foreach (var d in details)
        {
            Assert.Equal(d.Shi + d.Ken + d.ShiKinto + d.KenKinto + d.Shinrin, d.Nenzei);
            if (d.Kbn == "C") { Assert.Equal(0m, d.Nenzei); continue; }
            Assert.Equal(3_000m, d.ShiKinto);
            Assert.Equal(1_000m, d.KenKinto);
            Assert.Equal(1_000m, d.Shinrin);
            Assert.Equal(d.Nenzei, d.Fucho + d.Kyutoku + d.Nentoku);
            Assert.Equal(d.Kyutoku, d.Getsuwari.Sum());
            Assert.Equal(d.Fucho, d.Kibetsu.Sum());
            Assert.Equal(0m, d.Shi % 100);
            Assert.Equal(0m, d.Ken % 100);
        }
    }
}
