// FixedLengthAdapter, framing: where one record ends (its type, its length, OCCURS DEPENDING ON counts, its
// terminator) and the reject of a record that does not frame, naming the field where it parts from the layout.

using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

public sealed partial class FixedLengthAdapter
{
    struct Frame
    {
        public long RecordNumber;
        public long FileOffset;
        public int Start;
        public int Length;
        public int Type;
        public string? Reason;
        public string? Message;
        public string? Field;
        public int ProblemOffset;
        /// <summary>A variable-length last record shorter than its counts say: the decoder's reject becomes truncated-record.</summary>
        public bool Truncated;
    }

    /// <summary>Frames one record at <paramref name="pos"/>: returns the bytes consumed, or -1 when more data is needed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    int FrameOne(byte[] buf, int pos, int filled, bool eof, RecordTerminator term, int bom, RecordDecoder framer, ref Frame f)
    {
        f.Truncated = false;
        f.Reason = null;
        f.Message = null;
        f.Field = null;
        f.ProblemOffset = 0;
        f.Type = -1;
        var remaining = filled - pos;
        var body = pos + bom;
        var bodyRemaining = remaining - bom;
        var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
        var multi = !(_layout.Records.Count == 1 && _layout.SelectorField is null);
        if (multi && bodyRemaining < selectorEnd)
        {
            if (!eof) return -1;
        }
        else
        {
            f.Type = TypeOf(buf.AsSpan(body, bodyRemaining));
        }
        var len = f.Type >= 0 ? _layout.Records[f.Type].Length : _defaultLength;
        var variable = f.Type >= 0 && _layout.Records[f.Type].IsVariable;
        if (variable)
        {
            // OCCURS DEPENDING ON: the counts in the record give its length.
            var actualLength = framer.RecordLength(f.Type, buf.AsSpan(body, bodyRemaining), out var bad);
            if (actualLength == 0 && !eof) return -1;
            if (actualLength > 0) len = actualLength;
            if (actualLength < 0 && term == RecordTerminator.None)
            {
                // Without terminators nothing says where the next record starts: the rest of the file goes with this one.
                var b = bad!;
                f.Length = remaining;
                return Fail(ref f, b.Reason, $"{b.Message}; the record's length depends on it, so the remaining {remaining} bytes of the file cannot be framed and are rejected with it", bom + b.Offset, remaining, b.Field);
            }
        }
        var termLen = RecordTerminators.Bytes(term).Length;
        if (!eof && bodyRemaining < len + 2) return -1;

        int consumed;
        if (term == RecordTerminator.None)
        {
            if (bodyRemaining < len && variable)
            {
                // The decoder names the field cut off at its moved position.
                f.Length = remaining;
                f.Truncated = true;
                return remaining;
            }
            if (bodyRemaining < len)
            {
                f.Length = remaining;
                return Fail(ref f, RejectReasons.TruncatedRecord, $"Last record has {bodyRemaining} of {len} bytes", 0, remaining, FieldAtLength(f.Type, bodyRemaining, len));
            }
            f.Length = bom + len;
            consumed = bom + len;
        }
        else
        {
            var found = TerminatorAt(buf.AsSpan(0, filled), body + len, term);
            f.Length = bom + len;
            if (found == term) consumed = bom + len + termLen;
            else if (found != RecordTerminator.None)
            {
                consumed = bom + len + RecordTerminators.Bytes(found).Length;
                Fail(ref f, RejectReasons.MixedLineEndings, $"Record ends with {RecordTerminators.Name(found)} in a file whose records end with {RecordTerminators.Name(term)}", bom + len, f.Length);
            }
            else if (eof && bodyRemaining == len) consumed = bom + len; // last record without a final newline
            else
            {
                // Not the expected length: the record is the line up to the next line end (LF; for EBCDIC ones NL or LF 0x25).
                var line = buf.AsSpan(pos, remaining);
                var nl = NextLineEnd(line, RecordTerminators.IsEbcdic(term), multi, eof);
                if (nl == -2) return -1;
                if (nl < 0 && !eof) return -1;
                var lineEnd = nl < 0 ? remaining : nl;
                // CR belongs to a CR LF pair; before NL it is data.
                var content = lineEnd > 0 && buf[pos + lineEnd - 1] == 0x0D && (nl < 0 || line[nl] != 0x15) ? lineEnd - 1 : lineEnd;
                consumed = nl < 0 ? remaining : nl + 1;
                f.Length = content;
                var actual = content - bom;
                if (variable)
                {
                    // The decoder knows the moved positions: it names the field (or the bad count) exactly.
                    f.Truncated = nl < 0 && actual < len;
                    return consumed;
                }
                if (nl < 0 && actual < len)
                    return Fail(ref f, RejectReasons.TruncatedRecord, $"Last record has {actual} of {len} bytes", 0, consumed, FieldAtLength(f.Type, actual, len));
                return Fail(ref f, RejectReasons.WrongRecordLength,
                    $"Record is {actual} bytes; record type {(f.Type >= 0 ? _layout.Records[f.Type].Name : "(unknown)")} is {len}{(actual < len ? "" : $": {actual - len} byte(s) after the last field")}",
                    Math.Min(actual, len) + bom, consumed, FieldAtLength(f.Type, actual, len));
            }
        }
        if (bom > 0 && f.Reason is null)
            return Fail(ref f, RejectReasons.UnexpectedBom, $"The file starts with a {bom}-byte byte order mark; {_codec.Name} fixed-length files have none", 0, consumed);
        if (f.Type < 0 && f.Reason is null)
            return Fail(ref f, RejectReasons.UnknownRecordType,
                $"Record type {Convert.ToHexString(buf.AsSpan(body + _layout.SelectorOffset, Math.Min(_layout.SelectorLength, Math.Max(0, bodyRemaining - _layout.SelectorOffset))))} in {_layout.SelectorField} is not in the layout",
                _layout.SelectorOffset, consumed);
        return consumed;
    }

    static int Fail(ref Frame f, string reason, string message, int offset, int consumed, string? field = null)
    {
        f.Reason = reason;
        f.Message = message;
        f.ProblemOffset = offset;
        f.Field = field;
        return consumed;
    }

    /// <summary>
    /// The field where a record of <paramref name="actual"/> bytes parts from its layout of <paramref name="expected"/>:
    /// the first field not wholly present when it is short, the last field when it is long; the selector field when
    /// the record type is unknown.
    /// </summary>
    string? FieldAtLength(int type, int actual, int expected)
    {
        if (type < 0) return _layout.SelectorField;
        var leaves = _leaves[type];
        if (leaves.Length == 0) return null;
        if (actual >= expected) return leaves[^1].Path;
        foreach (var (end, path) in leaves)
            if (end > actual) return path;
        return leaves[^1].Path;
    }

    /// <summary>Elementary fields of a record type in byte order: end offset (max occurrences) and path.</summary>
    static (int End, string Path)[] Leaves(IReadOnlyList<FieldDef> fields)
    {
        var list = new List<(int, string)>();
        void Walk(IReadOnlyList<FieldDef> fs, int delta, string prefix)
        {
            foreach (var f in fs)
            {
                for (var k = 0; k < f.Occurs; k++)
                {
                    var at = delta + (k * f.Length);
                    var path = f.Occurs == 1 ? prefix + f.Name : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{f.Name}({k + 1})");
                    if (f.Kind == FieldKind.Group) Walk(f.Children, at, path + ".");
                    else list.Add((at + f.Offset + f.Length, path));
                }
            }
        }
        Walk(fields, 0, "");
        return [.. list.OrderBy(x => x.Item1)];
    }
}
