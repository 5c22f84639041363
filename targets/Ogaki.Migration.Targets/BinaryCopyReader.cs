using System.Buffers.Binary;
using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// Parses PostgreSQL's binary COPY format (signature, flags, header extension; per tuple an int16 field count and
/// per field an int32 length, −1 for NULL, and the value's wire bytes; an int16 −1 trailer) into canonical rows.
/// Columns arrive cast to <see cref="WireType"/>, so each item type has one wire format: text as UTF-8, int4,
/// numeric (base-10000 digits), date (days from 2000-01-01) and bool.
/// </summary>
internal sealed class BinaryCopyReader(SpecItem[] items, CanonicalKey key, string table)
{
    static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
    const int BatchRows = 1024;
    // DateOnly day number of PostgreSQL's date epoch, 2000-01-01.
    static readonly int EpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;

    readonly CanonicalRowBatch _batch = new(1 << 17, BatchRows);
    byte[] _buffer = new byte[1 << 18];
    int _start, _end;
    bool _headerRead, _done;
    long _rows;

    /// <summary>The PostgreSQL type each item is read as.</summary>
    public static string WireType(SpecItem item) => item.Type switch
    {
        ItemType.Int => "int4",
        ItemType.Amount => "numeric",
        ItemType.Date => "date",
        ItemType.Flag => "bool",
        _ => "text",
    };

    /// <summary>The next batch of rows (reused: valid until the next call), or null at the end of the data.</summary>
    public async ValueTask<CanonicalRowBatch?> ReadBatchAsync(Stream stream, CancellationToken cancellationToken)
    {
        _batch.Clear();
        while (!_done && _batch.Count < BatchRows)
        {
            if (!ParseAvailable() && !_done)
            {
                // Keep the incomplete tuple, make room (grow for a tuple longer than the buffer) and read more.
                var have = _end - _start;
                if (_start > 0) _buffer.AsSpan(_start, have).CopyTo(_buffer);
                else if (have == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                _start = 0;
                _end = have;
                var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
                if (n == 0) throw Fail("the COPY data ended without its trailer");
                _end += n;
            }
        }
        return _batch.Count > 0 ? _batch : null;
    }

    // Parses whole tuples while the buffer holds them and the batch has room; false when more bytes are needed.
    bool ParseAvailable()
    {
        if (!_headerRead)
        {
            if (_end - _start < Signature.Length + 8) return false;
            var header = _buffer.AsSpan(_start);
            if (!header[..Signature.Length].SequenceEqual(Signature)) throw Fail("not binary COPY data (signature)");
            var extension = BinaryPrimitives.ReadInt32BigEndian(header[(Signature.Length + 4)..]);
            if (_end - _start < Signature.Length + 8 + extension) return false;
            _start += Signature.Length + 8 + extension;
            _headerRead = true;
        }
        while (_batch.Count < BatchRows)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            if (data.Length < 2) return false;
            var fields = BinaryPrimitives.ReadInt16BigEndian(data);
            if (fields == -1)
            {
                _start += 2;
                _done = true;
                return true;
            }
            if (fields != items.Length) throw Fail($"a row has {fields} fields, the entity {items.Length} items");
            // Check the whole tuple is here before decoding any of it.
            var pos = 2;
            for (var f = 0; f < fields; f++)
            {
                if (data.Length < pos + 4) return false;
                var len = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
                pos += 4 + Math.Max(len, 0);
                if (data.Length < pos) return false;
            }
            _rows++;
            _batch.BeginRow();
            pos = 2;
            for (var f = 0; f < fields; f++)
            {
                var len = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
                pos += 4;
                if (len < 0)
                {
                    _batch.AppendNull();
                    continue;
                }
                Append(items[f], data.Slice(pos, len));
                pos += len;
            }
            _batch.EndRow(key);
            _start += pos;
        }
        return true;
    }

    void Append(SpecItem item, ReadOnlySpan<byte> value)
    {
        switch (item.Type)
        {
            case ItemType.Int:
                if (value.Length != 4) throw Fail($"{item.ItemId} {item.NameJa}: int4 of {value.Length} bytes");
                _batch.AppendInt(BinaryPrimitives.ReadInt32BigEndian(value));
                break;
            case ItemType.Amount:
                Span<byte> text = stackalloc byte[NumericTextMaxLength(value)];
                _batch.AppendText(text[..NumericText(item, value, text)]);
                break;
            case ItemType.Date:
                if (value.Length != 4) throw Fail($"{item.ItemId} {item.NameJa}: date of {value.Length} bytes");
                var days = BinaryPrimitives.ReadInt32BigEndian(value);
                var dayNumber = (long)EpochDayNumber + days;
                // ±infinity and dates outside 0001–9999 have no DateOnly; their text still differs from any source date.
                if (days is int.MaxValue or int.MinValue || dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
                    _batch.AppendText(Encoding.UTF8.GetBytes(days switch { int.MaxValue => "infinity", int.MinValue => "-infinity", _ => $"date {days} days from 2000-01-01" }));
                else
                    _batch.AppendDate(DateOnly.FromDayNumber((int)dayNumber));
                break;
            case ItemType.Flag:
                if (value.Length != 1) throw Fail($"{item.ItemId} {item.NameJa}: bool of {value.Length} bytes");
                _batch.AppendFlag(value[0] != 0);
                break;
            default:
                _batch.AppendText(value); // text is sent in the client encoding, UTF-8
                break;
        }
    }

    static int NumericTextMaxLength(ReadOnlySpan<byte> value)
    {
        if (value.Length < 8) return 16;
        var digits = BinaryPrimitives.ReadInt16BigEndian(value);
        var weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        return 16 + 4 * (Math.Max(digits, (short)0) + Math.Abs((int)weight) + 1);
    }

    /// <summary>
    /// The canonical text of a binary numeric (<see cref="CanonicalValue.Decimal"/>: exact, no trailing fractional
    /// zeros, −0 as 0): int16 digit count, int16 weight (power of 10000 of the first digit), uint16 sign, uint16
    /// display scale, then the base-10000 digits.
    /// </summary>
    int NumericText(SpecItem item, ReadOnlySpan<byte> value, Span<byte> dest)
    {
        if (value.Length < 8) throw Fail($"{item.ItemId} {item.NameJa}: numeric of {value.Length} bytes");
        int count = BinaryPrimitives.ReadInt16BigEndian(value), weight = BinaryPrimitives.ReadInt16BigEndian(value[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        if (value.Length != 8 + 2 * count) throw Fail($"{item.ItemId} {item.NameJa}: numeric of {value.Length} bytes for {count} digits");
        var special = sign switch { 0xC000 => "NaN", 0xD000 => "Infinity", 0xF000 => "-Infinity", _ => null };
        if (special is not null) return Encoding.UTF8.GetBytes(special, dest);
        var n = 0;
        if (sign == 0x4000) dest[n++] = (byte)'-';
        var integerStart = n;
        if (weight < 0) dest[n++] = (byte)'0';
        for (var i = 0; i <= weight; i++)
        {
            var d = Digit(value, count, i);
            n += Format(d, dest[n..], pad: i > 0);
        }
        var point = n;
        dest[n++] = (byte)'.';
        for (var e = -1; weight - e < count; e--) n += Format(Digit(value, count, weight - e), dest[n..], pad: true);
        while (n > point + 1 && dest[n - 1] == (byte)'0') n--;
        if (n == point + 1) n = point;
        // −0 is 0.
        if (integerStart == 1 && n == 2 && dest[1] == (byte)'0')
        {
            dest[0] = (byte)'0';
            return 1;
        }
        return n;
    }

    static int Digit(ReadOnlySpan<byte> numeric, int count, int i) => i >= 0 && i < count ? BinaryPrimitives.ReadInt16BigEndian(numeric[(8 + 2 * i)..]) : 0;

    static int Format(int d, Span<byte> dest, bool pad)
    {
        if (!pad)
        {
            d.TryFormat(dest, out var w, default, System.Globalization.CultureInfo.InvariantCulture);
            return w;
        }
        dest[0] = (byte)('0' + d / 1000);
        dest[1] = (byte)('0' + d / 100 % 10);
        dest[2] = (byte)('0' + d / 10 % 10);
        dest[3] = (byte)('0' + d % 10);
        return 4;
    }

    InvalidDataException Fail(string message)
    {
        _batch.AbandonRow();
        return new InvalidDataException($"read-back of {table}, row {_rows}: {message}");
    }
}
