namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// Half-width katakana (JIS X 0201, U+FF61–U+FF9F) → full-width katakana with a dedicated width map.
/// Never NFKC: kanji, full-width text and everything outside the half-width kana block stay exactly as
/// they are (NFKC would also rewrite ㈱, Ⅰ and compatibility ideographs in names).
/// </summary>
public static class KanaWidth
{
    // Full-width counterparts of U+FF61 … U+FF9F, in code order.
    const string Map =
        "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

    /// <summary>
    /// Converts half-width katakana to full-width, joining ﾞ/ﾟ to the preceding kana (ｶﾞ → ガ, ﾊﾟ → パ,
    /// ｳﾞ → ヴ, ﾜﾞ → ヷ, ｦﾞ → ヺ). A sound mark that cannot join stays as the full-width mark (゛ ゜).
    /// Other characters are copied unchanged. Returns the same instance when there is nothing to convert.
    /// </summary>
    public static string ToFullWidth(string value) => Convert(value, forKanaItem: false);

    /// <summary>
    /// For フリガナ items: as <see cref="ToFullWidth"/>, and in addition inner half-width spaces become
    /// U+3000 and ASCII digits / capitals become full-width (the characters a kana item allows).
    /// </summary>
    public static string ToFullWidthKana(string value) => Convert(value, forKanaItem: true);

    static string Convert(string value, bool forKanaItem)
    {
        var i = 0;
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= '\uFF61' and <= '\uFF9F') break;
            if (forKanaItem && (c == ' ' || c is >= '0' and <= '9' || c is >= 'A' and <= 'Z')) break;
        }
        if (i == value.Length) return value;

        return Slow(value, i, forKanaItem);
    }

    static string Slow(string value, int first, bool forKanaItem)
    {
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        value.AsSpan(0, first).CopyTo(buffer);
        var n = first;
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= '\uFF61' and <= '\uFF9F')
            {
                var full = Map[c - '\uFF61'];
                if ((c == '\uFF9E' || c == '\uFF9F') && n > 0 && TryJoin(buffer[n - 1], c == '\uFF9E', out var joined))
                {
                    buffer[n - 1] = joined;
                    continue;
                }
                buffer[n++] = full;
            }
            else if (forKanaItem && c == ' ') buffer[n++] = '\u3000';
            else if (forKanaItem && c is >= '0' and <= '9') buffer[n++] = (char)(c - '0' + '\uFF10');
            else if (forKanaItem && c is >= 'A' and <= 'Z') buffer[n++] = (char)(c - 'A' + '\uFF21');
            else buffer[n++] = c;
        }
        return new string(buffer[..n]);
    }

    /// <summary>Joins a full-width base kana with a dakuten (voiced) or handakuten (semi-voiced) mark.</summary>
    static bool TryJoin(char base_, bool voiced, out char joined)
    {
        joined = base_;
        if (voiced)
        {
            switch (base_)
            {
                case 'ウ': joined = 'ヴ'; return true;
                case 'ワ': joined = 'ヷ'; return true;
                case 'ヲ': joined = 'ヺ'; return true;
            }
            // カ…ト: voiced form is the next code point (カ ガ キ ギ …), except ッ (small tsu) which has none.
            if (base_ is >= 'カ' and <= 'ト' && base_ != 'ッ' && IsVoiceable(base_)) { joined = (char)(base_ + 1); return true; }
            if (base_ is 'ハ' or 'ヒ' or 'フ' or 'ヘ' or 'ホ') { joined = (char)(base_ + 1); return true; }
            return false;
        }
        if (base_ is 'ハ' or 'ヒ' or 'フ' or 'ヘ' or 'ホ') { joined = (char)(base_ + 2); return true; }
        return false;
    }

    // In カ (U+30AB) … ト (U+30C8) the unvoiced kana are every other code point, with ッ breaking the rhythm.
    static bool IsVoiceable(char c) => c switch
    {
        'カ' or 'キ' or 'ク' or 'ケ' or 'コ' or 'サ' or 'シ' or 'ス' or 'セ' or 'ソ' or 'タ' or 'チ' or 'ツ' or 'テ' or 'ト' => true,
        _ => false,
    };
}
