// FixedLengthAdapter, record terminators: the byte order mark, the terminator detected after the first record,
// and the line ends that end a record of unexpected length.

using Ogaki.Migration.Adapters.Layouts;

namespace Ogaki.Migration.Adapters.FixedLength;

public sealed partial class FixedLengthAdapter
{
    static int BomLength(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return 3;
        if (s.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || s.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return 2;
        return 0;
    }

    RecordTerminator DetectTerminator(ReadOnlySpan<byte> s, RecordDecoder framer)
    {
        var len = LengthAt(s, framer);
        if (len < 0) len = _defaultLength;
        if (s.Length >= len + 2 && s[len] == 0x0D && s[len + 1] == 0x0A) return RecordTerminator.CrLf;
        if (s.Length >= len + 1 && s[len] == 0x0A) return RecordTerminator.Lf;
        if (_codec.IsEbcdic)
        {
            // The byte after a record without terminator may be anything (a packed digit pair 0x15, say). With record
            // types, the reading under which the next record has a known type wins; otherwise (one type, or both
            // readings fit) the second record, where the buffer holds it, must end with the terminator too.
            var multi = _layout.SelectorField is not null;
            var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
            foreach (var t in RecordTerminators.Family(RecordTerminator.EbcdicNl))
            {
                var tb = RecordTerminators.Bytes(t);
                if (s.Length < len + tb.Length || !s.Slice(len, tb.Length).SequenceEqual(tb)) continue;
                var next = s[(len + tb.Length)..];
                if (multi && next.Length >= selectorEnd)
                {
                    var terminated = TypeOf(next) >= 0;
                    var unterminated = TypeOf(s[len..]) >= 0;
                    if (terminated != unterminated)
                    {
                        if (terminated) return t;
                        continue;
                    }
                }
                // A second record of unknown length (bad type or count) can neither confirm nor refute.
                var len2 = LengthAt(next, framer);
                if (len2 < 0 || next.Length < len2 + tb.Length || next.Slice(len2, tb.Length).SequenceEqual(tb)) return t;
            }
        }
        return RecordTerminator.None;
    }

    /// <summary>Length of the record starting <paramref name="s"/> by its type (and counts); -1 when unknown.</summary>
    int LengthAt(ReadOnlySpan<byte> s, RecordDecoder framer)
    {
        if (s.Length < _layout.SelectorOffset + _layout.SelectorLength || TypeOf(s) is not (var t and >= 0)) return -1;
        var len = framer.RecordLength(t, s, out _);
        return len > 0 ? len : -1;
    }

    /// <summary>The terminator of <paramref name="term"/>'s family found at <paramref name="at"/>, or None.</summary>
    static RecordTerminator TerminatorAt(ReadOnlySpan<byte> buf, int at, RecordTerminator term)
    {
        foreach (var t in RecordTerminators.Family(term))
        {
            var tb = RecordTerminators.Bytes(t);
            if (buf.Length - at >= tb.Length && buf.Slice(at, tb.Length).SequenceEqual(tb)) return t;
        }
        return RecordTerminator.None;
    }

    /// <summary>
    /// Where a line of unexpected length ends: the first line-end byte (LF; for EBCDIC terminators NL or LF 0x25) that is
    /// followed by a known record type or the end of the file. Binary fields may hold such bytes (packed 0x15 is the
    /// digits 1 and 5), so a line end that does not start a record is taken for data. -1: none; -2: more bytes needed.
    /// </summary>
    int NextLineEnd(ReadOnlySpan<byte> line, bool ebcdic, bool multi, bool eof)
    {
        var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
        var from = 0;
        while (true)
        {
            var rest = line[from..];
            var i = ebcdic ? rest.IndexOfAny((byte)0x15, (byte)0x25) : rest.IndexOf((byte)0x0A);
            if (i < 0) return -1;
            var nl = from + i;
            if (!multi) return nl;
            var next = line[(nl + 1)..];
            if (next.Length == 0) return eof ? nl : -2;
            if (next.Length < selectorEnd) return eof ? nl : -2;
            if (TypeOf(next) >= 0) return nl;
            from = nl + 1;
        }
    }
}
