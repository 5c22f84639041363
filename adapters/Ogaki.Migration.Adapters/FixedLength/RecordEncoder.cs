using System.Buffers.Binary;
using System.Globalization;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

/// <summary>
/// Writes records in a layout's byte format — the inverse of <see cref="RecordDecoder"/>. For generators (the
/// synthetic estate), tests and benchmarks. Values are addressed by path as <see cref="LegacyGroup.Get"/> reads
/// them (<c>ZM-DATA.ZM-D-ZEIGAKU</c>, <c>ZM-DATA.ZM-D-GETSUWARI(3)</c>, or a unique field name). Fields without a
/// value are spaces (text) or zero (numbers); FILLER is spaces; the selector gets the record type's value.
/// Text is padded with spaces (PIC X) or the double-byte space (PIC N); too long text or a number that does not fit
/// throws (never truncates or rounds). Strict encoders: characters outside the code page throw.
/// </summary>
public sealed class RecordEncoder
{
    readonly FileLayout _layout;
    readonly TextCodec _codec;
    readonly ZonedSign _zonedSign;

    public RecordEncoder(FileLayout layout, string encoding)
    {
        _layout = layout;
        _codec = LegacyEncodings.GetCodec(encoding);
        _zonedSign = _codec.IsEbcdic ? ZonedSign.Ebcdic : layout.AsciiZonedSign;
    }

    public TextCodec Codec => _codec;

    /// <summary>Encodes one record of <paramref name="recordType"/> (a record type name; may be null when there is one type).</summary>
    public byte[] Encode(string? recordType, IReadOnlyDictionary<string, object?> values)
    {
        var type = recordType is null ? _layout.Records[0] : _layout.FindRecord(recordType) ?? throw new ArgumentException($"No record type '{recordType}'.", nameof(recordType));
        var record = new byte[type.Length];
        var length = Encode(type, values, record);
        return length == record.Length ? record : record[..length];
    }

    /// <summary>
    /// Encodes into <paramref name="destination"/> (at least the record length) and returns the bytes written: the record
    /// length, or less for a record whose OCCURS DEPENDING ON counts (given as values of the count fields, the tables'
    /// values as lists) leave occurrences out — IBM style, the items after a table move up.
    /// </summary>
    public int Encode(RecordLayout type, IReadOnlyDictionary<string, object?> values, Span<byte> destination)
    {
        var record = destination[..type.Length];
        record.Fill(_codec.SpaceByte);
        var known = KnownKeys(type);
        foreach (var key in values.Keys)
        {
            if (!known.Contains(key)) throw new ArgumentException($"Record type {type.Name} has no field '{key}'.", nameof(values));
        }
        WriteGroup(type.Fields, 0, "", values, record);
        if (_layout.SelectorField is not null && type.SelectorValues.Count > 0 && !values.ContainsKey(_layout.SelectorField))
        {
            var sel = record.Slice(_layout.SelectorOffset, _layout.SelectorLength);
            if (_layout.SelectorKind == FieldKind.Zoned) WriteZonedText(type.SelectorValues[0], sel);
            else WriteText(type.SelectorValues[0], sel, national: false, _layout.SelectorField);
        }
        if (!type.IsVariable) return type.Length;
        // Written at the maximum; now drop the absent occurrences, last table first so earlier offsets stay valid.
        var counter = new RecordDecoder(_layout, _codec);
        var end = type.Length;
        for (var i = type.VariableTables.Count - 1; i >= 0; i--)
        {
            var t = type.VariableTables[i];
            var count = counter.CountOf(t, record, out var failure);
            if (count < 0) throw new ArgumentException($"Record type {type.Name}: {failure!.Message}.", nameof(values));
            var from = t.Table.Offset + (t.Table.Occurs * t.Table.Length);
            var to = t.Table.Offset + (count * t.Table.Length);
            record[from..end].CopyTo(record[to..]);
            end -= from - to;
        }
        return end;
    }

    readonly Dictionary<RecordLayout, HashSet<string>> _known = [];

    /// <summary>Every accepted key of a record type: each full path and each of its dot-suffixes, with and without (k).</summary>
    HashSet<string> KnownKeys(RecordLayout type)
    {
        lock (_known)
        {
            if (_known.TryGetValue(type, out var set)) return set;
            set = new HashSet<string>(StringComparer.Ordinal);
            Collect(type.Fields, "", set);
            _known[type] = set;
            return set;
        }

        static void Collect(IReadOnlyList<FieldDef> fields, string prefix, HashSet<string> set)
        {
            foreach (var f in fields)
            {
                AddSuffixes(prefix + f.Name, set);
                if (f.Occurs == 1)
                {
                    Collect(f.Children, prefix + f.Name + ".", set);
                    continue;
                }
                for (var k = 1; k <= f.Occurs; k++)
                {
                    var pk = string.Create(CultureInfo.InvariantCulture, $"{prefix}{f.Name}({k})");
                    AddSuffixes(pk, set);
                    Collect(f.Children, pk + ".", set);
                }
            }
        }

        static void AddSuffixes(string path, HashSet<string> set)
        {
            for (var s = path; ;)
            {
                set.Add(s);
                var dot = s.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0) break;
                s = s[(dot + 1)..];
            }
        }
    }

    static bool TryFind(IReadOnlyDictionary<string, object?> values, string path, out object? value)
    {
        for (var s = path; ;)
        {
            if (values.TryGetValue(s, out value)) return true;
            var dot = s.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) return false;
            s = s[(dot + 1)..];
        }
    }

    void WriteGroup(IReadOnlyList<FieldDef> fields, int delta, string prefix, IReadOnlyDictionary<string, object?> values, Span<byte> record)
    {
        foreach (var f in fields)
        {
            for (var k = 0; k < f.Occurs; k++)
            {
                var at = delta + f.Offset + (k * f.Length);
                var path = f.Occurs == 1 ? prefix + f.Name : string.Create(CultureInfo.InvariantCulture, $"{prefix}{f.Name}({k + 1})");
                if (f.Kind == FieldKind.Group)
                {
                    WriteGroup(f.Children, at - f.Offset, path + ".", values, record);
                    continue;
                }
                if (TryFind(values, path, out var v))
                {
                }
                else if (f.Occurs > 1 && TryFind(values, prefix + f.Name, out var listObj) && listObj is System.Collections.IList list)
                {
                    v = k < list.Count ? list[k] : null;
                }
                else
                {
                    v = null;
                }
                WriteField(f, v, record.Slice(at, f.Length), path);
            }
        }
    }

    void WriteField(FieldDef f, object? v, Span<byte> dst, string path)
    {
        switch (f.Kind)
        {
            case FieldKind.Alphanumeric:
                WriteText(v switch { null => "", string s => s, IFormattable x => x.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString() ?? "" }, dst, false, path);
                break;
            case FieldKind.National:
                WriteText(v as string ?? "", dst, true, path);
                break;
            case FieldKind.Zoned:
            {
                var d = ToDecimal(v, path);
                if (f.SignSeparate)
                {
                    var signAt = f.SignLeading ? 0 : dst.Length - 1;
                    var digits = f.SignLeading ? dst[1..] : dst[..^1];
                    ZonedDecimal.Encode(Math.Abs(d), f.Digits, f.Scale, digits, _zonedSign, signed: false);
                    if (_zonedSign == ZonedSign.Ebcdic) for (var i = 0; i < digits.Length; i++) digits[i] = (byte)(0xF0 | (digits[i] & 0x0F));
                    dst[signAt] = d < 0 ? (_codec.IsEbcdic ? (byte)0x60 : (byte)'-') : (_codec.IsEbcdic ? (byte)0x4E : (byte)'+');
                }
                else
                {
                    ZonedDecimal.Encode(d, f.Digits, f.Scale, dst, _zonedSign, f.Signed);
                    if (f.SignLeading && _zonedSign == ZonedSign.Ebcdic && dst.Length > 1)
                    {
                        var lastZone = dst[^1] & 0xF0;
                        dst[^1] = (byte)(0xF0 | (dst[^1] & 0x0F));
                        dst[0] = (byte)(lastZone | (dst[0] & 0x0F));
                    }
                }
                break;
            }
            case FieldKind.Packed:
                PackedDecimal.Encode(ToDecimal(v, path), f.Digits, f.Scale, dst, unsigned: !f.Signed);
                break;
            case FieldKind.Binary:
            {
                var d = ToDecimal(v, path);
                var scaled = d;
                for (var i = 0; i < f.Scale; i++) scaled *= 10m;
                if (scaled != decimal.Truncate(scaled)) throw new ArgumentException($"{path}: {d} has more than {f.Scale} decimals.");
                var n = (long)scaled;
                var little = _layout.BinaryLittleEndian;
                switch (dst.Length)
                {
                    case 2:
                        if (little) BinaryPrimitives.WriteInt16LittleEndian(dst, checked((short)n)); else BinaryPrimitives.WriteInt16BigEndian(dst, checked((short)n));
                        break;
                    case 4:
                        if (little) BinaryPrimitives.WriteInt32LittleEndian(dst, checked((int)n)); else BinaryPrimitives.WriteInt32BigEndian(dst, checked((int)n));
                        break;
                    default:
                        if (little) BinaryPrimitives.WriteInt64LittleEndian(dst, n); else BinaryPrimitives.WriteInt64BigEndian(dst, n);
                        break;
                }
                break;
            }
            default:
                throw new InvalidOperationException($"{path}: cannot write kind {f.Kind}.");
        }
    }

    static decimal ToDecimal(object? v, string path) => v switch
    {
        null => 0m,
        decimal d => d,
        int i => i,
        long l => l,
        short s => s,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"{path}: {v.GetType().Name} is not a number."),
    };

    void WriteZonedText(string digits, Span<byte> dst)
    {
        var padded = digits.PadLeft(dst.Length, '0');
        for (var i = 0; i < dst.Length; i++) dst[i] = (byte)(_codec.DigitZone | (padded[i] - '0'));
    }

    void WriteText(string text, Span<byte> dst, bool national, string path)
    {
        var bytes = national ? _codec.EncodeDbcs(text) : _codec.Encode(text);
        if (bytes.Length > dst.Length)
            throw new ArgumentException($"{path}: '{text}' is {bytes.Length} bytes in {_codec.Name}; the field holds {dst.Length}.");
        bytes.CopyTo(dst);
        var pad = dst[bytes.Length..];
        if (national)
        {
            var sp = _codec.DbcsSpace;
            if (pad.Length % sp.Length != 0) throw new ArgumentException($"{path}: cannot pad {pad.Length} bytes with the double-byte space.");
            for (var i = 0; i < pad.Length; i += sp.Length) sp.CopyTo(pad[i..]);
        }
        else
        {
            pad.Fill(_codec.SpaceByte);
        }
    }
}
