using System.Globalization;
using System.Text;

namespace Ogaki.Migration.LegacyEstate.Model;

/// <summary>Legacy text conventions: half-width katakana, era-coded dates.</summary>
internal static class LegacyText
{
    const string FullBase = "ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー　";
    const string HalfBase = "ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ ";

    /// <summary>Full-width katakana → half-width (ｶﾞ as two characters), as legacy kana fields hold them.</summary>
    public static string ToHalfWidthKana(string full)
    {
        var sb = new StringBuilder(full.Length + 4);
        foreach (var c in full)
        {
            var i = FullBase.IndexOf(c, StringComparison.Ordinal);
            if (i >= 0) { sb.Append(HalfBase[i]); continue; }
            if (c == 'ヴ') { sb.Append("ｳﾞ"); continue; }
            if (c == 'ェ') { sb.Append('ｪ'); continue; }
            i = FullBase.IndexOf((char)(c - 1), StringComparison.Ordinal);
            if (i >= 0 && "ガギグゲゴザジズゼゾダヂヅデドバビブベボ".Contains(c, StringComparison.Ordinal)) { sb.Append(HalfBase[i]).Append('ﾞ'); continue; }
            i = FullBase.IndexOf((char)(c - 2), StringComparison.Ordinal);
            if (i >= 0 && "パピプペポ".Contains(c, StringComparison.Ordinal)) { sb.Append(HalfBase[i]).Append('ﾟ'); continue; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    static readonly DateOnly Meiji = new(1868, 1, 25), Taisho = new(1912, 7, 30), Showa = new(1926, 12, 25), Heisei = new(1989, 1, 8), Reiwa = new(2019, 5, 1);

    /// <summary>Era number (1 明治 … 5 令和) and year of the era; changeover days belong to the new era.</summary>
    public static (int Era, int Year) ToEra(DateOnly d)
    {
        if (d >= Reiwa) return (5, d.Year - 2018);
        if (d >= Heisei) return (4, d.Year - 1988);
        if (d >= Showa) return (3, d.Year - 1925);
        if (d >= Taisho) return (2, d.Year - 1911);
        if (d >= Meiji) return (1, d.Year - 1867);
        throw new ArgumentOutOfRangeException(nameof(d), "before 明治");
    }

    /// <summary>EYYMMDD, 7 digits.</summary>
    public static string Eymd(DateOnly d)
    {
        var (era, year) = ToEra(d);
        return string.Create(7, (era, year, d.Month, d.Day), static (span, v) =>
        {
            span[0] = (char)('0' + v.era);
            span[1] = (char)('0' + v.year / 10);
            span[2] = (char)('0' + v.year % 10);
            span[3] = (char)('0' + v.Month / 10);
            span[4] = (char)('0' + v.Month % 10);
            span[5] = (char)('0' + v.Day / 10);
            span[6] = (char)('0' + v.Day % 10);
        });
    }

    public static string Eymd(DateOnly? d) => d is { } v ? Eymd(v) : "0000000";

    public static string Ymd(DateOnly d) => string.Create(8, d, static (span, v) =>
    {
        var y = v.Year;
        span[0] = (char)('0' + y / 1000);
        span[1] = (char)('0' + y / 100 % 10);
        span[2] = (char)('0' + y / 10 % 10);
        span[3] = (char)('0' + y % 10);
        span[4] = (char)('0' + v.Month / 10);
        span[5] = (char)('0' + v.Month % 10);
        span[6] = (char)('0' + v.Day / 10);
        span[7] = (char)('0' + v.Day % 10);
    });

    public static string Ymd(DateOnly? d) => d is { } v ? Ymd(v) : "00000000";

    public static string Ym(YearMonthValue ym) => string.Create(CultureInfo.InvariantCulture, $"{ym.Year:0000}{ym.Month:00}");

    static readonly string[] DFormats = [.. Enumerable.Range(0, 20).Select(w => "D" + w.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Zero-padded decimal digits.</summary>
    public static string Int(long v, int width) => v.ToString(DFormats[width], CultureInfo.InvariantCulture);

    public static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Number written with full-width digits (for kanji address text).</summary>
    public static string FullWidthDigits(int v)
    {
        var s = v.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append((char)('０' + (c - '0')));
        return sb.ToString();
    }
}

/// <summary>A calendar month (estate-internal; the spec's YearMonth is for standard data).</summary>
internal readonly record struct YearMonthValue(int Year, int Month) : IComparable<YearMonthValue>
{
    public int Index => Year * 12 + Month - 1;

    public static YearMonthValue FromIndex(int index) => new(index / 12, index % 12 + 1);

    public static YearMonthValue Of(DateOnly d) => new(d.Year, d.Month);

    public YearMonthValue Add(int months) => FromIndex(Index + months);

    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public int CompareTo(YearMonthValue other) => Index.CompareTo(other.Index);

    public static bool operator <(YearMonthValue a, YearMonthValue b) => a.Index < b.Index;
    public static bool operator >(YearMonthValue a, YearMonthValue b) => a.Index > b.Index;
    public static bool operator <=(YearMonthValue a, YearMonthValue b) => a.Index <= b.Index;
    public static bool operator >=(YearMonthValue a, YearMonthValue b) => a.Index >= b.Index;
}
