using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>Check-digit checks by scheme, over <see cref="CheckDigits"/> (formulas: DOMAIN §7).</summary>
public static class IdentifierChecks
{
    /// <summary>True when <paramref name="value"/> has the length and check digit of <paramref name="scheme"/>.</summary>
    public static bool IsValid(IdentifierScheme scheme, string value, AtenaRemainderOnePolicy atenaPolicy = AtenaRemainderOnePolicy.SkipSerial) => scheme switch
    {
        IdentifierScheme.MyNumber => CheckDigits.IsValidMyNumber(value),
        IdentifierScheme.CorporateNumber => CheckDigits.IsValidCorporateNumber(value),
        IdentifierScheme.LocalGovernmentCode => CheckDigits.IsValidLocalGovernmentCode(value),
        IdentifierScheme.AtenaNumber => CheckDigits.IsValidAtenaNumber(value, atenaPolicy),
        IdentifierScheme.JuminhyoCode => IsValidJuminhyoCode(value),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    /// <summary>
    /// 住民票コード (10 digits + CD) with the 個人番号 weights of its rightmost 10 positions (5 4 3 2 7 6 5 4 3 2;
    /// r ≤ 1 → 0, else 11 − r). The official weights (平成14年総務省告示第436号) are unconfirmed: callers report a
    /// mismatch as a warning only.
    /// </summary>
    public static bool IsValidJuminhyoCode(string value)
    {
        if (value.Length != 11 || !SpecText.IsDigits(value)) return false;
        ReadOnlySpan<int> weights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 10; i++) sum += (value[i] - '0') * weights[i];
        var r = sum % 11;
        var cd = r <= 1 ? 0 : 11 - r;
        return cd == value[10] - '0';
    }

    public static string Describe(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.MyNumber => "個人番号 (12 digits, check digit per 総務省令第85号)",
        IdentifierScheme.CorporateNumber => "法人番号 (13 digits, check digit first)",
        IdentifierScheme.LocalGovernmentCode => "全国地方公共団体コード (6 digits, modulus 11)",
        IdentifierScheme.AtenaNumber => "宛名番号/世帯番号 (modulus 11, weights 2–7)",
        IdentifierScheme.JuminhyoCode => "住民票コード (11 digits; weights unconfirmed)",
        _ => scheme.ToString(),
    };

    internal static string RuleOf(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.MyNumber => Rules.MyNumberCheckDigit,
        IdentifierScheme.CorporateNumber => Rules.CorporateNumberCheckDigit,
        IdentifierScheme.LocalGovernmentCode => Rules.LocalGovernmentCodeCheckDigit,
        IdentifierScheme.AtenaNumber => Rules.AtenaCheckDigit,
        IdentifierScheme.JuminhyoCode => Rules.JuminhyoCodeCheckDigit,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };
}

/// <summary>児童手当 age limits (DOMAIN §4.3), by the 年齢計算ニ関スル法律 (an age is reached the day before the birthday).</summary>
public static class AllowanceAgeRules
{
    /// <summary>The first month of the October 2024 reform (高校生年代 covered, no income limit).</summary>
    public static DateOnly Reform2024 { get; } = new(2024, 10, 1);

    /// <summary>The day a person born on <paramref name="birth"/> reaches <paramref name="age"/>.</summary>
    public static DateOnly AttainmentDate(DateOnly birth, int age) => birth.AddDays(-1).AddYears(age);

    /// <summary>The first 31 March on or after <paramref name="date"/> (年度末).</summary>
    public static DateOnly FirstMarch31OnOrAfter(DateOnly date)
    {
        var march31 = new DateOnly(date.Year, 3, 31);
        return date <= march31 ? march31 : march31.AddYears(1);
    }

    /// <summary>
    /// Last day a child is paid for, under the rules in force on <paramref name="at"/>: the first 31 March after
    /// turning 18 from October 2024, after turning 15 before.
    /// </summary>
    public static DateOnly PaidUntil(DateOnly birth, DateOnly at) =>
        FirstMarch31OnOrAfter(AttainmentDate(birth, at >= Reform2024 ? 18 : 15));

    /// <summary>Last day a child is counted for birth order (算定のみ): the first 31 March after turning 22.</summary>
    public static DateOnly CountedUntil(DateOnly birth) => FirstMarch31OnOrAfter(AttainmentDate(birth, 22));
}
