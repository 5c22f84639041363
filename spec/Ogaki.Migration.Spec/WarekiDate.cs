using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Spec;

/// <summary>A Japanese era (元号) with the Gregorian day it began.</summary>
/// <param name="Code">CT-GENGO code: 1 明治 … 5 令和 (also the .NET JapaneseCalendar era number).</param>
/// <param name="Name">明治, 大正, 昭和, 平成, 令和.</param>
/// <param name="Letter">M, T, S, H, R.</param>
/// <param name="FirstDay">First day in the Gregorian calendar.</param>
/// <param name="PreviousEraKeepsFirstDay">
/// True when the changeover day may also be written in the old era (明治45年7月30日 = 大正元年7月30日,
/// 大正15年12月25日 = 昭和元年12月25日), as the standard accepts.
/// </param>
public sealed record JapaneseEra(int Code, string Name, char Letter, DateOnly FirstDay, bool PreviousEraKeepsFirstDay)
{
    /// <summary>Eras in order. New eras are added here (the standard wants them by parameter).</summary>
    public static IReadOnlyList<JapaneseEra> All => Eras;

    // An array behind All: every date conversion looks eras up by code, without interface calls.
    static readonly JapaneseEra[] Eras =
    [
        // 明治元年1月1日 was 1868-01-25 (lunisolar calendar until 明治5年12月2日).
        new(1, "明治", 'M', new DateOnly(1868, 1, 25), false),
        new(2, "大正", 'T', new DateOnly(1912, 7, 30), true),
        new(3, "昭和", 'S', new DateOnly(1926, 12, 25), true),
        new(4, "平成", 'H', new DateOnly(1989, 1, 8), false),
        new(5, "令和", 'R', new DateOnly(2019, 5, 1), false),
    ];

    /// <summary>Number of eras (the highest CT-GENGO code).</summary>
    public static int Count => Eras.Length;

    /// <summary>The first day of the Gregorian calendar in Japan (明治6年1月1日).</summary>
    public static DateOnly GregorianAdoption { get; } = new(GregorianAdoptionYear, 1, 1);

    const int GregorianAdoptionYear = 1873;

    public static JapaneseEra? FromCode(int code) => (uint)(code - 1) < (uint)Eras.Length ? Eras[code - 1] : null;

    public static JapaneseEra? FromLetter(char letter)
    {
        foreach (var e in All)
            if (e.Letter == char.ToUpperInvariant(letter)) return e;
        return null;
    }

    /// <summary>The era after this one, or null for the current era.</summary>
    public JapaneseEra? Next => Code < Eras.Length ? Eras[Code] : null;

    /// <summary>Gregorian year of 元年 (year 1) of this era.</summary>
    public int FirstYear { get; } = FirstDay.Year;

    /// <summary>
    /// The Gregorian date of year <paramref name="year"/> (1 = 元年), month and day of this era, when it exists:
    /// the day is in its month and the date lies within the era (a changeover day kept in the old era counts).
    /// False for a date before 明治6年 (lunisolar: <paramref name="lunisolar"/> tells whether its day could exist).
    /// </summary>
    internal bool TryGregorian(int year, int month, int day, out DateOnly date, out bool lunisolar)
    {
        date = default;
        var y = FirstYear + year - 1;
        lunisolar = y < GregorianAdoptionYear;
        if (lunisolar || day > DateTime.DaysInMonth(y, month)) return false;
        var d = new DateOnly(y, month, day);
        if (d < FirstDay) return false;
        var next = Next;
        if (next is not null && !(d < next.FirstDay || (d == next.FirstDay && next.PreviousEraKeepsFirstDay))) return false;
        date = d;
        return true;
    }
}

/// <summary>
/// A 和暦 date as the standard keeps it (§1.1.8): possibly a date that does not exist (2月29日 of a
/// common year) or 不詳 text (「昭和20年頃」). It is never silently corrected; it converts to a
/// <see cref="DateOnly"/> only when it is a real date. A part that is unknown is 0.
/// </summary>
/// <param name="Era">CT-GENGO code 1–5, or 0 when the era is unknown.</param>
/// <param name="Year">Year of the era (1 = 元年), 0 when unknown.</param>
/// <param name="Month">1–12, 0 when unknown.</param>
/// <param name="Day">1–31, 0 when unknown.</param>
/// <param name="UnknownText">不詳表記 (up to 72 characters), e.g. 「○年○月上旬」; null when the date is known.</param>
public readonly record struct WarekiDate(int Era, int Year, int Month, int Day, string? UnknownText = null) : IComparable<WarekiDate>
{
    public const int MaxUnknownTextLength = 72;

    /// <summary>True when the date is 不詳: some part is unknown or 不詳 text is given.</summary>
    public bool IsUnknown => UnknownText is not null || Era == 0 || Year == 0 || Month == 0 || Day == 0;

    /// <summary>Structurally valid: parts in range and, if not 不詳, all parts given.</summary>
    public bool IsWellFormed =>
        Era >= 0 && Era <= JapaneseEra.Count && Year >= 0 && Year <= 99 && Month >= 0 && Month <= 12 && Day >= 0 && Day <= 31
        && (UnknownText is null || (UnknownText.Length > 0 && SpecText.Length(UnknownText) <= MaxUnknownTextLength))
        && (UnknownText is not null || (Era > 0 && Year > 0 && Month > 0 && Day > 0));

    /// <summary>
    /// True when the date is known and real: the day exists in its month and the date lies within its
    /// era (the changeover days 明治45年7月30日 and 大正15年12月25日 included).
    /// </summary>
    public bool Exists => IsWellFormed && !IsUnknown && (JapaneseEra.FromCode(Era)!.TryGregorian(Year, Month, Day, out _, out var lunisolar) || (lunisolar && Day <= 30)); // lunisolar months had 29 or 30 days; no Gregorian check is possible.

    /// <summary>The Gregorian date; only for real dates from 明治6年 on (earlier ones are lunisolar).</summary>
    public bool TryToDateOnly(out DateOnly date)
    {
        date = default;
        return IsWellFormed && !IsUnknown && JapaneseEra.FromCode(Era)!.TryGregorian(Year, Month, Day, out date, out _);
    }

    public DateOnly ToDateOnly() => TryToDateOnly(out var d) ? d
        : throw new InvalidOperationException($"{this} is not a real Gregorian date (不詳, non-existent or lunisolar)");

    /// <summary>The 和暦 of a Gregorian date; the changeover days take the new era (大正元年7月30日).</summary>
    public static WarekiDate FromDate(DateOnly date)
    {
        for (var i = JapaneseEra.All.Count - 1; i >= 0; i--)
        {
            var e = JapaneseEra.All[i];
            if (date >= e.FirstDay)
                return new WarekiDate(e.Code, date.Year - e.FirstYear + 1, date.Month, date.Day);
        }
        throw new ArgumentOutOfRangeException(nameof(date), "dates before 明治 are not supported");
    }

    /// <summary>
    /// Best-effort Gregorian yyyymmdd for ordering (unknown parts are 0); not a date and never a
    /// correction of the value.
    /// </summary>
    public int SortKey
    {
        get
        {
            var era = JapaneseEra.FromCode(Era);
            var year = era is null || Year == 0 ? 0 : era.FirstYear + Year - 1;
            return year * 10000 + Month * 100 + Day;
        }
    }

    public int CompareTo(WarekiDate other)
    {
        var c = SortKey.CompareTo(other.SortKey);
        return c != 0 ? c : string.CompareOrdinal(UnknownText, other.UnknownText);
    }

    /// <summary>Canonical text: <c>S64.01.07</c>; with 不詳 text <c>S20.00.00~昭和20年頃</c>; unknown era <c>?00.00.00~年月日不詳</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(16);
        sb.Append(JapaneseEra.FromCode(Era)?.Letter ?? '?')
          .Append(Year.ToString("D2", CultureInfo.InvariantCulture)).Append('.')
          .Append(Month.ToString("D2", CultureInfo.InvariantCulture)).Append('.')
          .Append(Day.ToString("D2", CultureInfo.InvariantCulture));
        if (UnknownText is not null) sb.Append('~').Append(UnknownText);
        return sb.ToString();
    }

    /// <summary>
    /// Japanese form: 令和元年5月1日, 昭和64年1月7日; 不詳 text as it is; an unknown part as ○ (昭和20年○月○日), an
    /// unknown era or year as 年月日不詳.
    /// </summary>
    public string ToJapanese()
    {
        if (UnknownText is not null) return UnknownText;
        var era = JapaneseEra.FromCode(Era);
        if (era is null || Year == 0) return "年月日不詳";
        var sb = new StringBuilder();
        sb.Append(era.Name);
        sb.Append(Year == 1 ? "元" : Year.ToString(CultureInfo.InvariantCulture)).Append('年');
        sb.Append(Month == 0 ? "○" : Month.ToString(CultureInfo.InvariantCulture)).Append('月');
        sb.Append(Day == 0 ? "○" : Day.ToString(CultureInfo.InvariantCulture)).Append('日');
        return sb.ToString();
    }

    /// <summary>Parses the canonical text written by <see cref="ToString"/>.</summary>
    public static bool TryParse(string? s, out WarekiDate value)
    {
        value = default;
        if (s is null || s.Length < 9 || s[3] != '.' || s[6] != '.') return false;
        var era = s[0] == '?' ? 0 : JapaneseEra.FromLetter(s[0])?.Code ?? -1;
        if (era < 0) return false;
        if (!int.TryParse(s.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(s.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(s.AsSpan(7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d)) return false;
        string? text = null;
        if (s.Length > 9)
        {
            if (s[9] != '~') return false;
            text = s[10..];
        }
        value = new WarekiDate(era, y, m, d, text);
        return value.IsWellFormed;
    }

    public static WarekiDate Parse(string s) => TryParse(s, out var v) ? v : throw new FormatException($"'{s}' is not a canonical wareki date (e.g. S64.01.07)");

    /// <summary>
    /// Parses the legacy era-coded form <c>EYYMMDD</c> (7 digits, E = CT-GENGO 1–5; 00 for an unknown
    /// part). The value is kept as written: a non-existent day stays non-existent.
    /// </summary>
    public static bool TryParseEraCoded(ReadOnlySpan<char> s, out WarekiDate value)
    {
        value = default;
        if (s.Length != 7) return false;
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        var era = s[0] - '0';
        var y = (s[1] - '0') * 10 + (s[2] - '0');
        var m = (s[3] - '0') * 10 + (s[4] - '0');
        var d = (s[5] - '0') * 10 + (s[6] - '0');
        if (era is < 1 or > 5) return false;
        var unknown = y == 0 || m == 0 || d == 0;
        value = new WarekiDate(era, y, m, d, unknown ? "年月日の一部不詳" : null);
        return value.IsWellFormed;
    }
}
