using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// The date rule of standard §1.1.8 on the legacy side: a 和暦 value for a DATE item with a 不詳 pair is kept as it
/// was written, real or not (the mapping turns it into the DATE or the pair); a DATE item without a pair takes only
/// real dates and rejects everything else.
/// </summary>
public static class DateItems
{
    /// <summary>
    /// A value for a DATE item with a 不詳 pair: any well-formed 和暦, real or not, 不詳 or not, is kept unchanged.
    /// </summary>
    public static bool TryForWarekiItem(WarekiDate value, out WarekiDate result, out ConversionFailure failure)
    {
        result = value;
        failure = default;
        if (value.IsWellFormed) return true;
        failure = new(MappingRejectReasons.InvalidDate, "the 和暦 date is malformed");
        return false;
    }

    /// <summary>
    /// A value for a DATE item without a 不詳 pair: only a real date (within its era, day in month, Gregorian era)
    /// converts; a non-existent date is <see cref="MappingRejectReasons.ImpossibleDate"/>, 不詳 is
    /// <see cref="MappingRejectReasons.InvalidDate"/>.
    /// </summary>
    public static bool TryForDateItem(WarekiDate value, out DateOnly result, out ConversionFailure failure)
    {
        result = default;
        failure = default;
        if (!value.IsWellFormed)
        {
            failure = new(MappingRejectReasons.InvalidDate, "the 和暦 date is malformed");
            return false;
        }
        if (value.IsUnknown)
        {
            failure = new(MappingRejectReasons.InvalidDate, "不詳 is not allowed in an item of type date");
            return false;
        }
        // One era lookup for the real date; the two failures are told apart only when there is one.
        if (value.TryToDateOnly(out result)) return true;
        failure = value.Exists
            ? new(MappingRejectReasons.InvalidDate, "a lunisolar date (before 明治6年) cannot be a Gregorian date")
            : new(MappingRejectReasons.ImpossibleDate, "the date does not exist (day not in month or outside its era)");
        return false;
    }

    /// <summary>A Gregorian year/month/day for a <c>date</c> item; a non-existent one is rejected.</summary>
    public static bool TryForDateItem(int year, int month, int day, out DateOnly result, out ConversionFailure failure)
    {
        result = default;
        failure = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            failure = new(MappingRejectReasons.ImpossibleDate, "the date does not exist");
            return false;
        }
        result = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// A Gregorian year/month/day for a DATE item with a 不詳 pair: converted to 和暦 by the era of its month,
    /// kept even when the day does not exist (2月29日 of a common year).
    /// </summary>
    public static bool TryForWarekiItem(int year, int month, int day, out WarekiDate result, out ConversionFailure failure)
    {
        result = default;
        failure = default;
        if (year < JapaneseEra.All[0].FirstYear || year > 9999 || month is < 1 or > 12 || day is < 1 or > 31)
        {
            failure = new(MappingRejectReasons.InvalidDate, "the date is malformed");
            return false;
        }
        var real = day <= DateTime.DaysInMonth(year, month);
        var anchor = new DateOnly(year, month, real ? day : 1);
        if (anchor < JapaneseEra.All[0].FirstDay)
        {
            failure = new(MappingRejectReasons.InvalidDate, "the date is before 明治");
            return false;
        }
        var w = WarekiDate.FromDate(anchor);
        result = w with { Day = day };
        return true;
    }
}
