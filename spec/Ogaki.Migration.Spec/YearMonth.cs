using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ogaki.Migration.Spec;

/// <summary>年月 (e.g. 支給開始年月), written <c>yyyy-MM</c>.</summary>
public readonly record struct YearMonth : IComparable<YearMonth>, ISpanParsable<YearMonth>
{
    public YearMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>Months since year 0, for ordering and period arithmetic.</summary>
    public int Index => Year * 12 + Month - 1;

    public YearMonth AddMonths(int months)
    {
        var i = Index + months;
        return new YearMonth(i / 12, i % 12 + 1);
    }

    public static YearMonth From(DateOnly date) => new(date.Year, date.Month);

    /// <summary>The last day of the month.</summary>
    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public int CompareTo(YearMonth other) => Index.CompareTo(other.Index);

    public static bool operator <(YearMonth a, YearMonth b) => a.Index < b.Index;

    public static bool operator >(YearMonth a, YearMonth b) => a.Index > b.Index;

    public static bool operator <=(YearMonth a, YearMonth b) => a.Index <= b.Index;

    public static bool operator >=(YearMonth a, YearMonth b) => a.Index >= b.Index;

    public override string ToString() => Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + Month.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>yyyy-MM</c> or <c>yyyyMM</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out YearMonth result)
    {
        result = default;
        if (s.Length == 7 && s[4] == '-') s = string.Concat(s[..4], s[5..]);
        if (s.Length != 6) return false;
        if (!int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(s[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || y < 1 || m is < 1 or > 12) return false;
        result = new YearMonth(y, m);
        return true;
    }

    public static YearMonth Parse(ReadOnlySpan<char> s, IFormatProvider? provider) =>
        TryParse(s, provider, out var r) ? r : throw new FormatException($"'{s}' is not a year-month (yyyy-MM)");

    public static YearMonth Parse(string s, IFormatProvider? provider) => Parse(s.AsSpan(), provider);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out YearMonth result) =>
        TryParse(s.AsSpan(), provider, out result);
}
