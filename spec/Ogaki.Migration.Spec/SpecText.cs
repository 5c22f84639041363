using System.Buffers;
using System.Globalization;

namespace Ogaki.Migration.Spec;

/// <summary>Character rules of the spec. Never normalises: names keep their exact characters.</summary>
public static class SpecText
{
    /// <summary>
    /// Every character from <paramref name="low"/> to <paramref name="high"/>, for a vectorised scan. Built once per
    /// range: <c>MemoryExtensions.IndexOfAnyInRange</c> on chars allocates 96 bytes a call on .NET 10 and takes about
    /// five times as long (measured; two of its calls ran for most text items of every record).
    /// </summary>
    public static SearchValues<char> CharRange(char low, char high) =>
        SearchValues.Create(string.Create(high - low + 1, low, static (span, first) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)(first + i);
        }));

    static readonly SearchValues<char> CombiningRange = CharRange('\u0300', '\uFE0F');
    static readonly SearchValues<char> AsciiPrintable = CharRange(' ', '~');

    /// <summary>
    /// Length in characters as the spec counts them: text elements, so a base character with its
    /// variation selector (葛 U+845B U+E0100) or a surrogate pair (𠮷) counts once.
    /// </summary>
    public static int Length(string value)
    {
        // Fastest path (codes, digits, ASCII): nothing in U+0300…U+FE0F, which holds every combining mark,
        // joiner, variation selector and surrogate tested below; a vectorised scan.
        if (!value.AsSpan().ContainsAny(CombiningRange)) return value.Length;
        // Fast path: BMP text without combining marks, variation selectors or joiners is one element per char.
        foreach (var c in value)
            if (char.IsSurrogate(c) || IsCombining(c))
                return new StringInfo(value).LengthInTextElements;
        return value.Length;
    }

    static bool IsCombining(char c) =>
        c is (>= '\u0300' and <= '\u036F') or (>= '\u3099' and <= '\u309A') or (>= '\uFE00' and <= '\uFE0F') or '\u200D' or (>= '\u20D0' and <= '\u20FF');

    /// <summary>True when every character is a half-width digit 0–9.</summary>
    public static bool IsDigits(string value)
    {
        foreach (var c in value)
            if (c is < '0' or > '9') return false;
        return value.Length > 0;
    }

    /// <summary>
    /// True for フリガナ text: full-width katakana (with ー・ヽヾ), the full-width space, and full-width
    /// digits and capitals as they occur in 方書 readings. Half-width katakana is not allowed.
    /// </summary>
    public static bool IsKana(string value)
    {
        foreach (var c in value)
        {
            var ok = c is (>= '\u30A1' and <= '\u30FA') or '\u30FC' or '\u30FB' or '\u30FD' or '\u30FE' or '\u3000'
                or (>= '\uFF10' and <= '\uFF19') or (>= '\uFF21' and <= '\uFF3A');
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>
    /// True for official データ型 X (半角文字列): printable ASCII (space to ~) and half-width katakana (U+FF61–U+FF9F).
    /// </summary>
    public static bool IsHalfWidth(string value)
    {
        foreach (var c in value)
            if (c is not ((>= ' ' and <= '~') or (>= '\uFF61' and <= '\uFF9F'))) return false;
        return true;
    }

    /// <summary>
    /// True for official データ型 Ｎ (全角文字列): no printable ASCII, no half-width katakana and no control character
    /// (the full-width space and full-width letters such as ＺＨＡＮＧ are full-width).
    /// </summary>
    public static bool IsFullWidth(string value)
    {
        foreach (var c in value)
            if (c is (<= '~') or (>= '\uFF61' and <= '\uFF9F')) return false;
        return true;
    }

    /// <summary>
    /// The full-width form of a value for an item of データ型 Ｎ: printable ASCII becomes its full-width form (the space
    /// U+3000, ! to ~ U+FF01 to U+FF5E). Every other character is kept as it is (kanji, 外字 and variation selectors are
    /// never touched; half-width katakana is widened by the kana conversion, which joins ﾞ and ﾟ).
    /// </summary>
    public static string ToFullWidth(string value)
    {
        // Most Ｎ values (names, addresses) have no ASCII at all: one vectorised scan, no copy.
        if (!value.AsSpan().ContainsAny(AsciiPrintable)) return value;
        return string.Create(value.Length, value, static (span, v) =>
        {
            for (var k = 0; k < v.Length; k++)
            {
                var c = v[k];
                span[k] = c == ' ' ? '\u3000' : c is > ' ' and <= '~' ? (char)(c - '!' + '\uFF01') : c;
            }
        });
    }

    /// <summary>Number of digits of a whole number (sign not counted).</summary>
    public static int DigitCount(long value) => Digits(value < 0 ? (UInt128)(-(Int128)value) : (UInt128)value);

    /// <summary>Number of digits of the integer part of an amount (sign not counted).</summary>
    public static int DigitCount(decimal value) => Digits((UInt128)decimal.Truncate(Math.Abs(value)));

    // Integer compares, not a loop of decimal divisions: every amount and number of every record passes here.
    static int Digits(UInt128 value)
    {
        var n = 1;
        for (UInt128 power = 10; n < 39 && value >= power; power *= 10) n++;
        return n;
    }
}
