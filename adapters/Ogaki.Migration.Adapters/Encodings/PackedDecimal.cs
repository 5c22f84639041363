namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// COBOL packed decimal (COMP-3): two digits per byte, the last nibble is the sign. C, A, E, F are positive
/// (F = unsigned), D and B negative; any other sign nibble, or a digit nibble above 9, is an error.
/// <c>01 23 4C</c> = +1234; <c>12 34 5D</c> with scale 2 = −123.45.
/// </summary>
public static class PackedDecimal
{
    /// <summary>Bytes of a packed field with <paramref name="digits"/> digits: digits / 2 + 1.</summary>
    public static int ByteLength(int digits) => (digits / 2) + 1;

    /// <summary>Decodes a packed field with an implied decimal point <paramref name="scale"/> digits from the right.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, int scale, out decimal value) =>
        TryDecode(source, scale, out value, out _);

    /// <summary>As <see cref="TryDecode(ReadOnlySpan{byte}, int, out decimal)"/>, with the offset of the first bad byte.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> source, int scale, out decimal value, out int errorOffset)
    {
        value = 0m;
        errorOffset = -1;
        var n = source.Length;
        if (n == 0 || scale < 0 || scale > 28)
        {
            errorOffset = 0;
            return false;
        }
        var sign = source[n - 1] & 0x0F;
        bool negative;
        switch (sign)
        {
            case 0xC or 0xA or 0xE or 0xF: negative = false; break;
            case 0xD or 0xB: negative = true; break;
            default:
                errorOffset = n - 1;
                return false;
        }
        if (n <= 10)
        {
            // Fast path: up to 19 digits always fit a ulong; one table look-up checks and converts two digits.
            ulong fast = 0;
            for (var i = 0; i < n - 1; i++)
            {
                var pair = DigitPairs[source[i]];
                if (pair > 99)
                {
                    errorOffset = i;
                    return false;
                }
                fast = (fast * 100) + pair;
            }
            var lastDigit = source[n - 1] >> 4;
            if (lastDigit > 9)
            {
                errorOffset = n - 1;
                return false;
            }
            fast = (fast * 10) + (ulong)lastDigit;
            value = new decimal((int)(uint)fast, (int)(uint)(fast >> 32), 0, negative && fast != 0, (byte)scale);
            return true;
        }
        // Up to 18 digits fit a ulong; beyond that accumulate into a decimal (at most 28 significant digits).
        ulong acc = 0;
        var digitsInAcc = 0;
        decimal big = 0m;
        var useBig = false;
        for (var i = 0; i < n; i++)
        {
            var b = source[i];
            var hi = b >> 4;
            var lo = b & 0x0F;
            if (hi > 9 || (i < n - 1 && lo > 9))
            {
                errorOffset = i;
                return false;
            }
            if (!Push(hi, ref acc, ref digitsInAcc, ref big, ref useBig)) { errorOffset = i; return false; }
            if (i < n - 1 && !Push(lo, ref acc, ref digitsInAcc, ref big, ref useBig)) { errorOffset = i; return false; }
        }
        value = Compose(useBig, big, acc, negative, scale);
        return true;
    }

    /// <summary>Packed byte → its two digits as 0–99, or 0xFF when a nibble is above 9.</summary>
    static readonly byte[] DigitPairs = BuildDigitPairs();

    static byte[] BuildDigitPairs()
    {
        var t = new byte[256];
        for (var b = 0; b < 256; b++) t[b] = (b >> 4) <= 9 && (b & 0x0F) <= 9 ? (byte)(((b >> 4) * 10) + (b & 0x0F)) : (byte)0xFF;
        return t;
    }

    internal static bool Push(int digit, ref ulong acc, ref int digitsInAcc, ref decimal big, ref bool useBig)
    {
        if (!useBig)
        {
            if (digitsInAcc < 18 || acc == 0)
            {
                acc = (acc * 10) + (ulong)digit;
                if (acc != 0) digitsInAcc++;
                return true;
            }
            big = acc;
            useBig = true;
        }
        try
        {
            big = (big * 10m) + digit;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    internal static decimal Compose(bool useBig, decimal big, ulong acc, bool negative, int scale)
    {
        if (!useBig)
        {
            return new decimal((int)(uint)acc, (int)(uint)(acc >> 32), 0, negative && acc != 0, (byte)scale);
        }
        var bits = decimal.GetBits(big);
        return new decimal(bits[0], bits[1], bits[2], negative && big != 0m, (byte)scale);
    }

    /// <summary>
    /// Encodes <paramref name="value"/> as a packed field of <paramref name="digits"/> digits with
    /// <paramref name="scale"/> implied decimals into <paramref name="destination"/> (exactly
    /// <see cref="ByteLength"/> bytes). Positive values get sign nibble C (z/OS) — or F when
    /// <paramref name="unsigned"/> (then negative values are an error) — and negative values D.
    /// Throws <see cref="OverflowException"/> when the value does not fit and <see cref="ArgumentException"/>
    /// when it has more decimals than the scale (never rounds).
    /// </summary>
    public static void Encode(decimal value, int digits, int scale, Span<byte> destination, bool unsigned = false)
    {
        var len = ByteLength(digits);
        if (destination.Length < len) throw new ArgumentException($"Packed field of {digits} digits needs {len} bytes.", nameof(destination));
        Span<byte> nibbles = stackalloc byte[digits];
        var negative = DecimalDigits.ToDigits(value, digits, scale, nibbles);
        if (negative && unsigned) throw new OverflowException($"Negative value {value} for an unsigned packed field.");
        var d = destination[..len];
        d.Clear();
        // Nibble positions: total nibbles = 2 * len, the last is the sign, digits right-aligned before it.
        var totalDigitNibbles = (2 * len) - 1;
        var pad = totalDigitNibbles - digits;
        for (var k = 0; k < digits; k++)
        {
            var pos = pad + k;
            var bi = pos >> 1;
            if ((pos & 1) == 0) d[bi] |= (byte)(nibbles[k] << 4);
            else d[bi] |= nibbles[k];
        }
        d[len - 1] |= unsigned ? (byte)0x0F : negative ? (byte)0x0D : (byte)0x0C;
    }
}

/// <summary>How the sign of a zoned decimal is carried in its last byte.</summary>
public enum ZonedSign
{
    /// <summary>EBCDIC: digits F0–F9; last zone C/A/E/F positive, D/B negative (<c>F1 F2 D3</c> = −123).</summary>
    Ebcdic,
    /// <summary>ASCII, Micro Focus style: digits 30–39; a negative last digit is 70–79.</summary>
    AsciiMicroFocus,
    /// <summary>ASCII overpunch (EBCDIC sign translated): last digit <c>{ A–I</c> positive, <c>} J–R</c> negative.</summary>
    AsciiOverpunch,
}

/// <summary>
/// COBOL zoned decimal (DISPLAY numeric, PIC 9 / S9): one digit per byte, the last byte's zone is the sign.
/// EBCDIC <c>F1 F2 C3</c> = +123, <c>F1 F2 D3</c> = −123. ASCII files carry digits 0x30–0x39 and a sign per
/// <see cref="ZonedSign"/>; a decoder given a convention accepts only that convention's sign bytes.
/// </summary>
public static class ZonedDecimal
{
    /// <summary>Decodes, telling EBCDIC from ASCII by the first byte's zone (ASCII: either sign convention).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, int scale, out decimal value)
    {
        if (source.Length == 0 || (source[0] >> 4) != 0x3) return TryDecode(source, scale, ZonedSign.Ebcdic, out value, out _);
        return TryDecode(source, scale, ZonedSign.AsciiMicroFocus, out value, out _) || TryDecode(source, scale, ZonedSign.AsciiOverpunch, out value, out _);
    }

    /// <summary>Decodes with a known family (any ASCII value = ASCII), with the offset of the first bad byte.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> source, int scale, ZonedSign sign, out decimal value, out int errorOffset)
    {
        value = 0m;
        errorOffset = -1;
        var n = source.Length;
        if (n == 0 || scale < 0 || scale > 28)
        {
            errorOffset = 0;
            return false;
        }
        var ebcdic = sign == ZonedSign.Ebcdic;
        var zone = ebcdic ? 0xF0 : 0x30;
        ulong acc = 0;
        var digitsInAcc = 0;
        decimal big = 0m;
        var useBig = false;
        if (n <= 19)
        {
            // Fast path: 19 digits always fit a ulong. (uint)(b - zone) <= 9 checks zone and digit at once.
            for (var i = 0; i < n - 1; i++)
            {
                var d = (uint)(source[i] - zone);
                if (d > 9)
                {
                    errorOffset = i;
                    return false;
                }
                acc = (acc * 10) + d;
            }
        }
        else
        {
            for (var i = 0; i < n - 1; i++)
            {
                var b = source[i];
                if ((b & 0xF0) != zone || (b & 0x0F) > 9)
                {
                    errorOffset = i;
                    return false;
                }
                if (!PackedDecimal.Push(b & 0x0F, ref acc, ref digitsInAcc, ref big, ref useBig)) { errorOffset = i; return false; }
            }
        }
        var last = source[n - 1];
        int digit;
        bool negative;
        if (ebcdic)
        {
            digit = last & 0x0F;
            switch (last >> 4)
            {
                case 0xC or 0xA or 0xE or 0xF: negative = false; break;
                case 0xD or 0xB: negative = true; break;
                default: digit = 10; negative = false; break;
            }
        }
        else if (last is >= 0x30 and <= 0x39) { digit = last - 0x30; negative = false; }
        else if (sign == ZonedSign.AsciiMicroFocus && last is >= 0x70 and <= 0x79) { digit = last - 0x70; negative = true; }
        else if (sign == ZonedSign.AsciiOverpunch && last == (byte)'{') { digit = 0; negative = false; }
        else if (sign == ZonedSign.AsciiOverpunch && last is >= (byte)'A' and <= (byte)'I') { digit = last - 'A' + 1; negative = false; }
        else if (sign == ZonedSign.AsciiOverpunch && last == (byte)'}') { digit = 0; negative = true; }
        else if (sign == ZonedSign.AsciiOverpunch && last is >= (byte)'J' and <= (byte)'R') { digit = last - 'J' + 1; negative = true; }
        else { digit = 10; negative = false; }
        if (digit <= 9 && n <= 19)
        {
            acc = (acc * 10) + (ulong)digit;
            value = new decimal((int)(uint)acc, (int)(uint)(acc >> 32), 0, negative && acc != 0, (byte)scale);
            return true;
        }
        if (digit > 9 || !PackedDecimal.Push(digit, ref acc, ref digitsInAcc, ref big, ref useBig))
        {
            errorOffset = n - 1;
            return false;
        }
        value = PackedDecimal.Compose(useBig, big, acc, negative, scale);
        return true;
    }

    /// <summary>
    /// Encodes into exactly <paramref name="digits"/> bytes. Signed EBCDIC fields get zone C (positive) or D
    /// (negative) on the last byte, unsigned ones F; ASCII fields per <paramref name="sign"/>. Throws
    /// <see cref="OverflowException"/> when the value does not fit (or is negative for an unsigned field) and
    /// <see cref="ArgumentException"/> when it has more decimals than the scale.
    /// </summary>
    public static void Encode(decimal value, int digits, int scale, Span<byte> destination, ZonedSign sign = ZonedSign.Ebcdic, bool signed = true)
    {
        if (destination.Length < digits) throw new ArgumentException($"Zoned field of {digits} digits needs {digits} bytes.", nameof(destination));
        Span<byte> nibbles = stackalloc byte[digits];
        var negative = DecimalDigits.ToDigits(value, digits, scale, nibbles);
        if (negative && !signed) throw new OverflowException($"Negative value {value} for an unsigned zoned field.");
        var zone = sign == ZonedSign.Ebcdic ? (byte)0xF0 : (byte)0x30;
        for (var k = 0; k < digits; k++) destination[k] = (byte)(zone | nibbles[k]);
        var lastDigit = nibbles[digits - 1];
        destination[digits - 1] = sign switch
        {
            ZonedSign.Ebcdic => (byte)((!signed ? 0xF0 : negative ? 0xD0 : 0xC0) | lastDigit),
            ZonedSign.AsciiMicroFocus => (byte)((negative ? 0x70 : 0x30) | lastDigit),
            _ => negative ? (byte)(lastDigit == 0 ? '}' : 'J' + lastDigit - 1) : !signed ? (byte)(0x30 | lastDigit) : (byte)(lastDigit == 0 ? '{' : 'A' + lastDigit - 1),
        };
    }
}

internal static class DecimalDigits
{
    /// <summary>Writes |value| × 10^scale as exactly digits.Length decimal digits; returns whether value is negative.</summary>
    public static bool ToDigits(decimal value, int digits, int scale, Span<byte> output)
    {
        if (digits <= 0 || digits > 31) throw new ArgumentOutOfRangeException(nameof(digits), digits, "1–31 digits.");
        if (scale < 0 || scale > digits) throw new ArgumentOutOfRangeException(nameof(scale), scale, "0 ≤ scale ≤ digits.");
        var negative = value < 0m;
        var abs = Math.Abs(value);
        var bits = decimal.GetBits(abs);
        var valueScale = (bits[3] >> 16) & 0xFF;
        // Reject values that would need rounding: trailing decimals beyond the scale must be zero.
        if (valueScale > scale)
        {
            var truncated = decimal.Round(abs, scale, MidpointRounding.ToZero);
            if (truncated != abs) throw new ArgumentException($"{value} has more than {scale} decimals.", nameof(value));
            abs = truncated;
        }
        // Unscaled integer as a digit string (decimal holds up to 29 digits).
        var text = abs.ToString("F" + scale.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        if (text.Length > digits) throw new OverflowException($"{value} does not fit {digits} digits with scale {scale}.");
        output.Clear();
        var pad = digits - text.Length;
        for (var i = 0; i < text.Length; i++) output[pad + i] = (byte)(text[i] - '0');
        return negative && abs != 0m;
    }
}
