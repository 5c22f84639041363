using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// Writes a batch of standard records in PostgreSQL's binary COPY format (the counterpart of
/// <see cref="BinaryCopyReader"/>): signature, flags and header extension; per tuple an int16 field count and per field
/// an int32 length (−1 for NULL) and the value in the column type's binary input format — text and varchar as UTF-8,
/// int4 big-endian, numeric as base-10000 digits, date as days from 2000-01-01, bool as one byte; an int16 −1 trailer.
/// The rows are encoded once, here, and the batch checksum is the SHA-256 of exactly these tuple bytes, so the load
/// costs one pass over each value instead of a typed write and a canonical hash per value.
/// </summary>
internal sealed class BinaryCopyWriter : IDisposable
{
    static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    static readonly int EpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;
    const int FlushAt = 1 << 18;
    const int ShortText = 16;

    readonly SpecItem[] _items;
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(FlushAt + (1 << 16));
    int _pos, _hashed;

    public BinaryCopyWriter(SpecItem[] items)
    {
        _items = items;
        Header.CopyTo(_buffer, 0);
        _pos = _hashed = Header.Length;
    }

    /// <summary>
    /// Encodes every record of the batch, handing the bytes to <paramref name="send"/> in chunks of about 256 KiB
    /// (null: only the checksum is wanted, for a batch the ledger already holds). Returns the batch checksum, the
    /// SHA-256 of the batch's tuples alone, so a batch has the same checksum whichever COPY carried it. The first
    /// batch written goes after the header; several batches may follow in one COPY, ended by <see cref="EndAsync"/>.
    /// </summary>
    /// <exception cref="TargetLoadException">A record of another entity, or an amount that is not whole yen.</exception>
    public async ValueTask<string> WriteAsync(LoadBatch batch, Func<ReadOnlyMemory<byte>, ValueTask>? send)
    {
        foreach (var record in batch.Records)
        {
            LoadSupport.CheckEntity(batch, record);
            WriteRow(record, batch);
            if (_pos >= FlushAt) await FlushAsync(send).ConfigureAwait(false);
        }
        await FlushAsync(send).ConfigureAwait(false);
        return Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <summary>Sends the trailer that ends the COPY data (after the last batch).</summary>
    public async ValueTask EndAsync(Func<ReadOnlyMemory<byte>, ValueTask> send)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos), -1);
        _pos += 2;
        await send(_buffer.AsMemory(0, _pos)).ConfigureAwait(false);
        _pos = _hashed = 0;
    }

    async ValueTask FlushAsync(Func<ReadOnlyMemory<byte>, ValueTask>? send)
    {
        _hash.AppendData(_buffer, _hashed, _pos - _hashed);
        if (send is not null && _pos > 0) await send(_buffer.AsMemory(0, _pos)).ConfigureAwait(false);
        _pos = _hashed = 0;
    }

    void WriteRow(IStandardRecord record, LoadBatch batch)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos), (short)_items.Length);
        _pos += 2;
        var fields = new FieldWriter(this, batch);
        record.WriteValues(ref fields);
    }

    /// <summary>Encodes each value of a row as its column's binary input, without boxing the value types.</summary>
    readonly struct FieldWriter(BinaryCopyWriter owner, LoadBatch batch) : IStandardValueWriter
    {
        public void Text(int ordinal, string? value)
        {
            if (value is null) owner.Null();
            else owner.Text(value);
        }

        public void Int(int ordinal, int? value)
        {
            if (value is { } v) owner.Fixed4(BinaryPrimitives.ReverseEndianness(v));
            else owner.Null();
        }

        public void Decimal(int ordinal, decimal? value)
        {
            if (value is not { } amount)
            {
                owner.Null();
                return;
            }
            var item = owner._items[ordinal];
            if (item.Type != ItemType.Amount) throw Unsupported(item);
            // Scale 0 is whole by construction; only a scaled value (100.00, or 100.50) needs the truncation test.
            if (amount.Scale != 0 && decimal.Truncate(amount) != amount)
                throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: amount {CanonicalValue.Decimal(amount)} is not whole yen (numeric({item.Length},0) would round it)");
            owner.Numeric(amount);
        }

        public void Date(int ordinal, DateOnly? value)
        {
            if (value is { } v) owner.Fixed4(BinaryPrimitives.ReverseEndianness(v.DayNumber - EpochDayNumber));
            else owner.Null();
        }

        public void YearMonth(int ordinal, YearMonth? value)
        {
            if (value is { } v) owner.YearMonthText(v);
            else owner.Null();
        }

        public void Flag(int ordinal, bool? value)
        {
            if (value is not { } v)
            {
                owner.Null();
                return;
            }
            owner.Ensure(5);
            BinaryPrimitives.WriteInt32BigEndian(owner._buffer.AsSpan(owner._pos), 1);
            owner._buffer[owner._pos + 4] = v ? (byte)1 : (byte)0;
            owner._pos += 5;
        }

        public void Time(int ordinal, TimeOnly? value)
        {
            if (value is null) owner.Null();
            else throw Unsupported(owner._items[ordinal]);
        }

        public void Blob(int ordinal, byte[]? value)
        {
            if (value is null) owner.Null();
            else throw Unsupported(owner._items[ordinal]);
        }

        // The load fails as a batch (TargetLoadException from the caller's catch), naming the item.
        static InvalidCastException Unsupported(SpecItem item) =>
            new($"{item.ItemId} {item.NameJa}: values of item type {item.Type} have no binary COPY encoding yet");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // most items of most rows are empty: a NULL is one store, inline
    void Null()
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_pos), -1);
        _pos += 4;
    }

    void YearMonthText(YearMonth value)
    {
        Ensure(4 + 7);
        value.TryFormat(_buffer.AsSpan(_pos + 4), out var n, default, null);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_pos), n);
        _pos += 4 + n;
    }

    void Fixed4(int bigEndian)
    {
        Ensure(8);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_pos), 4);
        BitConverter.TryWriteBytes(_buffer.AsSpan(_pos + 4), bigEndian);
        _pos += 8;
    }

    void Text(string s)
    {
        // A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair, two units, takes 4). Strict: a lone
        // surrogate is an error, as in Npgsql, never a silent U+FFFD in a name.
        Ensure(4 + 3 * s.Length);
        var at = _pos + 4;
        var n = 0;
        if (s.Length <= ShortText)
        {
            // Codes, numbers and dates as text are short ASCII: copied a char at a time, without the transcoder's setup.
            var to = _buffer.AsSpan(at, s.Length);
            while (n < s.Length && s[n] < 0x80)
            {
                to[n] = (byte)s[n];
                n++;
            }
        }
        if (n < s.Length)
        {
            if (Utf8.FromUtf16(s.AsSpan(n), _buffer.AsSpan(at + n), out _, out var rest, replaceInvalidSequences: false) != OperationStatus.Done)
                throw new EncoderFallbackException($"a lone surrogate in a text value of {s.Length} characters: it has no UTF-8 form");
            n += rest;
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_pos), n);
        _pos = at + n;
    }

    /// <summary>A whole number as PostgreSQL numeric: ndigits, weight, sign, dscale (0), then base-10000 digits, most significant first.</summary>
    void Numeric(decimal whole)
    {
        Span<short> groups = stackalloc short[8]; // 10^28 < 10000^8
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(whole, bits);
        var negative = bits[3] < 0;
        var count = 0;
        if (whole.Scale == 0 && bits[2] == 0)
        {
            // The usual amount: an unscaled integer below 2^64, split without decimal arithmetic.
            var x = (ulong)(uint)bits[1] << 32 | (uint)bits[0];
            while (x > 0)
            {
                var q = x / 10000;
                groups[count++] = (short)(x - q * 10000);
                x = q;
            }
        }
        else
        {
            var rest = decimal.Truncate(Math.Abs(whole));
            while (rest > 0) { groups[count++] = (short)(rest % 10000); rest = decimal.Truncate(rest / 10000); }
        }
        // Trailing zero groups (the least significant) carry nothing: the weight places the rest.
        var low = 0;
        while (low < count && groups[low] == 0) low++;
        var digits = count - low;
        Ensure(4 + 8 + 2 * digits);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_pos), 8 + 2 * digits);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos + 4), (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos + 6), (short)(digits == 0 ? 0 : count - 1));
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos + 8), (short)(negative && digits > 0 ? 0x4000 : 0));
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_pos + 10), 0);
        var at = _pos + 12;
        for (var g = count - 1; g >= low; g--, at += 2) BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(at), groups[g]);
        _pos = at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per field: the check inline, the growth apart
    void Ensure(int bytes)
    {
        if (_pos + bytes > _buffer.Length) Grow(bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void Grow(int bytes)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _pos + bytes));
        _buffer.AsSpan(0, _pos).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        _hash.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
