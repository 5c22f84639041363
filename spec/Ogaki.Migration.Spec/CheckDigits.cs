namespace Ogaki.Migration.Spec;

/// <summary>What to do when the 宛名番号 modulus-11 remainder is 1 (the standard leaves it open).</summary>
public enum AtenaRemainderOnePolicy
{
    /// <summary>The serial is never issued: a number whose remainder is 1 is invalid.</summary>
    SkipSerial,
    /// <summary>The check digit is 0.</summary>
    UseZero,
}

/// <summary>Check digits of the identifiers the standard uses (formulas: docs/domain.md §7).</summary>
public static class CheckDigits
{
    /// <summary>個人番号 (My Number), 11 digits + CD: weights 6 5 4 3 2 7 6 5 4 3 2; r ≤ 1 → 0, else 11 − r (総務省令第85号 §5).</summary>
    public static int MyNumber(ReadOnlySpan<char> base11)
    {
        Require(base11, 11);
        ReadOnlySpan<int> weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 11; i++) sum += (base11[i] - '0') * weights[i];
        var r = sum % 11;
        return r <= 1 ? 0 : 11 - r;
    }

    public static bool IsValidMyNumber(ReadOnlySpan<char> number) =>
        number.Length == 12 && AllDigits(number) && MyNumber(number[..11]) == number[11] - '0';

    /// <summary>法人番号: CD first, then 12 digits; weights 1 (odd) / 2 (even) from the right; CD = 9 − (Σ mod 9).</summary>
    public static int CorporateNumber(ReadOnlySpan<char> base12)
    {
        Require(base12, 12);
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var posFromRight = 12 - i;
            sum += (base12[i] - '0') * (posFromRight % 2 == 1 ? 1 : 2);
        }
        return 9 - sum % 9;
    }

    public static bool IsValidCorporateNumber(ReadOnlySpan<char> number) =>
        number.Length == 13 && AllDigits(number) && CorporateNumber(number[1..]) == number[0] - '0';

    /// <summary>全国地方公共団体コード: 5 digits + CD, weights 6 5 4 3 2, CD = (11 − Σ mod 11) mod 10 (大垣市 21202 → 4).</summary>
    public static int LocalGovernmentCode(ReadOnlySpan<char> base5)
    {
        Require(base5, 5);
        ReadOnlySpan<int> weights = [6, 5, 4, 3, 2];
        var sum = 0;
        for (var i = 0; i < 5; i++) sum += (base5[i] - '0') * weights[i];
        return (11 - sum % 11) % 10;
    }

    public static bool IsValidLocalGovernmentCode(ReadOnlySpan<char> code) =>
        code.Length == 6 && AllDigits(code) && LocalGovernmentCode(code[..5]) == code[5] - '0';

    /// <summary>
    /// 宛名番号 / 世帯番号: modulus 11, weights 2–7 repeating from the rightmost serial digit; CD = 11 − r,
    /// r = 0 → 0; r = 1 per <paramref name="policy"/> (null: the serial cannot be issued).
    /// </summary>
    public static int? AtenaNumber(ReadOnlySpan<char> serial, AtenaRemainderOnePolicy policy = AtenaRemainderOnePolicy.SkipSerial)
    {
        if (serial.Length == 0 || !AllDigits(serial)) throw new ArgumentException("serial must be digits", nameof(serial));
        var sum = 0;
        for (var i = 0; i < serial.Length; i++)
        {
            var weight = i % 6 + 2;
            sum += (serial[serial.Length - 1 - i] - '0') * weight;
        }
        var r = sum % 11;
        if (r == 0) return 0;
        if (r == 1) return policy == AtenaRemainderOnePolicy.UseZero ? 0 : null;
        return 11 - r;
    }

    public static bool IsValidAtenaNumber(ReadOnlySpan<char> number, AtenaRemainderOnePolicy policy = AtenaRemainderOnePolicy.SkipSerial)
    {
        if (number.Length < 2 || !AllDigits(number)) return false;
        var cd = AtenaNumber(number[..^1], policy);
        return cd is not null && cd == number[^1] - '0';
    }

    static void Require(ReadOnlySpan<char> s, int length)
    {
        if (s.Length != length || !AllDigits(s))
            throw new ArgumentException($"expected {length} digits", nameof(s));
    }

    static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }
}
