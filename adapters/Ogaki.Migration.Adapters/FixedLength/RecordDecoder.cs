using System.Buffers.Binary;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

/// <summary>
/// Decodes one record's bytes by its <see cref="RecordLayout"/> into a <see cref="LegacyRecord"/>, or a
/// <see cref="LegacyReject"/> naming the first bad field and the absolute byte offset of the first bad byte.
/// One instance per thread (it owns a scratch char buffer); the plans are shared and immutable.
/// </summary>
public sealed class RecordDecoder
{
    readonly TextCodec _codec;
    readonly FileLayout _layout;
    readonly bool _trim;
    readonly ZonedSign _zonedSign;
    readonly byte _plus;
    readonly byte _minus;
    readonly GroupPlan[] _plans;
    char[] _chars = new char[256];
    /// <summary>Bytes the OCCURS DEPENDING ON tables decoded so far in this record are short of their maximum (≤ 0).</summary>
    int _shift;

    public RecordDecoder(FileLayout layout, TextCodec codec, bool trimPadding = true)
    {
        _layout = layout;
        _codec = codec;
        _trim = trimPadding;
        _zonedSign = codec.IsEbcdic ? ZonedSign.Ebcdic : layout.AsciiZonedSign;
        _plus = codec.IsEbcdic ? (byte)0x4E : (byte)'+';
        _minus = codec.IsEbcdic ? (byte)0x60 : (byte)'-';
        _plans = layout.Records.Select(r => GroupPlan.Build(r.Fields, r)).ToArray();
    }

    internal sealed class GroupPlan
    {
        public required string[] Names;
        public required FieldDef[] Fields;
        public required GroupPlan?[] Children;
        /// <summary>Per field: its OCCURS DEPENDING ON table entry, or null.</summary>
        public required VariableTable?[] Tables;

        public static GroupPlan Build(IReadOnlyList<FieldDef> fields, RecordLayout? type = null) => new()
        {
            Names = fields.Select(f => f.Name).ToArray(),
            Fields = fields.ToArray(),
            Children = fields.Select(f => f.Kind == FieldKind.Group ? Build(f.Children, type) : null).ToArray(),
            Tables = fields.Select(f => type?.VariableTables.FirstOrDefault(v => ReferenceEquals(v.Table, f))).ToArray(),
        };
    }

    /// <summary>A decoding problem; <paramref name="Field"/> is set when it names a field other than the one being decoded.</summary>
    /// <remarks>A class, so that the hot path passes a null reference rather than copying an empty struct per field.</remarks>
    internal sealed record Failure(string Reason, string Message, int Offset, string? Field = null);

    /// <summary>Decodes; <paramref name="record"/> must be exactly the record's bytes (no terminator).</summary>
    public LegacyReadResult Decode(RecordLayout type, ReadOnlySpan<byte> record, SourceLocation location)
    {
        for (var t = 0; t < _plans.Length; t++)
            if (ReferenceEquals(_layout.Records[t], type)) return Decode(t, record, location);
        return Decode(type, GroupPlan.Build(type.Fields, type), record, location);
    }

    /// <summary>Decodes as record type number <paramref name="typeIndex"/> of the layout.</summary>
    internal LegacyReadResult Decode(int typeIndex, ReadOnlySpan<byte> record, SourceLocation location) =>
        Decode(_layout.Records[typeIndex], _plans[typeIndex], record, location);

    LegacyReadResult Decode(RecordLayout type, GroupPlan plan, ReadOnlySpan<byte> record, SourceLocation location)
    {
        string? path = null;
        _shift = 0;
        var values = DecodeGroup(plan, record, 0, ref path, out var failure);
        if (values is not null && type.IsVariable && record.Length > type.Length + _shift)
        {
            // The counts say where the record ends; bytes beyond it do not belong to any field.
            var end = type.Length + _shift;
            path = LastFieldPath(values);
            failure = new Failure(RejectReasons.WrongRecordLength,
                $"Record is {record.Length} bytes; with its OCCURS DEPENDING ON counts record type {type.Name} is {end}: {record.Length - end} byte(s) after the last field", end);
            values = null;
        }
        if (values is null)
        {
            var f = failure!;
            return new LegacyReject(
                location with { ByteOffset = location.ByteOffset + f.Offset, Field = f.Field ?? path },
                f.Reason,
                $"{f.Message} (record type {type.Name}, record starts at byte {location.ByteOffset})",
                record.ToArray());
        }
        return new LegacyRecord(location, type.Name, values);
    }

    static string LastFieldPath(LegacyGroup g)
    {
        var name = g.NameAt(g.Count - 1);
        return g.ValueAt(g.Count - 1) switch
        {
            LegacyGroup child => name + "." + LastFieldPath(child),
            object?[] { Length: > 0 } list => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}({list.Length})") + (list[^1] is LegacyGroup last ? "." + LastFieldPath(last) : ""),
            _ => name,
        };
    }

    /// <summary>
    /// The record length of type <paramref name="typeIndex"/> given its first bytes: the layout length, or for a variable
    /// record the length its OCCURS DEPENDING ON counts give. 0 when the bytes do not reach the counts yet; -1 with
    /// <paramref name="failure"/> when a count is not a number or out of range.
    /// </summary>
    internal int RecordLength(int typeIndex, ReadOnlySpan<byte> record, out Failure? failure)
    {
        failure = null;
        var type = _layout.Records[typeIndex];
        if (!type.IsVariable) return type.Length;
        var tables = type.VariableTables;
        if (record.Length < tables[0].Table.Offset) return 0;
        var length = type.Length;
        foreach (var t in tables)
        {
            var count = CountOf(t, record, out failure);
            if (count < 0) return -1;
            length += (count - t.Table.Occurs) * t.Table.Length;
        }
        return length;
    }

    /// <summary>The number of occurrences present, read from the count field; -1 with a failure naming the count field.</summary>
    internal int CountOf(VariableTable t, ReadOnlySpan<byte> record, out Failure? failure)
    {
        string? ignored = null;
        var value = DecodeField(t.Count, null, record, t.Count.Offset, ref ignored, out failure);
        if (failure is { } f)
        {
            failure = f with { Field = t.CountPath };
            return -1;
        }
        var table = t.Table;
        if (value is not decimal count || count < table.LeastOccurs || count > table.Occurs)
        {
            failure = new Failure(RejectReasons.OccursOutOfRange,
                $"{t.CountPath} is {value}; {t.TablePath} OCCURS {table.LeastOccurs} TO {table.Occurs} TIMES DEPENDING ON it", t.Count.Offset, t.CountPath);
            return -1;
        }
        return (int)count;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    LegacyGroup? DecodeGroup(GroupPlan plan, ReadOnlySpan<byte> record, int delta, ref string? path, out Failure? failure)
    {
        var values = new object?[plan.Fields.Length];
        for (var i = 0; i < plan.Fields.Length; i++)
        {
            var def = plan.Fields[i];
            if (plan.Tables[i] is { } table)
            {
                // OCCURS DEPENDING ON: only the occurrences present; the items after the table move up.
                var count = CountOf(table, record, out failure);
                if (count < 0) return null;
                var present = new object?[count];
                for (var k = 0; k < count; k++)
                {
                    var v = DecodeField(def, plan.Children[i], record, delta + def.Offset + _shift + (k * def.Length), ref path, out failure);
                    if (failure is not null)
                    {
                        var me = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{def.Name}({k + 1})");
                        path = path is null ? me : me + "." + path;
                        return null;
                    }
                    present[k] = v;
                }
                _shift += (count - def.Occurs) * def.Length;
                values[i] = present;
                continue;
            }
            if (def.Occurs == 1)
            {
                var v = DecodeField(def, plan.Children[i], record, delta + def.Offset + _shift, ref path, out failure);
                if (failure is not null)
                {
                    path = path is null ? def.Name : def.Name + "." + path;
                    return null;
                }
                values[i] = v;
            }
            else
            {
                var list = new object?[def.Occurs];
                for (var k = 0; k < def.Occurs; k++)
                {
                    var v = DecodeField(def, plan.Children[i], record, delta + def.Offset + _shift + (k * def.Length), ref path, out failure);
                    if (failure is not null)
                    {
                        var me = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{def.Name}({k + 1})");
                        path = path is null ? me : me + "." + path;
                        return null;
                    }
                    list[k] = v;
                }
                values[i] = list;
            }
        }
        failure = null;
        return new LegacyGroup(plan.Names, values);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    object? DecodeField(FieldDef def, GroupPlan? children, ReadOnlySpan<byte> record, int at, ref string? path, out Failure? failure)
    {
        failure = null;
        if (def.Kind == FieldKind.Group)
        {
            // Children offsets are absolute for the first occurrence: shift by the occurrence's distance
            // (children add the OCCURS DEPENDING ON shift themselves, as it changes after each variable table).
            return DecodeGroup(children!, record, at - def.Offset - _shift, ref path, out failure);
        }
        if (at + def.Length > record.Length)
        {
            failure = new Failure(RejectReasons.WrongRecordLength, $"Field ends at byte {at + def.Length} beyond the record length {record.Length}", Math.Min(at, record.Length));
            return null;
        }
        var bytes = record.Slice(at, def.Length);
        switch (def.Kind)
        {
            case FieldKind.Alphanumeric:
            case FieldKind.National:
            {
                if (_chars.Length < bytes.Length) _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
                var ok = def.Kind == FieldKind.Alphanumeric
                    ? _codec.TryDecode(bytes, _chars, out var n, out var err, out var off)
                    : _codec.TryDecodeDbcs(bytes, _chars, out n, out err, out off);
                if (!ok)
                {
                    failure = TextFailure(err, off, at, bytes);
                    return null;
                }
                var span = _chars.AsSpan(0, n);
                if (_codec.MayDecodeToBom && span.Contains('\uFEFF'))
                {
                    failure = new Failure(RejectReasons.UnexpectedBom, "Byte order mark U+FEFF inside a field", at + Math.Max(0, bytes.IndexOf("\uFEFF"u8)));
                    return null;
                }
                if (_trim)
                {
                    span = def.Kind == FieldKind.National ? span.TrimEnd('\u3000').TrimEnd(' ') : span.TrimEnd(' ');
                }
                return ShortStrings.Of(span);
            }
            case FieldKind.Zoned:
                return DecodeZoned(def, bytes, at, out failure);
            case FieldKind.Packed:
            {
                if (!PackedDecimal.TryDecode(bytes, def.Scale, out var v, out var off))
                {
                    failure = new Failure(RejectReasons.InvalidPacked, $"Invalid packed decimal {Convert.ToHexString(bytes)} (bad nibble in byte {off})", at + off);
                    return null;
                }
                if (!def.Signed && v < 0m && (bytes[^1] & 0x0F) is 0x0D or 0x0B)
                {
                    failure = new Failure(RejectReasons.InvalidPacked, "Negative sign in an unsigned packed field", at + bytes.Length - 1);
                    return null;
                }
                return Box(v);
            }
            case FieldKind.Binary:
                return DecodeBinary(def, bytes);
            default:
                throw new InvalidOperationException($"Unknown field kind {def.Kind}.");
        }
    }

    static Failure TextFailure(TextDecodeError err, int off, int at, ReadOnlySpan<byte> bytes) => err switch
    {
        TextDecodeError.UnbalancedShift => new Failure(RejectReasons.UnbalancedShift, $"Unbalanced shift (SO without SI, nested SO or SI without SO) at field byte {off}", at + off),
        TextDecodeError.OddDbcsLength => new Failure(RejectReasons.OddDbcsLength, $"Odd number of bytes in a double-byte run at field byte {off}", at + off),
        TextDecodeError.NulBytes => new Failure(RejectReasons.NulBytes, $"NUL byte at field byte {off}", at + off),
        _ => new Failure(RejectReasons.UndefinedBytes, $"Bytes {Convert.ToHexString(bytes.Slice(off, Math.Min(2, bytes.Length - off)))} are not defined in the code page (field byte {off})", at + off),
    };

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    object? DecodeZoned(FieldDef def, ReadOnlySpan<byte> bytes, int at, out Failure? failure)
    {
        if (!def.SignSeparate && !def.SignLeading)
        {
            // The common case: sign (if any) in the last byte's zone.
            if (ZonedDecimal.TryDecode(bytes, def.Scale, _zonedSign, out var plain, out var bad))
            {
                if (def.Signed || plain >= 0m)
                {
                    failure = null;
                    return Box(plain);
                }
                failure = new Failure(RejectReasons.InvalidZoned, "Negative sign in an unsigned zoned field", at + bytes.Length - 1);
                return null;
            }
            failure = NulFailure(bytes, at)
                ?? new Failure(RejectReasons.InvalidZoned, $"Non-numeric zoned decimal {Convert.ToHexString(bytes)} (field byte {bad})", at + bad);
            return null;
        }
        return DecodeZonedSignApart(def, bytes, at, out failure);
    }

    /// <summary>SIGN LEADING and/or SEPARATE zoned fields.</summary>
    object? DecodeZonedSignApart(FieldDef def, ReadOnlySpan<byte> bytes, int at, out Failure? failure)
    {
        failure = null;
        scoped ReadOnlySpan<byte> digits = bytes;
        var separateNegative = false;
        // Only SIGN LEADING (embedded) needs a scratch copy; keep the common path free of it.
        Span<byte> tmp = def.SignLeading && !def.SignSeparate ? stackalloc byte[64] : default;
        if (def.SignSeparate)
        {
            var signAt = def.SignLeading ? 0 : bytes.Length - 1;
            var s = bytes[signAt];
            if (s != _plus && s != _minus)
            {
                if (NulFailure(bytes, at) is { } nulSign)
                {
                    failure = nulSign;
                    return null;
                }
                failure = new Failure(RejectReasons.InvalidZoned, "Separate sign byte is neither + nor -", at + signAt);
                return null;
            }
            separateNegative = s == _minus;
            digits = def.SignLeading ? bytes[1..] : bytes[..^1];
            if (!def.Signed) separateNegative = false;
        }
        else if (def.SignLeading && _zonedSign == ZonedSign.Ebcdic && bytes.Length > 1 && bytes.Length <= 64)
        {
            // Move the sign zone from the first byte to the last so one decoder serves both.
            bytes.CopyTo(tmp);
            tmp[^1] = (byte)((bytes[0] & 0xF0) | (bytes[^1] & 0x0F));
            tmp[0] = (byte)(0xF0 | (bytes[0] & 0x0F));
            digits = tmp[..bytes.Length];
        }
        var sign = def.SignSeparate ? (_zonedSign == ZonedSign.Ebcdic ? ZonedSign.Ebcdic : ZonedSign.AsciiMicroFocus) : _zonedSign;
        if (!ZonedDecimal.TryDecode(digits, def.Scale, sign, out var v, out var off))
        {
            // A NUL byte is never a zoned digit or sign, so it is looked for only once decoding failed.
            failure = NulFailure(bytes, at);
            if (failure is not null) return null;
            var real = def.SignSeparate && def.SignLeading ? off + 1 : off;
            if (def.SignLeading && !def.SignSeparate && off == digits.Length - 1) real = 0;
            failure = new Failure(RejectReasons.InvalidZoned, $"Non-numeric zoned decimal {Convert.ToHexString(bytes)} (field byte {real})", at + real);
            return null;
        }
        if (def.SignSeparate)
        {
            if (v < 0m)
            {
                failure = new Failure(RejectReasons.InvalidZoned, "Embedded sign in a field with a separate sign", at);
                return null;
            }
            if (separateNegative) v = -v;
        }
        else if (!def.Signed && v < 0m)
        {
            failure = new Failure(RejectReasons.InvalidZoned, "Negative sign in an unsigned zoned field", at + (def.SignLeading ? 0 : bytes.Length - 1));
            return null;
        }
        return Box(v);
    }

    // One box per scale for zero, shared: most numeric fields of a mainframe master are empty amounts and OCCURS
    // slots (about 18 million boxed decimals a scale-1 run, most of them zero). Boxes are never mutated; −0 keeps its own.
    static readonly object[] Zeros = [.. Enumerable.Range(0, 29).Select(scale => (object)new decimal(0, 0, 0, false, (byte)scale))];

    static object Box(decimal v) => v == 0m && !decimal.IsNegative(v) ? Zeros[v.Scale] : v;

    static Failure? NulFailure(ReadOnlySpan<byte> bytes, int at)
    {
        var nul = bytes.IndexOf((byte)0);
        return nul < 0 ? null : new Failure(RejectReasons.NulBytes, $"NUL byte in a numeric field at field byte {nul}", at + nul);
    }

    object DecodeBinary(FieldDef def, ReadOnlySpan<byte> bytes)
    {
        var little = _layout.BinaryLittleEndian;
        decimal v = bytes.Length switch
        {
            2 => def.Signed
                ? (little ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadInt16BigEndian(bytes))
                : (little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16BigEndian(bytes)),
            4 => def.Signed
                ? (little ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : BinaryPrimitives.ReadInt32BigEndian(bytes))
                : (little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes)),
            8 => def.Signed
                ? (little ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : BinaryPrimitives.ReadInt64BigEndian(bytes))
                : (little ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt64BigEndian(bytes)),
            _ => throw new InvalidOperationException($"Binary field {def.Name} of {bytes.Length} bytes."),
        };
        if (def.Scale == 0) return Box(v);
        var bits = decimal.GetBits(v);
        return Box(new decimal(bits[0], bits[1], bits[2], v < 0m, (byte)def.Scale));
    }
}
