using Ogaki.Migration.Standard.Codes;

namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// 続柄 text → CT-ZOKUGARA codes (続柄コード1–4, one element each). A chain is elements joined with 「の」
/// (子の妻 → [21, 12]); 5 or more elements become 縁故者 [91]; 孫 is 子の子 and 曾孫 子の子の子; 世帯主,
/// 縁故者 and 同居人 stand alone. Anything else (祖父, 甥, 家事使用人 …) is not in the standard value set.
/// </summary>
public static class ZokugaraChains
{
    public const int MaxElements = 4;

    // Longest first so 子（子の妻） wins over 子 and 夫（未届） over 夫.
    static readonly (string Text, string[] Codes)[] Elements =
    [
        ("子（子の夫）", [Zokugara.KoNoOtto]),
        ("子（子の妻）", [Zokugara.KoNoTsuma]),
        ("夫（未届）", [Zokugara.OttoMitodoke]),
        ("妻（未届）", [Zokugara.TsumaMitodoke]),
        ("曾孫", [Zokugara.Ko, Zokugara.Ko, Zokugara.Ko]),
        ("ひ孫", [Zokugara.Ko, Zokugara.Ko, Zokugara.Ko]),
        ("孫", [Zokugara.Ko, Zokugara.Ko]),
        ("夫", [Zokugara.Otto]),
        ("妻", [Zokugara.Tsuma]),
        ("子", [Zokugara.Ko]),
        ("父", [Zokugara.Chichi]),
        ("母", [Zokugara.Haha]),
        ("兄", [Zokugara.Ani]),
        ("姉", [Zokugara.Ane]),
        ("弟", [Zokugara.Otouto]),
        ("妹", [Zokugara.Imouto]),
    ];

    static readonly (string Text, string Code)[] Standalone =
    [
        ("世帯主", Zokugara.Setainushi),
        ("縁故者", Zokugara.Enkosha),
        ("同居人", Zokugara.Doukyonin),
    ];

    /// <summary>Parses 続柄 text into 1–4 codes; false (unmapped) when an element is not in the value set.</summary>
    public static bool TryParse(string? text, out string[] codes, out ConversionFailure failure)
    {
        codes = [];
        failure = default;
        var t = LegacyText.Trim(text);
        if (t is null)
        {
            failure = new(MappingRejectReasons.RequiredMissing, "続柄 is empty");
            return false;
        }
        t = t.Replace('(', '（').Replace(')', '）');
        foreach (var (s, code) in Standalone)
            if (string.Equals(t, s, StringComparison.Ordinal)) { codes = [code]; return true; }

        var list = new List<string>(4);
        var i = 0;
        while (true)
        {
            var matched = false;
            foreach (var (s, c) in Elements)
            {
                if (string.CompareOrdinal(t, i, s, 0, s.Length) != 0) continue;
                list.AddRange(c);
                i += s.Length;
                matched = true;
                break;
            }
            if (!matched)
            {
                failure = new(MappingRejectReasons.UnmappedCode, "続柄 text has an element outside CT-ZOKUGARA");
                return false;
            }
            if (i == t.Length) break;
            if (t[i] != 'の' || i + 1 == t.Length)
            {
                failure = new(MappingRejectReasons.UnmappedCode, "続柄 text is not a chain joined with の");
                return false;
            }
            i++;
        }
        codes = list.Count > MaxElements ? [Zokugara.Enkosha] : [.. list];
        return true;
    }

    /// <summary>
    /// Parses a chain of standard codes as a code table file writes it (<c>21;12</c> or <c>21 12</c>):
    /// each must be in CT-ZOKUGARA, 1–4 of them, 世帯主/縁故者/同居人 only alone; 5+ become 縁故者.
    /// </summary>
    public static bool TryParseCodes(string? chain, out string[] codes)
    {
        codes = [];
        if (string.IsNullOrWhiteSpace(chain)) return false;
        var parts = chain.Split([';', ' ', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) return false;
        foreach (var p in parts)
            if (!Zokugara.Contains(p)) return false;
        if (parts.Length > 1)
            foreach (var p in parts)
                if (p is Zokugara.Setainushi or Zokugara.Enkosha or Zokugara.Doukyonin) return false;
        codes = parts.Length > MaxElements ? [Zokugara.Enkosha] : parts;
        return true;
    }

    /// <summary>Japanese text of a chain ([21, 12] → 子の妻), for 続柄表記 when the legacy gives only a code.</summary>
    public static string ToText(IReadOnlyList<string> codes) => string.Join("の", codes.Select(c => Zokugara.Table.NameOf(c) ?? c));
}
