using System.Text;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>Field codec for IBM930 / IBM939 (see <see cref="EbcdicMixedEncoding"/>).</summary>
internal sealed class EbcdicTextCodec(string name, EbcdicMixedEncoding encoding) : TextCodec
{
    static readonly byte[] Space = [0x40, 0x40];
    readonly EbcdicDbcsTable _t = encoding.Table;

    public override string Name => name;
    public override bool IsEbcdic => true;
    public override Encoding Encoding => encoding;
    public override ReadOnlySpan<byte> DbcsSpace => Space;
    public override bool MayDecodeToBom { get; } = encoding.Table.Sbcs.AsSpan().Contains('\uFEFF') || encoding.Table.Dbcs.AsSpan().Contains('\uFEFF');

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override bool TryDecode(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset)
    {
        var sbcs = _t.Sbcs;
        var dbcs = _t.Dbcs;
        var w = 0;
        var i = 0;
        var n = source.Length;
        while (i < n)
        {
            var b = source[i];
            if (b == EbcdicDbcsTable.ShiftOut)
            {
                var start = i;
                i++;
                while (true)
                {
                    if (i >= n) return Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, start);
                    var c1 = source[i];
                    if (c1 == EbcdicDbcsTable.ShiftIn)
                    {
                        i++;
                        break;
                    }
                    if (c1 == EbcdicDbcsTable.ShiftOut) return Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, i);
                    if (i + 1 >= n || source[i + 1] == EbcdicDbcsTable.ShiftIn)
                    {
                        // An odd byte before SI (or the end): report the odd count when SI follows, the missing SI otherwise.
                        return i + 1 >= n
                            ? Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, start)
                            : Fail(out charsWritten, w, out error, TextDecodeError.OddDbcsLength, out errorOffset, i);
                    }
                    var c2 = source[i + 1];
                    if (c2 == EbcdicDbcsTable.ShiftOut) return Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, i + 1);
                    var ch = dbcs[(c1 << 8) | c2];
                    if (ch == EbcdicDbcsTable.Undefined)
                        return Fail(out charsWritten, w, out error, c1 == 0 && c2 == 0 ? TextDecodeError.NulBytes : TextDecodeError.UndefinedBytes, out errorOffset, i);
                    destination[w++] = ch;
                    i += 2;
                }
                continue;
            }
            if (b == EbcdicDbcsTable.ShiftIn) return Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, i);
            if (b == 0) return Fail(out charsWritten, w, out error, TextDecodeError.NulBytes, out errorOffset, i);
            var c = sbcs[b];
            if (c == EbcdicDbcsTable.Undefined) return Fail(out charsWritten, w, out error, TextDecodeError.UndefinedBytes, out errorOffset, i);
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
        var dbcs = _t.Dbcs;
        var w = 0;
        if ((source.Length & 1) != 0) return Fail(out charsWritten, 0, out error, TextDecodeError.OddDbcsLength, out errorOffset, source.Length - 1);
        for (var i = 0; i < source.Length; i += 2)
        {
            var c1 = source[i];
            var c2 = source[i + 1];
            if (c1 is EbcdicDbcsTable.ShiftOut or EbcdicDbcsTable.ShiftIn || c2 is EbcdicDbcsTable.ShiftOut or EbcdicDbcsTable.ShiftIn)
                return Fail(out charsWritten, w, out error, TextDecodeError.UnbalancedShift, out errorOffset, c1 is EbcdicDbcsTable.ShiftOut or EbcdicDbcsTable.ShiftIn ? i : i + 1);
            var ch = dbcs[(c1 << 8) | c2];
            if (ch == EbcdicDbcsTable.Undefined)
                return Fail(out charsWritten, w, out error, c1 == 0 || c2 == 0 ? TextDecodeError.NulBytes : TextDecodeError.UndefinedBytes, out errorOffset, i);
            destination[w++] = ch;
        }
        charsWritten = w;
        error = TextDecodeError.None;
        errorOffset = -1;
        return true;
    }

    public override byte[] EncodeDbcs(string text)
    {
        var result = new byte[text.Length * 2];
        for (var i = 0; i < text.Length; i++)
        {
            var code = _t.EncodeDbcs[text[i]];
            if (code == EbcdicDbcsTable.NoCode || char.IsSurrogate(text[i]))
                throw new EncoderFallbackException($"U+{(int)text[i]:X4} has no double-byte code in {name}.");
            result[2 * i] = (byte)(code >> 8);
            result[(2 * i) + 1] = (byte)code;
        }
        return result;
    }
}
