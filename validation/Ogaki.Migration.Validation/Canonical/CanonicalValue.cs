using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation;

/// <summary>
/// The canonical text of a standard value, identical on every machine: strings as they are (ordinal, never
/// normalised), whole numbers invariant, decimals exact without trailing zeros (10.50 → 10.5, so a NUMERIC
/// scale does not count as a difference), dates <c>yyyy-MM-dd</c>, 年月 <c>yyyy-MM</c>, 和暦 in its canonical
/// text (<c>S64.01.07</c>, 不詳 text kept), flags <c>true</c>/<c>false</c>.
/// </summary>
public static class CanonicalValue
{
    /// <summary>The canonical text, or null for null.</summary>
    /// <exception cref="NotSupportedException">A value of a type no spec item has.</exception>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        decimal d => Decimal(d),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        WarekiDate w => w.ToString(),
        YearMonth ym => ym.ToString(),
        bool b => b ? "true" : "false",
        _ => throw new NotSupportedException($"no canonical form for values of type {value.GetType().FullName}"),
    };

    /// <summary>Exact decimal text without trailing fractional zeros; −0 is 0.</summary>
    public static string Decimal(decimal value)
    {
        Span<char> buffer = stackalloc char[40];
        value.TryFormat(buffer, out var n, default, CultureInfo.InvariantCulture);
        return new string(TrimDecimal(buffer[..n]));
    }

    static ReadOnlySpan<char> TrimDecimal(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('.') < 0) return s is "-0" ? "0" : s;
        s = s.TrimEnd('0').TrimEnd('.');
        return s is "-0" or "-" ? "0" : s;
    }

    static int TrimDecimalUtf8(Span<byte> s, int n)
    {
        if (s[..n].IndexOf((byte)'.') < 0) return n;
        while (s[n - 1] == (byte)'0') n--;
        if (s[n - 1] == (byte)'.') n--;
        if (n == 2 && s[0] == (byte)'-' && s[1] == (byte)'0')
        {
            s[0] = (byte)'0';
            n = 1;
        }
        return n;
    }

    /// <summary>
    /// SHA-256 of a row's canonical form: per item, 0x00 for null, or 0x01, the UTF-8 byte count (4 bytes,
    /// little-endian) and the UTF-8 canonical text. Length prefixes keep the encoding unambiguous.
    /// </summary>
    public static void HashRow(object?[] row, Span<byte> hash32)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            var pos = 0;
            foreach (var value in row)
            {
                // Worst case per value: 5 header bytes + 3 UTF-8 bytes per UTF-16 unit, or 64 for formatted values.
                var need = 5 + (value is string s ? s.Length * 3 : value is WarekiDate w ? 32 + (w.UnknownText?.Length ?? 0) * 3 : 64);
                if (pos + need > buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, pos + need));
                    buffer.AsSpan(0, pos).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                pos += WriteValue(value, buffer.AsSpan(pos));
            }
            SHA256.HashData(buffer.AsSpan(0, pos), hash32);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static int WriteValue(object? value, Span<byte> dest)
    {
        if (value is null)
        {
            dest[0] = 0;
            return 1;
        }
        dest[0] = 1;
        var body = dest[5..];
        int n;
        switch (value)
        {
            case string s:
                n = Encoding.UTF8.GetBytes(s, body);
                break;
            case int i:
                i.TryFormat(body, out n, default, CultureInfo.InvariantCulture);
                break;
            case long l:
                l.TryFormat(body, out n, default, CultureInfo.InvariantCulture);
                break;
            case decimal d:
                d.TryFormat(body, out n, default, CultureInfo.InvariantCulture);
                n = TrimDecimalUtf8(body, n);
                break;
            case DateOnly d:
                d.TryFormat(body, out n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case bool b:
                n = Encoding.UTF8.GetBytes(b ? "true" : "false", body);
                break;
            default:
                n = Encoding.UTF8.GetBytes(ToText(value)!, body);
                break;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(dest[1..5], n);
        return 5 + n;
    }
}
