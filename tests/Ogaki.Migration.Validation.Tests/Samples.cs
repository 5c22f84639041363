using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Tests;

/// <summary>Small fixed standard records and helpers shared by the tests.</summary>
internal static class Samples
{
    public const string TestKey = "unit-test-pseudonym-key-0123456789";

    public static Pseudonymizer Pseudonymizer { get; } = new(TestKey);

    public static ValueRenderer Renderer(bool unmask = false) => new(Pseudonymizer, new ReportPrivacy(unmask));

    /// <summary>A 宛名番号 with a valid modulus-11 check digit for the serial (a serial with remainder 1 is rejected).</summary>
    public static string Atena(string serial) =>
        serial + (CheckDigits.AtenaNumber(serial) ?? throw new ArgumentException($"serial {serial} has remainder 1")).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Resident Resident(string atenaNo, string setaiNo, bool head = false, string jotai = "1") => new()
    {
        AtenaNo = atenaNo,
        SetaiNo = setaiNo,
        JuminShubetsu = "1",
        JuminJotai = jotai,
        IdoYmd = new DateOnly(2020, 4, 1),
        IdoJiyu = "11",
        Shimei = "山田　太郎",
        Seibetsu = "1",
        SeinengappiYmd = new DateOnly(1975, 6, 15),
        ZokugaraCd1 = head ? "02" : "21",
        SetainushiShimei = "山田　太郎",
        JushoLgCode = "212024",
    };

    public static Household Household(string setaiNo, string headAtenaNo) => new()
    {
        SetaiNo = setaiNo,
        SetainushiAtenaNo = headAtenaNo,
        SetainushiShimei = "山田　太郎",
        SetaiKoseiNinzu = 2,
        JushoLgCode = "212024",
    };

    public static TaxAssessment Tax(string atenaNo, int nendo, decimal nenZeigaku) => new()
    {
        AtenaNo = atenaNo,
        KazeiNendo = nendo,
        KazeiKbn = "1",
        KazeisakiLgCode = "212024",
        NenZeigaku = nenZeigaku,
    };

    public static AllowanceRecipient Recipient(string atenaNo) => new()
    {
        AtenaNo = atenaNo,
        JukyushaNo = "0000000001",
        JukyushaKbn = "1",
        NinteiSeikyuYmd = new DateOnly(2024, 10, 1),
        ShikyuKaishiYm = new YearMonth(2024, 11),
        Getsugaku = 25000m,
    };

    public static AllowanceChild Child(string recipient, string child, DateOnly birth, string jidoKbn, YearMonth start, YearMonth? end = null, decimal amount = 10000m) => new()
    {
        JukyushaAtenaNo = recipient,
        JidoAtenaNo = child,
        SeinengappiYmd = birth,
        DobekkyoKbn = "1",
        JidoKbn = jidoKbn,
        ShusshoJuni = 1,
        ShikyuKbn = jidoKbn == "1" ? "02" : null,
        Getsugaku = amount,
        TekiyoKaishiYm = start,
        TekiyoShuryoYm = end,
    };

    public static object?[] Row(IStandardRecord record)
    {
        var row = new object?[record.Entity.Items.Count];
        for (var i = 0; i < row.Length; i++) row[i] = record.GetValue(i);
        return row;
    }

    /// <summary>A TaxInstallment row: 宛名番号, 課税年度, 期別, 納期限, 期別税額.</summary>
    public static object?[] Installment(string atenaNo, int nendo, int kibetsu, decimal amount) =>
        [atenaNo, nendo, kibetsu, new DateOnly(nendo, 6, 30), amount];

    public static async IAsyncEnumerable<object?[]> Stream(IEnumerable<object?[]> rows)
    {
        foreach (var r in rows)
        {
            await Task.Yield();
            yield return r;
        }
    }
}
