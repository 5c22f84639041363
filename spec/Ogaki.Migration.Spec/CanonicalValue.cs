using System.Globalization;
using System.Security.Cryptography;
using System.Text;
namespace Ogaki.Migration.Spec;

/// <summary>
/// The canonical text of a standard value, identical on every machine: strings as they are (ordinal, never
/// normalised), whole numbers invariant, decimals exact without trailing zeros (10.50 → 10.5, so a NUMERIC
/// scale does not count as a difference), dates <c>yyyy-MM-dd</c>, 年月 <c>yyyy-MM</c>, 和暦 in its canonical
/// text (<c>S64.01.07</c>, 不詳 text kept), flags <c>true</c>/<c>false</c>. The one canonical form of the project:
/// record hashes in reconciliation, ledger batch checksums and table checksums all encode values this way.
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
    /// SHA-256 of a row's canonical form: per item, 0x00 for null, or 0x01, the UTF-8 byte count as an unsigned
    /// LEB128 varint and the UTF-8 canonical text. Length prefixes keep the encoding unambiguous.
    /// </summary>
    public static void HashRow(object?[] row, Span<byte> hash32)
    {
        using var hasher = new RowHasher();
        hasher.Hash(row, hash32);
    }

    internal static int WriteValue(object? value, Span<byte> dest)
    {
        if (value is null)
        {
            dest[0] = 0;
            return 1;
        }
        dest[0] = 1;
        // Fast path for the common values: a UTF-8 length under 128 is a one-byte varint, so the text is written in
        // place (a string of at most 42 UTF-16 units has at most 126 UTF-8 bytes; formatted numbers and dates are short).
        int n;
        switch (value)
        {
            case string { Length: <= 42 } s:
                n = Encoding.UTF8.GetBytes(s, dest[2..]);
                dest[1] = (byte)n;
                return 2 + n;
            case int i:
                i.TryFormat(dest[2..], out n, default, CultureInfo.InvariantCulture);
                dest[1] = (byte)n;
                return 2 + n;
            case decimal d:
                n = FormatDecimal(d, dest[2..]);
                dest[1] = (byte)n;
                return 2 + n;
            case DateOnly d:
                n = FormatDate(d, dest[2..]);
                dest[1] = (byte)n;
                return 2 + n;
        }
        // The body goes after room for the longest varint (5 bytes) and is moved left once its length is known.
        var body = dest[6..];
        switch (value)
        {
            case string s:
                n = Encoding.UTF8.GetBytes(s, body);
                break;
            case long l:
                l.TryFormat(body, out n, default, CultureInfo.InvariantCulture);
                break;
            case bool b:
                n = Encoding.UTF8.GetBytes(b ? "true" : "false", body);
                break;
            default:
                n = Encoding.UTF8.GetBytes(ToText(value)!, body);
                break;
        }
        var k = WriteVarint(dest[1..], (uint)n);
        body[..n].CopyTo(dest[(1 + k)..]);
        return 1 + k + n;
    }

    /// <summary>The most bytes <see cref="WriteValue"/> writes for a non-null value: 6 header bytes + 3 UTF-8 bytes per UTF-16 unit, or 70 for formatted values.</summary>
    internal static int MaxEncodedLength(object value) => value switch
    {
        string s => 6 + s.Length * 3,
        _ => 70,
    };

    /// <summary>Writes an unsigned LEB128 length; returns its byte count (1–5).</summary>
    internal static int WriteVarint(Span<byte> dest, uint value)
    {
        var k = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            dest[k++] = value == 0 ? b : (byte)(b | 0x80);
        }
        while (value != 0);
        return k;
    }

    // yyyy-MM-dd without the custom-format parser: the 年月 as YearMonth writes it, then the day.
    internal static int FormatDate(DateOnly d, Span<byte> dest)
    {
        new YearMonth(d.Year, d.Month).TryFormat(dest, out _, default, null);
        var day = d.Day;
        dest[7] = (byte)'-';
        dest[8] = (byte)('0' + day / 10);
        dest[9] = (byte)('0' + day % 10);
        return 10;
    }

    // Whole amounts (the common case) format as long, about fifty times faster than decimal formatting.
    internal static int FormatDecimal(decimal d, Span<byte> dest)
    {
        int n;
        if ((d.Scale == 0 || decimal.Truncate(d) == d) && d >= long.MinValue && d <= long.MaxValue)
        {
            ((long)d).TryFormat(dest, out n, default, CultureInfo.InvariantCulture);
            return n;
        }
        d.TryFormat(dest, out n, default, CultureInfo.InvariantCulture);
        return TrimDecimalUtf8(dest, n);
    }
}

/// <summary>
/// SHA-256 over canonical rows, reusing one buffer: per row (<see cref="Hash"/>, for record comparison) or as one
/// running digest over many rows (<see cref="StartRow"/>/<see cref="Value"/>/<see cref="EndRow"/>, for batch and
/// table checksums: the SHA-256 of the rows' encodings one after the other). One instance per thread.
/// </summary>
public sealed class RowHasher : IDisposable
{
    IncrementalHash? _row;
    IncrementalHash? _digest;
    byte[] _buffer = new byte[1024];
    int _pos;

    /// <summary>Rows added to the running digest.</summary>
    public long Rows { get; private set; }

    public void Dispose()
    {
        _row?.Dispose();
        _digest?.Dispose();
    }

    /// <summary>The SHA-256 of one row's canonical form (see <see cref="CanonicalValue.HashRow"/>).</summary>
    public void Hash(object?[] row, Span<byte> hash32)
    {
        _pos = 0;
        foreach (var value in row) Append(value);
        _row ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _row.AppendData(_buffer.AsSpan(0, _pos));
        _row.GetHashAndReset(hash32);
    }

    /// <summary>Starts a row of the running digest; add its values in item order, then <see cref="EndRow"/>.</summary>
    public void StartRow() => _pos = 0;

    public void Value(object? value) => Append(value);

    public void EndRow()
    {
        _digest ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _digest.AppendData(_buffer.AsSpan(0, _pos));
        Rows++;
    }

    public void AddRow(IReadOnlyList<object?> values)
    {
        StartRow();
        for (var i = 0; i < values.Count; i++) Append(values[i]);
        EndRow();
    }

    /// <summary>The hex SHA-256 of the rows added so far (the digest starts again).</summary>
    public string Finish()
    {
        _digest ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return Convert.ToHexStringLower(_digest.GetHashAndReset());
    }

    void Append(object? value)
    {
        if (value is null)
        {
            // Most items of a wide record are empty: one byte, no call.
            if (_pos == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_pos++] = 0;
            return;
        }
        var need = CanonicalValue.MaxEncodedLength(value);
        if (_pos + need > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _pos + need));
        _pos += CanonicalValue.WriteValue(value, _buffer.AsSpan(_pos));
    }
}
