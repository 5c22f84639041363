using System.Text;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// Field codec for CP932 (Windows-31J). Decoding uses a table built once from .NET's code page 932 (after
/// <see cref="CodePagesEncodingProvider"/>), restricted like glibc's CP932: the single bytes 0x80, 0xA0 and
/// 0xFD–0xFF are undefined. The user-defined area F040–F9FC maps linearly to U+E000–U+E757 (外字), both ways, and the
/// duplicate codes (NEC-selected IBM extensions ED40–EEFC and the other twins) decode like Windows and glibc
/// (<see cref="Cp932DuplicateCodeFallback"/>).
/// </summary>
internal sealed class Cp932TextCodec : TextCodec
{
    const char Undefined = '\uFFFF';
    static readonly byte[] Space = [0x81, 0x40];
    readonly char[] _single = new char[256];
    readonly bool[] _lead = new bool[256];
    readonly char[] _double = new char[65536];
    readonly Encoding _encoding;

    public Cp932TextCodec(Encoding strict932)
    {
        _encoding = strict932;
        Array.Fill(_single, Undefined);
        Array.Fill(_double, Undefined);
        // Probe with a replacement fallback: thousands of undefined pairs must not each throw.
        var probe = (Encoding)strict932.Clone();
        probe.DecoderFallback = new Cp932DuplicateCodeFallback(new DecoderReplacementFallback("\uFFFD"));
        Span<char> one = stackalloc char[4];
        for (var b = 0; b < 256; b++)
        {
            if (b is (>= 0x81 and <= 0x9F) or (>= 0xE0 and <= 0xFC))
            {
                _lead[b] = true;
                continue;
            }
            if (b is 0x80 or 0xA0 or >= 0xFD) continue;
            _single[b] = Decode1(probe, [(byte)b], one) ?? Undefined;
        }
        for (var c1 = 0x81; c1 <= 0xFC; c1++)
        {
            if (!_lead[c1]) continue;
            for (var c2 = 0x40; c2 <= 0xFC; c2++)
            {
                if (c2 == 0x7F) continue;
                if (c1 is >= 0xF0 and <= 0xF9)
                {
                    // 外字 area: 188 trail bytes per lead byte, linear from U+E000.
                    _double[(c1 << 8) | c2] = (char)(0xE000 + ((c1 - 0xF0) * 188) + (c2 - (c2 < 0x80 ? 0x40 : 0x41)));
                    continue;
                }
                var ch = Decode1(probe, [(byte)c1, (byte)c2], one);
                if (ch is not null) _double[(c1 << 8) | c2] = ch.Value;
            }
        }
        _mayDecodeToBom = _single.AsSpan().Contains('\uFEFF') || _double.AsSpan().Contains('\uFEFF');
    }

    public override bool MayDecodeToBom => _mayDecodeToBom;

    readonly bool _mayDecodeToBom;

    static char? Decode1(Encoding e, byte[] bytes, Span<char> buf) =>
        e.GetChars(bytes, buf) == 1 && buf[0] != '\uFFFD' ? buf[0] : null;

    public override string Name => "cp932";
    public override bool IsEbcdic => false;
    public override Encoding Encoding => _encoding;
    public override ReadOnlySpan<byte> DbcsSpace => Space;

    public override Encoding CreateReplacingEncoding()
    {
        var e = (Encoding)_encoding.Clone();
        e.DecoderFallback = new Cp932DuplicateCodeFallback(new DecoderReplacementFallback("\uFFFD"));
        return e;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override bool TryDecode(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset)
    {
        var single = _single;
        var w = 0;
        var i = 0;
        var n = source.Length;
        while (i < n)
        {
            var b = source[i];
            if (b < 0x80 && b != 0)
            {
                destination[w++] = (char)b;
                i++;
                continue;
            }
            if (_lead[b])
            {
                if (i + 1 >= n) return Fail(out charsWritten, w, out error, TextDecodeError.UndefinedBytes, out errorOffset, i);
                var ch = _double[(b << 8) | source[i + 1]];
                if (ch == Undefined) return Fail(out charsWritten, w, out error, TextDecodeError.UndefinedBytes, out errorOffset, i);
                destination[w++] = ch;
                i += 2;
                continue;
            }
            if (b == 0) return Fail(out charsWritten, w, out error, TextDecodeError.NulBytes, out errorOffset, i);
            var c = single[b];
            if (c == Undefined) return Fail(out charsWritten, w, out error, TextDecodeError.UndefinedBytes, out errorOffset, i);
            destination[w++] = c;
            i++;
        }
        charsWritten = w;
        error = TextDecodeError.None;
        errorOffset = -1;
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override bool TryDecodeDbcs(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset)
    {
        var w = 0;
        if ((source.Length & 1) != 0) return Fail(out charsWritten, 0, out error, TextDecodeError.OddDbcsLength, out errorOffset, source.Length - 1);
        for (var i = 0; i < source.Length; i += 2)
        {
            var b = source[i];
            var ch = _lead[b] ? _double[(b << 8) | source[i + 1]] : Undefined;
            if (ch == Undefined)
                return Fail(out charsWritten, w, out error, b == 0 ? TextDecodeError.NulBytes : TextDecodeError.UndefinedBytes, out errorOffset, i);
            destination[w++] = ch;
        }
        charsWritten = w;
        error = TextDecodeError.None;
        errorOffset = -1;
        return true;
    }

    public override byte[] EncodeDbcs(string text)
    {
        var bytes = _encoding.GetBytes(text);
        var single = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (_lead[bytes[i]]) i++;
            else single++;
        }
        if (single > 0) throw new EncoderFallbackException("The text has characters without a double-byte code in cp932.");
        return bytes;
    }
}

/// <summary>Field codec for UTF-8 (open-system files): strict, no BOM inside fields, no double-byte semantics for PIC N
/// beyond "valid UTF-8".</summary>
internal sealed class Utf8TextCodec : TextCodec
{
    // PIC N in a UTF-8 file: characters have 1–4 bytes, so padding is by single-byte spaces.
    static readonly byte[] Space = [0x20];
    public static readonly Encoding Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override string Name => "utf-8";
    public override bool IsEbcdic => false;
    public override Encoding Encoding => Strict;
    public override ReadOnlySpan<byte> DbcsSpace => Space;

    public override bool TryDecode(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset)
    {
        var nul = source.IndexOf((byte)0);
        var status = System.Text.Unicode.Utf8.ToUtf16(source, destination, out var read, out charsWritten, replaceInvalidSequences: false);
        if (status == System.Buffers.OperationStatus.Done && nul < 0)
        {
            error = TextDecodeError.None;
            errorOffset = -1;
            return true;
        }
        if (nul >= 0 && (status == System.Buffers.OperationStatus.Done || nul <= read))
        {
            error = TextDecodeError.NulBytes;
            errorOffset = nul;
            return false;
        }
        error = TextDecodeError.UndefinedBytes;
        errorOffset = read;
        return false;
    }

    public override bool TryDecodeDbcs(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset) =>
        TryDecode(source, destination, out charsWritten, out error, out errorOffset);

    public override byte[] EncodeDbcs(string text) => Strict.GetBytes(text);
}
