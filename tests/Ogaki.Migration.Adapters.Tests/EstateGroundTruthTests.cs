using Microsoft.Data.Sqlite;
using Ogaki.Migration.LegacyEstate;
using Ogaki.Migration.LegacyEstate.Model;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Adapters.Tests;

public sealed class EstateGroundTruthTests
{
    static readonly HashSet<string> Zokugara = new(["01", "02", "03", "04", "05", "10", "11", "12", "13", "20", "21", "22", "23", "24", "25", "30", "31", "32", "33", "80", "90"], StringComparer.Ordinal);
    static readonly HashSet<string> IdoJiyu = new(["101", "102", "110", "120", "121", "201", "202", "210", "220", "301", "310", "311", "312", "320", "321", "330", "340"], StringComparer.Ordinal);

    static bool RealYmd(string s) =>
        s.Length == 8 && DateOnly.TryParseExact(s, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);

    [Fact]
    public async Task A_clean_estate_has_an_empty_ground_truth()
    {
        var s = await EstateFixture.Clean;
        Assert.Equal("system,file,record_key,kind,field,detail\n", await File.ReadAllTextAsync(Path.Combine(s.OutputDirectory, "ground-truth.csv"), TestContext.Current.CancellationToken));
        Assert.All(s.DefectCounts.Values, n => Assert.Equal(0, n));
    }

    [Fact]
    public async Task Ground_truth_is_sorted_and_counts_match_the_summary()
    {
        var s = await EstateFixture.Dirty;
        var gt = EstateFixture.ReadGroundTruth(s.OutputDirectory);
        var lines = gt.Select(r => r.ToCsvLine()).ToList();
        Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
        foreach (var kind in DefectKinds.All)
        {
            Assert.True(s.DefectCounts[kind] > 0, kind + " never injected at rate 0.02");
            Assert.Equal(s.DefectCounts[kind], gt.Count(r => r.Kind == kind));
        }
        Assert.DoesNotContain(gt, r => r.Detail.Any(char.IsAsciiDigit) && r.Detail.Contains("個人番号 ", StringComparison.Ordinal) && r.Detail.Split(' ').Any(w => w.Length == 12 && w.All(char.IsAsciiDigit)));
    }

    [Fact]
    public async Task Opensys_defects_found_in_the_files_are_exactly_those_listed()
    {
        var s = await EstateFixture.Dirty;
        var gt = EstateFixture.ReadGroundTruth(s.OutputDirectory).Where(r => r.File == "JUMIN.dat").ToList();
        var jumin = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/JUMIN.dat"), "JUMIN.layout.csv");
        var setai = EstateFixture.ReadFixed(Path.Combine(s.OutputDirectory, "opensys/SETAI.dat"), "SETAI.layout.csv").Select(r => r["SETAI_NO"]).ToHashSet(StringComparer.Ordinal);

        HashSet<string> Listed(string kind, string? field = null) =>
            gt.Where(r => r.Kind == kind && (field is null || r.Field == field)).Select(r => r.RecordKey).ToHashSet(StringComparer.Ordinal);
        HashSet<string> Found(Func<Dictionary<string, string>, bool> bad) =>
            jumin.Where(bad).Select(r => r["ATENA_NO"]).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Listed(DefectKinds.InvalidCheckDigit), Found(r => r["KOJIN_NO"].Length > 0 && !CheckDigits.IsValidMyNumber(r["KOJIN_NO"])));
        Assert.Equal(Listed(DefectKinds.OrphanMember), Found(r => r["SETAI_NO"] != "0000000000" && !setai.Contains(r["SETAI_NO"])));
        Assert.Equal(Listed(DefectKinds.DuplicateKey), jumin.GroupBy(r => r["ATENA_NO"]).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed(DefectKinds.UnmappedCode, "ZOKUGARA_CD"), Found(r => r["JUMIN_JOTAI"] != "2" && !Zokugara.Contains(r["ZOKUGARA_CD"])));
        Assert.Equal(Listed(DefectKinds.UnmappedCode, "IDO_JIYU"), Found(r => r["IDO_JIYU"].Length > 0 && !IdoJiyu.Contains(r["IDO_JIYU"])));
        Assert.Equal(Listed(DefectKinds.ImpossibleDate), Found(r =>
            (r["IDO_TODOKEDE_YMD"] != "00000000" && !RealYmd(r["IDO_TODOKEDE_YMD"])) || !RealYmd(r["JUSHOTEI_TODOKEDE_YMD"])));
        Assert.Equal(Listed(DefectKinds.UnknownDate), Found(r => r["SEINENGAPPI_FUSHO"] == "1" || !WarekiReal(r["SEINENGAPPI"])));
        Assert.Equal(Listed(DefectKinds.UnmappableGaiji), Found(r => r["SHIMEI"].Any(c => c is >= '\uE000' and <= '\uF8FF' && !GaijiTable.Contains(c))));
    }

    static bool WarekiReal(string eymd)
    {
        if (eymd.Length != 7 || eymd == "0000000") return false;
        var baseYear = eymd[0] switch { '1' => 1867, '2' => 1911, '3' => 1925, '4' => 1988, '5' => 2018, _ => -1 };
        var y = baseYear + int.Parse(eymd.AsSpan(1, 2), System.Globalization.CultureInfo.InvariantCulture);
        var m = int.Parse(eymd.AsSpan(3, 2), System.Globalization.CultureInfo.InvariantCulture);
        var d = int.Parse(eymd.AsSpan(5, 2), System.Globalization.CultureInfo.InvariantCulture);
        return baseYear > 0 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m);
    }

    [Fact]
    public async Task Csv_sqlite_and_mainframe_defects_found_in_the_files_are_exactly_those_listed()
    {
        var s = await EstateFixture.Dirty;
        var gt = EstateFixture.ReadGroundTruth(s.OutputDirectory);
        HashSet<string> Listed(string file, string kind) =>
            gt.Where(r => r.File == file && r.Kind == kind).Select(r => r.RecordKey).ToHashSet(StringComparer.Ordinal);

        var ido = EstateFixture.ReadCsv(Path.Combine(s.OutputDirectory, "csv/IDO_RIREKI.csv")).Skip(1).ToList();
        string Key(string[] r) => r[0] + "/" + r[1] + "/" + r[2];
        Assert.Equal(Listed("IDO_RIREKI.csv", DefectKinds.UnmappedCode), ido.Where(r => !IdoJiyu.Contains(r[3])).Select(Key).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("IDO_RIREKI.csv", DefectKinds.OverLength), ido.Where(r => r[7].Length > 100).Select(Key).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("IDO_RIREKI.csv", DefectKinds.ImpossibleDate), ido.Where(r => r[5].Length > 0 && !RealYmd(r[5].Replace("/", "", StringComparison.Ordinal))).Select(Key).ToHashSet(StringComparer.Ordinal));
        // Exactly one latest row per person.
        Assert.All(ido.GroupBy(r => r[0]), g => Assert.Single(g, r => r[11] == "*"));

        using var conn = new SqliteConnection("Data Source=" + Path.Combine(s.OutputDirectory, "sqlite/jidoteate.db") + ";Mode=ReadOnly;Pooling=False");
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        var badSeikyu = new HashSet<string>(StringComparer.Ordinal);
        var longKana = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT JKY_NO, SEIKYU_YMD, KOZA_KANA FROM JUKYUSHA";
            using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await r.ReadAsync(TestContext.Current.CancellationToken))
            {
                if (!RealYmd(r.GetString(1))) badSeikyu.Add(r.GetString(0));
                if (r.GetString(2).Length > 30) longKana.Add(r.GetString(0));
            }
        }
        Assert.Equal(Listed("jidoteate.db", DefectKinds.ImpossibleDate), badSeikyu);
        Assert.Equal(Listed("jidoteate.db", DefectKinds.OverLength), longKana);
        var badKbn = new HashSet<string>(StringComparer.Ordinal);
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = "SELECT JKY_NO || '/' || JIDO_ATENA_NO || '/' || TEKIYO_KAISHI_YM FROM TAISHO_JIDO WHERE SHIKYU_KBN NOT IN ('A','B','C','T')";
            using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await r.ReadAsync(TestContext.Current.CancellationToken)) badKbn.Add(r.GetString(0));
        }
        Assert.Equal(Listed("jidoteate.db", DefectKinds.UnmappedCode), badKbn);

        var zei = EstateZeimast.ReadDetails(Path.Combine(s.OutputDirectory, "mainframe/ZEIMAST.dat"));
        string ZKey(EstateZeimast.Detail d) => d.AtenaNo + "/" + d.Nendo;
        Assert.Equal(Listed("ZEIMAST.dat", DefectKinds.InvalidCheckDigit), zei.Where(d => d.KojinNo.Length > 0 && !CheckDigits.IsValidMyNumber(d.KojinNo)).Select(ZKey).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("ZEIMAST.dat", DefectKinds.UnmappedCode), zei.Where(d => d.Choshu is not ("0" or "1" or "2" or "3" or "4" or "5" or "6")).Select(ZKey).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("ZEIMAST.dat", DefectKinds.DuplicateKey), zei.GroupBy(ZKey).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("ZEIMAST.dat", DefectKinds.UnmappableGaiji), zei.Where(d => d.Shimei.Any(c => c is >= '\uE000' and <= '\uF8FF' && !GaijiTable.Contains(c))).Select(ZKey).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Listed("ZEIMAST.dat", DefectKinds.ImpossibleDate), zei.Where(d => d.KoseiYmd != "0000000" && !WarekiInEra(d.KoseiYmd)).Select(ZKey).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>A real date that also lies inside its era (平成元年1月7日 does not).</summary>
    static bool WarekiInEra(string eymd)
    {
        if (!WarekiReal(eymd)) return false;
        var baseYear = eymd[0] switch { '1' => 1867, '2' => 1911, '3' => 1925, '4' => 1988, _ => 2018 };
        var d = new DateOnly(baseYear + int.Parse(eymd.AsSpan(1, 2), System.Globalization.CultureInfo.InvariantCulture), int.Parse(eymd.AsSpan(3, 2), System.Globalization.CultureInfo.InvariantCulture), int.Parse(eymd.AsSpan(5, 2), System.Globalization.CultureInfo.InvariantCulture));
        return LegacyText.Eymd(d)[0] == eymd[0];
    }
}
