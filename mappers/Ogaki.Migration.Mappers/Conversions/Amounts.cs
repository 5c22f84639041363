namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>Which byte convention a zoned decimal uses for its digits and the sign in the last byte.</summary>
public enum ZonedCharset
{
    /// <summary>EBCDIC: digits F0–F9; last byte zone C/A/E/F positive, D/B negative (<c>F1 F2 D3</c> = −123).</summary>
    Ebcdic,
    /// <summary>
    /// ASCII: digits 30–39 (unsigned); signed last byte as overpunch <c>{ A–I</c> (+0…+9) and <c>} J–R</c> (−0…−9),
    /// or the Micro Focus form 70–79 (<c>p–y</c>, −0…−9).
    /// </summary>
    Ascii,
}

/// <summary>
/// Exact amounts from legacy encodings: packed decimal (COMP-3), zoned decimal and text. Always
/// <see cref="decimal"/>; a byte or character outside the encoding is a failure, never a guess.
/// </summary>
public static class Amounts
{
    /// <summary>COMP-3: two digits per byte, last nibble the sign (C/A/E/F +, D/B −); <c>01 23 4C</c> = +1234.</summary>
    public static bool TryFromPacked(ReadOnlySpan<byte> bytes, int scale, out decimal value, out ConversionFailure failure)
    {
        value = 0;
        failure = default;
        if (bytes.IsEmpty || bytes.Length > 14 || scale < 0 || scale > 28)
            return Fail(out failure, "packed decimal has no bytes or more than 27 digits");
        decimal acc = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var hi = bytes[i] >> 4;
            var lo = bytes[i] & 0xF;
            if (hi > 9) return Fail(out failure, "packed decimal has a non-digit nibble");
            acc = acc * 10 + hi;
            if (i < bytes.Length - 1)
            {
                if (lo > 9) return Fail(out failure, "packed decimal has a non-digit nibble");
                acc = acc * 10 + lo;
            }
            else
            {
                switch (lo)
                {
                    case 0xC or 0xA or 0xE or 0xF: break;
                    case 0xD or 0xB: acc = -acc; break;
                    default: return Fail(out failure, "packed decimal has an invalid sign nibble");
                }
            }
        }
        value = Scale(acc, scale);
        return true;
    }

    /// <summary>Zoned decimal with the sign in the last byte, per <paramref name="charset"/>.</summary>
    public static bool TryFromZoned(ReadOnlySpan<byte> bytes, int scale, ZonedCharset charset, out decimal value, out ConversionFailure failure)
    {
        value = 0;
        failure = default;
        if (bytes.IsEmpty || bytes.Length > 28 || scale < 0 || scale > 28)
            return Fail(out failure, "zoned decimal has no bytes or more than 28 digits");
        decimal acc = 0;
        var negative = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var last = i == bytes.Length - 1;
            int digit;
            if (charset == ZonedCharset.Ebcdic)
            {
                var zone = b >> 4;
                digit = b & 0xF;
                if (digit > 9) return Fail(out failure, "zoned decimal has a non-digit");
                if (!last && zone != 0xF) return Fail(out failure, "zoned decimal has a zone other than F before the last byte");
                if (last)
                {
                    switch (zone)
                    {
                        case 0xF or 0xC or 0xA or 0xE: break;
                        case 0xD or 0xB: negative = true; break;
                        default: return Fail(out failure, "zoned decimal has an invalid sign zone");
                    }
                }
            }
            else
            {
                if (b is >= (byte)'0' and <= (byte)'9') digit = b - '0';
                else if (!last) return Fail(out failure, "zoned decimal has a non-digit");
                else if (b == (byte)'{') digit = 0;
                else if (b is >= (byte)'A' and <= (byte)'I') digit = b - 'A' + 1;
                else if (b == (byte)'}') { digit = 0; negative = true; }
                else if (b is >= (byte)'J' and <= (byte)'R') { digit = b - 'J' + 1; negative = true; }
                else if (b is >= 0x70 and <= 0x79) { digit = b - 0x70; negative = true; }
                else return Fail(out failure, "zoned decimal has an invalid sign byte");
            }
            acc = acc * 10 + digit;
        }
        value = Scale(negative ? -acc : acc, scale);
        return true;
    }

    /// <summary>
    /// Text amounts: optional sign (+, -, ▲ or △ for negative), digits half- or full-width, thousands
    /// separators (, or ，) between groups of three, optional decimal point, optional trailing 円. Blank is no value.
    /// </summary>
    public static bool TryFromText(string? text, out decimal? value, out ConversionFailure failure)
    {
        value = null;
        failure = default;
        var t = LegacyText.Trim(text);
        if (t is null) return true;
        var s = t.AsSpan();
        if (s[^1] == '円') s = s[..^1].TrimEnd();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '▲' or '△' or '－') { negative = true; s = s[1..]; }
        else if (s.Length > 0 && s[0] is '+' or '＋') s = s[1..];
        decimal acc = 0;
        var digits = 0;
        var groupDigits = -1;   // digits since the last separator; -1 = no separator seen
        var fraction = -1;      // digits after the point; -1 = no point
        foreach (var c in s)
        {
            int d;
            if (c is >= '0' and <= '9') d = c - '0';
            else if (c is >= '\uFF10' and <= '\uFF19') d = c - '\uFF10';
            else if (c is ',' or '，' && fraction < 0 && digits > 0 && (groupDigits < 0 ? digits <= 3 : groupDigits == 3)) { groupDigits = 0; continue; }
            else if (c is '.' or '．' && fraction < 0 && digits > 0 && (groupDigits < 0 || groupDigits == 3)) { fraction = 0; continue; }
            else return Fail(out failure, "amount text has a character that is not a digit, sign or separator");
            if (digits >= 28) return Fail(out failure, "amount text has more than 28 digits");
            acc = acc * 10 + d;
            digits++;
            if (fraction >= 0) fraction++;
            else if (groupDigits >= 0) groupDigits++;
        }
        if (digits == 0 || (groupDigits >= 0 && fraction < 0 && groupDigits != 3) || fraction == 0)
            return Fail(out failure, "amount text is not a well-formed number");
        value = Scale(negative ? -acc : acc, Math.Max(fraction, 0));
        return true;
    }

    /// <summary>True when the amount is whole yen (amount items hold whole yen).</summary>
    public static bool IsWholeYen(decimal value) => decimal.Truncate(value) == value;

    static decimal Scale(decimal value, int scale) => scale == 0 ? value : value / Pow10(scale);

    static decimal Pow10(int n)
    {
        decimal p = 1;
        for (var i = 0; i < n; i++) p *= 10;
        return p;
    }

    static bool Fail(out ConversionFailure failure, string message)
    {
        failure = new(MappingRejectReasons.InvalidAmount, message);
        return false;
    }
}
