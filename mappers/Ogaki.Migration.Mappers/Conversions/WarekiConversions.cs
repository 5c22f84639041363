using System.Globalization;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>How a legacy system writes the era digit/letter of <c>EYYMMDD</c> (DOMAIN §5 CT-GENGO: map each scheme explicitly).</summary>
public enum EraScheme
{
    /// <summary>1 明治, 2 大正, 3 昭和, 4 平成, 5 令和 (CT-GENGO, the COBOL convention).</summary>
    Digit,
    /// <summary>M, T, S, H, R.</summary>
    Letter,
    /// <summary>1 明治, 3 大正, 5 昭和, 7 平成, 9 令和.</summary>
    Odd,
}

/// <summary>
/// Legacy date forms ↔ <see cref="WarekiDate"/> ↔ Gregorian. Parsing never corrects a value: a
/// non-existent day (平成元年1月7日, 2月30日) or 不詳 text stays as written; whether it is allowed is
/// decided per item type by <see cref="DateItems"/>.
/// </summary>
public static class WarekiConversions
{
    static readonly string[] EraNames = ["明治", "大正", "昭和", "平成", "令和"];

    extension(WarekiDate)
    {
        /// <summary>
        /// Parses <c>EYYMMDD</c> with the given era scheme; 00 marks an unknown part (kept as 不詳).
        /// Returns false for malformed text (wrong length, non-digits, unknown era).
        /// </summary>
        public static bool TryParseEraCoded(ReadOnlySpan<char> s, EraScheme scheme, out WarekiDate value)
        {
            value = default;
            if (s.Length != 7) return false;
            int era;
            switch (scheme)
            {
                case EraScheme.Digit:
                    return WarekiDate.TryParseEraCoded(s, out value);
                case EraScheme.Letter:
                    era = JapaneseEra.FromLetter(s[0])?.Code ?? 0;
                    break;
                case EraScheme.Odd:
                    era = s[0] is '1' or '3' or '5' or '7' or '9' ? (s[0] - '0' + 1) / 2 : 0;
                    break;
                default:
                    return false;
            }
            if (era == 0) return false;
            Span<char> digit = ['0', '0', '0', '0', '0', '0', '0'];
            digit[0] = (char)('0' + era);
            s[1..].CopyTo(digit[1..]);
            return WarekiDate.TryParseEraCoded(digit, out value);
        }

        /// <summary>
        /// Parses Japanese text: 「昭和64年1月7日」, 「平成元年1月8日」, full-width digits allowed, spaces ignored.
        /// Text that is not a complete date (「昭和20年頃」, 「年月日不詳」, 「○年○月上旬」) becomes a 不詳 value
        /// keeping the text, with whatever era/year/month it names. False only for empty text or 不詳 text
        /// longer than 72 characters.
        /// </summary>
        public static bool TryParseJapanese(string? text, out WarekiDate value)
        {
            value = default;
            var t = LegacyText.Trim(text);
            if (t is null) return false;
            var p = new Cursor(t);
            var era = p.Era();
            int year = 0, month = 0, day = 0;
            var complete = false;
            if (era > 0 && p.Number(allowGan: true, out year) && p.Eat('年'))
            {
                if (p.Number(allowGan: false, out month) && p.Eat('月'))
                {
                    if (p.Number(allowGan: false, out day) && p.Eat('日')) complete = p.AtEnd;
                    else day = 0;
                }
                else month = 0;
            }
            else year = 0;

            if (complete && year is >= 1 and <= 99 && month is >= 1 and <= 12 && day is >= 1 and <= 31)
            {
                value = new WarekiDate(era, year, month, day);
                return true;
            }
            if (SpecText.Length(t) > WarekiDate.MaxUnknownTextLength) return false;
            if (year is < 0 or > 99) year = 0;
            if (month is < 0 or > 12) month = 0;
            value = new WarekiDate(era, year, month, 0, t);
            return value.IsWellFormed;
        }

        /// <summary>The 和暦 of a Gregorian date (changeover days take the new era: 令和元年5月1日).</summary>
        public static WarekiDate FromGregorian(DateOnly date) => WarekiDate.FromDate(date);
    }

    extension(WarekiDate date)
    {
        /// <summary>Writes <c>EYYMMDD</c> in the given scheme (unknown parts as 00).</summary>
        public string ToEraCoded(EraScheme scheme = EraScheme.Digit)
        {
            var era = JapaneseEra.FromCode(date.Era) ?? throw new InvalidOperationException("the era is unknown");
            var e = scheme switch
            {
                EraScheme.Digit => (char)('0' + era.Code),
                EraScheme.Letter => era.Letter,
                EraScheme.Odd => (char)('0' + era.Code * 2 - 1),
                _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
            };
            return string.Create(CultureInfo.InvariantCulture, $"{e}{date.Year:D2}{date.Month:D2}{date.Day:D2}");
        }

        /// <summary>
        /// The same day written in the previous era, where the standard allows it (大正元年7月30日 → 明治45年7月30日,
        /// 昭和元年12月25日 → 大正15年12月25日); null for any other date.
        /// </summary>
        public WarekiDate? InPreviousEra()
        {
            var era = JapaneseEra.FromCode(date.Era);
            if (era is null || !era.PreviousEraKeepsFirstDay || !date.Exists || date.Year != 1) return null;
            if (date.Month != era.FirstDay.Month || date.Day != era.FirstDay.Day) return null;
            var prev = JapaneseEra.FromCode(era.Code - 1)!;
            return new WarekiDate(prev.Code, era.FirstDay.Year - prev.FirstYear + 1, date.Month, date.Day);
        }
    }

    /// <summary>Parses <c>yyyyMMdd</c>, <c>yyyy-MM-dd</c> or <c>yyyy/MM/dd</c> (Gregorian); all zeros / blank is no value.</summary>
    public static bool TryParseGregorian(ReadOnlySpan<char> s, out int year, out int month, out int day)
    {
        year = month = day = 0;
        if (s.Length == 10 && s[4] is '-' or '/' && s[7] == s[4])
            return TryDigits(s[..4], out year) && TryDigits(s.Slice(5, 2), out month) && TryDigits(s.Slice(8, 2), out day);
        return s.Length == 8 && TryDigits(s[..4], out year) && TryDigits(s.Slice(4, 2), out month) && TryDigits(s.Slice(6, 2), out day);
    }

    // As int.TryParse with NumberStyles.None, without its generality: ASCII digits (no sign, no spaces), then
    // only NULs (which int.TryParse also accepts after the digits); at most 4 digits here, so no overflow.
    static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && s[i] is >= '0' and <= '9'; i++) value = value * 10 + (s[i] - '0');
        if (i == 0)
        {
            value = 0;
            return false;
        }
        for (; i < s.Length; i++)
            if (s[i] != '\0')
            {
                value = 0;
                return false;
            }
        return true;
    }

    ref struct Cursor(string text)
    {
        readonly string _t = text;
        int _i;

        public readonly bool AtEnd => _i >= _t.Length;

        void SkipSpace()
        {
            while (_i < _t.Length && _t[_i] is ' ' or '\u3000') _i++;
        }

        public int Era()
        {
            SkipSpace();
            for (var e = 0; e < EraNames.Length; e++)
                if (string.CompareOrdinal(_t, _i, EraNames[e], 0, 2) == 0) { _i += 2; return e + 1; }
            return 0;
        }

        public bool Eat(char c)
        {
            SkipSpace();
            if (_i < _t.Length && _t[_i] == c) { _i++; return true; }
            return false;
        }

        public bool Number(bool allowGan, out int value)
        {
            SkipSpace();
            value = 0;
            if (allowGan && _i < _t.Length && _t[_i] == '元') { _i++; value = 1; return true; }
            var start = _i;
            while (_i < _t.Length && _i - start < 3)
            {
                var c = _t[_i];
                int d;
                if (c is >= '0' and <= '9') d = c - '0';
                else if (c is >= '\uFF10' and <= '\uFF19') d = c - '\uFF10';
                else break;
                value = value * 10 + d;
                _i++;
            }
            return _i > start;
        }
    }
}
