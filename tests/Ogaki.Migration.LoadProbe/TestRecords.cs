using System.Globalization;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.LoadProbe;

/// <summary>
/// Deterministic standard records for load tests: record n is always the same. Names carry kanji with a
/// variation selector (葛󠄀), a surrogate pair (𠮷), half- and full-width forms; dates include 不詳 and
/// non-existent 和暦 (§1.1.8) and the era changeover day.
/// </summary>
public static class TestRecords
{
    static readonly string[] Surnames = ["山田", "葛\U000E0100城", "𠮷野", "髙橋", "渡邉", "斉藤", "齋藤", "大垣"];
    static readonly string[] Given = ["太郎", "花子", "一郎", "さくら", "翔", "美咲", "健太", "結衣"];
    static readonly string[] Kana = ["ヤマダ　タロウ", "カツラギ　ハナコ", "ヨシノ　イチロウ", "タカハシ　サクラ", "ワタナベ　ショウ", "サイトウ　ミサキ", "サイトウ　ケンタ", "オオガキ　ユイ"];

    /// <summary>宛名番号 of record n: 15 digits, ordinal order = n order.</summary>
    public static string AtenaNo(long n) => (100000000000000L + n).ToString(CultureInfo.InvariantCulture);

    public static Resident Resident(long n)
    {
        var k = (int)(n % 8);
        // 不詳 and non-existent birth dates travel in the 不詳 pair with the DATE empty (standard §1.1.8).
        DateOnly? seinengappi = (n % 97) switch
        {
            0 or 1 => null,
            2 => new DateOnly(1989, 1, 7),                          // 昭和64年1月7日: last day of 昭和
            _ => new DateOnly(1940 + (int)(n % 80), 1 + (int)(n % 12), 1 + (int)(n % 28)),
        };
        var fusho = (n % 97) switch
        {
            0 => "昭和２０年頃",                                      // 不詳
            1 => "平成３年２月３０日",                                // does not exist, kept as written
            _ => null,
        };
        return new Resident
        {
            AtenaNo = AtenaNo(n),
            SetaiNo = (200000000000000L + n / 3).ToString(CultureInfo.InvariantCulture),
            JuminShubetsu = n % 11 == 0 ? "2" : "1",
            JuminJotai = n % 13 == 0 ? "3" : "1",
            IdoYmd = new DateOnly(2019, 5, 1).AddDays((int)(n % 2000)),
            IdoTodokedeYmd = n % 5 == 0 ? null : new DateOnly(2019, 5, 1).AddDays((int)(n % 2000)),
            IdoJiyu = n % 13 == 0 ? "21" : "11",
            Shimei = Surnames[k] + "　" + Given[(int)(n / 8 % 8)],
            ShimeiKana = n % 7 == 0 ? null : Kana[k],
            ShimeiKanaKakuninFlag = n % 3 == 0 ? null : n % 2 == 0,
            ShimeiRoman = n % 11 == 0 ? "SMITH JOHN\tTAB" : null,
            Seibetsu = n % 2 == 0 ? "1" : "2",
            SeinengappiYmd = seinengappi,
            SeinengappiYmdFushoFlag = fusho is not null,
            SeinengappiYmdFushoHyoki = fusho,
            ZokugaraCd1 = "02",
            SetainushiShimei = Surnames[(int)(n / 3 % 8)] + "　" + Given[0],
            JushoCity = "大垣市",
            JushoBanchi = (n % 100).ToString(CultureInfo.InvariantCulture) + "番地の" + (n % 7).ToString(CultureInfo.InvariantCulture) + "\\",
            JidoTeateKaishiYm = n % 4 == 0 ? new YearMonth(2024, 1 + (int)(n % 12)) : null,
        };
    }

    public static TaxAssessment TaxAssessment(long n) => new()
    {
        AtenaNo = AtenaNo(n / 3),
        KazeiNendo = 2022 + (int)(n % 3),
        KazeiKbn = "1",
        KazeisakiLgCode = "212024",
        SoShotokuKingaku = n % 4 == 0 ? null : 1_000_000m + n * 1000m,
        NenZeigaku = 5000m + n * 10m,
        KoseiKaisu = n % 5 == 0 ? (int)(n % 3) : null,
    };

    public static AllowanceRecipient AllowanceRecipient(long n) => new()
    {
        AtenaNo = AtenaNo(n),
        JukyushaNo = (3000000000L + n).ToString(CultureInfo.InvariantCulture),
        JukyushaKbn = "1",
        NinteiSeikyuYmd = new DateOnly(2024, 10, 1).AddDays((int)(n % 300)),
        ShikyuKaishiYm = new YearMonth(2024, 10).AddMonths((int)(n % 14)),
        GenkyoTodokeYohi = n % 2 == 0,
        Getsugaku = 10000m + 5000m * (n % 4),
    };
}
