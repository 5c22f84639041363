using System.Runtime.CompilerServices;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Mappers.Tests;

/// <summary>
/// Hand-built legacy records in the shapes of the estate layouts (JUMIN/SETAI layout CSVs, IDO_RIREKI header,
/// jidoteate DDL, ZEIMAST copybook), with fixed-length text padded as a fixed-length reader hands it over.
/// </summary>
internal static class LegacyFixtures
{
    /// <summary>Copies a mapping configuration folder, so a test can change one file of it.</summary>
    public static void CopyConfiguration(string from, string to)
    {
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
    }

    public static readonly string[] JuminFields =
    [
        "ATENA_NO", "SETAI_NO", "JUMIN_SHU", "JUMIN_JOTAI", "SHIMEI", "SHIMEI_KANA", "SHIMEI_ROMA", "TSUSHO", "KYUUJI", "SEIBETSU",
        "SEINENGAPPI", "SEINENGAPPI_FUSHO", "SEINENGAPPI_HYOKI", "ZOKUGARA_CD", "ZOKUGARA_HYOKI", "SETAI_JUNI", "LG_CODE", "MACHIAZA_CD",
        "MACHIAZA", "BANCHI", "KATAGAKI", "ZIP", "JUMIN_YMD", "JUSHOTEI_YMD", "JUSHOTEI_TODOKEDE_YMD", "IDO_YMD", "IDO_TODOKEDE_YMD",
        "IDO_JIYU", "TENNYUMAE_JUSHO", "TENSHUTSU_JUSHO", "SHOJO_JIYU", "SHOJO_TODOKEDE_YMD", "SHOJO_IDO_YMD", "KOJIN_NO", "JUMINHYO_CD",
        "KOKUSEKI_CD", "ZAIRYU_SHIKAKU", "HO30_45", "ZAIRYU_MANRYO_YMD", "SENKYO", "KOKUHO", "KOKI", "KAIGO", "NENKIN", "KOSHIN_NICHIJI", "FILLER",
    ];

    public static readonly string[] SetaiFields =
    [
        "SETAI_NO", "SETAINUSHI_ATENA_NO", "SETAINUSHI_SHIMEI", "SETAINUSHI_KANA", "SETAIIN_SU", "LG_CODE", "MACHIAZA_CD", "MACHIAZA",
        "BANCHI", "KATAGAKI", "ZIP", "SETAI_KOSEI_YMD", "KOSHIN_YMD", "FILLER",
    ];

    public static readonly string[] IdoFields = ["宛名番号", "履歴番号", "枝番", "異動事由", "異動年月日", "届出年月日", "世帯番号", "氏名", "氏名カナ", "町字コード", "住民状態", "最新区分", "操作者ID", "操作日時"];

    public static readonly string[] JukyushaFields =
    [
        "JKY_NO", "ATENA_NO", "JKY_SHIMEI", "JKY_KANA", "JKY_KBN", "SEIKYU_YMD", "NINTEI_YMD", "SHIKYU_KAISHI_YM", "SHIKYU_SHURYO_YM", "SHOMETSU_CD",
        "HAIGUSHA_ATENA_NO", "GENKYO_FLG", "SASHITOME_FLG", "KINYU_CD", "SHITEN_CD", "YOKIN_SHU", "KOZA_NO", "KOZA_KANA", "GETSUGAKU", "KOSHIN_DT",
    ];

    public static readonly string[] JidoFields =
    [
        "JKY_NO", "JIDO_ATENA_NO", "JIDO_SHIMEI", "JIDO_SEINENGAPPI", "ZOKUGARA_CD", "DOBEKKYO_KBN", "JIDO_KBN", "SHUSSHO_JUNI", "SHIKYU_KBN",
        "GETSUGAKU", "TEKIYO_KAISHI_YM", "TEKIYO_SHURYO_YM",
    ];

    /// <summary>A check-digit-valid 10-digit 宛名番号 from a serial (modulus 11, weights 2–7; r = 1 serials skipped).</summary>
    public static string Atena(int serial)
    {
        for (var s = serial; ; s++)
        {
            var text = s.ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var cd = Ogaki.Migration.Spec.CheckDigits.AtenaNumber(text);
            if (cd is { } d) return text + d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static LegacyRecord Record(string file, long number, string type, string[] names, IReadOnlyDictionary<string, object?> values, bool pad = true)
    {
        var v = new object?[names.Length];
        for (var i = 0; i < names.Length; i++)
            v[i] = values.TryGetValue(names[i], out var x) ? (pad && x is string s ? s + "  " : x) : (pad ? "  " : null);
        return new LegacyRecord(new SourceLocation(file, number, pad ? (number - 1) * 800 : -1), type, new LegacyGroup(names, v));
    }

    public static Dictionary<string, object?> Jumin(string atena, string setai, string jotai = "1", string zokugara = "01") => new()
    {
        ["ATENA_NO"] = atena, ["SETAI_NO"] = setai, ["JUMIN_SHU"] = "N", ["JUMIN_JOTAI"] = jotai, ["SHIMEI"] = "山田\u3000太郎",
        ["SHIMEI_KANA"] = "ﾔﾏﾀﾞ ﾀﾛｳ", ["SEIBETSU"] = "M", ["SEINENGAPPI"] = "3640107", ["SEINENGAPPI_FUSHO"] = " ", ["ZOKUGARA_CD"] = zokugara,
        ["ZOKUGARA_HYOKI"] = "世帯主", ["SETAI_JUNI"] = "01", ["LG_CODE"] = "212024", ["MACHIAZA_CD"] = "0004001", ["MACHIAZA"] = "青墓町一丁目",
        ["BANCHI"] = "1番地", ["ZIP"] = "0000000", ["JUMIN_YMD"] = "3640107", ["JUSHOTEI_YMD"] = "3640107", ["JUSHOTEI_TODOKEDE_YMD"] = "19890110",
        ["IDO_YMD"] = "3640107", ["IDO_TODOKEDE_YMD"] = "19890110", ["IDO_JIYU"] = "110", ["SHOJO_JIYU"] = "   ", ["SHOJO_TODOKEDE_YMD"] = "00000000",
        ["SHOJO_IDO_YMD"] = "0000000", ["KOJIN_NO"] = "123456789018", ["JUMINHYO_CD"] = "12345678901", ["SENKYO"] = "1", ["KOKUHO"] = "0",
        ["KOKI"] = "0", ["KAIGO"] = "0", ["NENKIN"] = "0", ["ZAIRYU_MANRYO_YMD"] = "00000000", ["KOSHIN_NICHIJI"] = "20250101120000",
    };

    public static Dictionary<string, object?> Setai(string setai, string head) => new()
    {
        ["SETAI_NO"] = setai, ["SETAINUSHI_ATENA_NO"] = head, ["SETAINUSHI_SHIMEI"] = "山田\u3000太郎", ["SETAINUSHI_KANA"] = "ﾔﾏﾀﾞ ﾀﾛｳ",
        ["SETAIIN_SU"] = "001", ["LG_CODE"] = "212024", ["MACHIAZA_CD"] = "0004001", ["MACHIAZA"] = "青墓町一丁目", ["SETAI_KOSEI_YMD"] = "19890110",
    };
}

/// <summary>An adapter over a fixed list of items, in order.</summary>
internal sealed class ListAdapter(string name, IEnumerable<LegacyReadResult> items) : ILegacyAdapter
{
    public string Name { get; } = name;

    public async IAsyncEnumerable<LegacyReadResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var i in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
        await Task.CompletedTask;
    }
}
