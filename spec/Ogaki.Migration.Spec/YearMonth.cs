using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ogaki.Migration.Spec;

/// <summary>年月 (e.g. 支給開始年月), written <c>yyyy-MM</c>.</summary>
public readonly record struct YearMonth : IComparable<YearMonth>, ISpanParsable<YearMonth>, IUtf8SpanFormattable
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

    /// <summary>The text of <see cref="ToString"/> (<c>yyyy-MM</c>) as UTF-8, without a string (the format is ignored).</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        bytesWritten = 0;
        if (utf8Destination.Length < 7) return false;
        var (y, m) = (Year, Month); // 1–9999 and 1–12 (0 and 0 for default)
        utf8Destination[0] = (byte)('0' + y / 1000);
        utf8Destination[1] = (byte)('0' + y / 100 % 10);
        utf8Destination[2] = (byte)('0' + y / 10 % 10);
        utf8Destination[3] = (byte)('0' + y % 10);
        utf8Destination[4] = (byte)'-';
        utf8Destination[5] = (byte)('0' + m / 10);
        utf8Destination[6] = (byte)('0' + m % 10);
        bytesWritten = 7;
        return true;
    }

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
