using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Ogaki.Migration.Spec;

/// <summary>
/// Reads a row in canonical form: the <see cref="CanonicalValue"/> encodings of its items one after the other
/// (0x00 for null, or 0x01, the UTF-8 length as LEB128 and the UTF-8 canonical text). The same bytes are what
/// <see cref="CanonicalValue.HashRow"/> hashes, so two rows are equal exactly when their encodings are.
/// </summary>
public static class CanonicalRow
{
    /// <summary>Reads the field at <paramref name="pos"/>: false for null, else the text's range; returns the next position.</summary>
    public static int Read(ReadOnlySpan<byte> row, int pos, out int textStart, out int textLength)
    {
        if (row[pos] == 0)
        {
            textStart = pos + 1;
            textLength = -1;
            return pos + 1;
        }
        pos++;
        var len = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = row[pos++];
            len |= (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        textStart = pos;
        textLength = len;
        return pos + len;
    }

    /// <summary>The canonical texts of the row's items (null for null).</summary>
    public static string?[] Texts(ReadOnlySpan<byte> row, int items)
    {
        var texts = new string?[items];
        var pos = 0;
        for (var i = 0; i < items; i++)
        {
            pos = Read(row, pos, out var start, out var len);
            texts[i] = len < 0 ? null : Encoding.UTF8.GetString(row.Slice(start, len));
        }
        return texts;
    }

    /// <summary>
    /// Finds the items at <paramref name="ordinals"/> (ascending) in one pass: their text ranges go to
    /// <paramref name="starts"/>/<paramref name="lengths"/> (length −1 for null).
    /// </summary>
    public static void Locate(ReadOnlySpan<byte> row, ReadOnlySpan<int> ordinals, Span<int> starts, Span<int> lengths)
    {
        var pos = 0;
        var next = 0;
        for (var i = 0; next < ordinals.Length; i++)
        {
            pos = Read(row, pos, out var start, out var len);
            if (i != ordinals[next]) continue;
            starts[next] = start;
            lengths[next] = len;
            next++;
        }
    }
}

/// <summary>
/// The sort key of an entity's rows as bytes whose plain byte order (memcmp) is the key order the target reads
/// back in: per key item 0xFF for null (nulls last, PostgreSQL's default for an ascending order; only a key altered
/// behind the pipeline's back can be null), else 0x01 and — for whole numbers — eight big-endian bytes with the sign
/// bit flipped, for everything else the UTF-8 canonical text and a 0x00 terminator. UTF-8 byte order is the
/// order of PostgreSQL's C collation and SQLite's BINARY collation; <c>yyyy-MM-dd</c> and <c>yyyy-MM</c> texts sort
/// chronologically. Both sides derive their keys from their canonical rows with the same code, so they cannot disagree.
/// </summary>
public sealed class CanonicalKey
{
    readonly int[] _ordinals;
    readonly int[] _sortedOrdinals;
    readonly int[] _keyIndexOfSorted;
    readonly bool[] _numeric;

    public CanonicalKey(SpecEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        Entity = entity;
        var items = entity.Key.Select(k => entity.Find(k) ?? throw new ArgumentException($"key item {k} is not an item of {entity.Name}", nameof(entity))).ToArray();
        foreach (var i in items)
            if (i.Type is ItemType.Amount)
                throw new NotSupportedException($"{entity.Name}: key item {i.Identifier} is an amount; keys are text, whole numbers, dates, 年月 or flags");
        _ordinals = items.Select(i => i.Ordinal).ToArray();
        _numeric = items.Select(i => i.Type == ItemType.Int).ToArray();
        _sortedOrdinals = _ordinals.Order().ToArray();
        _keyIndexOfSorted = _sortedOrdinals.Select(o => Array.IndexOf(_ordinals, o)).ToArray();
    }

    public SpecEntity Entity { get; }

    /// <summary>The ordinals of the key items, in key order.</summary>
    public IReadOnlyList<int> Ordinals => _ordinals;

    /// <summary>Most bytes <see cref="Write"/> needs for a row of <paramref name="rowLength"/> bytes.</summary>
    public int MaxLength(int rowLength) => rowLength + _ordinals.Length * 10;

    /// <summary>Writes the key of a canonical row; returns its length.</summary>
    /// <exception cref="InvalidDataException">A whole-number key item whose text is not a whole number.</exception>
    public int Write(ReadOnlySpan<byte> row, Span<byte> dest)
    {
        Span<int> sortedStarts = stackalloc int[_ordinals.Length];
        Span<int> sortedLengths = stackalloc int[_ordinals.Length];
        CanonicalRow.Locate(row, _sortedOrdinals, sortedStarts, sortedLengths);
        Span<int> starts = stackalloc int[_ordinals.Length];
        Span<int> lengths = stackalloc int[_ordinals.Length];
        for (var s = 0; s < _sortedOrdinals.Length; s++)
        {
            starts[_keyIndexOfSorted[s]] = sortedStarts[s];
            lengths[_keyIndexOfSorted[s]] = sortedLengths[s];
        }
        var pos = 0;
        for (var k = 0; k < _ordinals.Length; k++)
        {
            if (lengths[k] < 0)
            {
                dest[pos++] = 0xFF;
                continue;
            }
            dest[pos++] = 1;
            var text = row.Slice(starts[k], lengths[k]);
            if (_numeric[k])
            {
                if (!Utf8Parser.TryParse(text, out long n, out var used) || used != text.Length)
                    throw new InvalidDataException($"{Entity.Name}: key item {Entity.Items[_ordinals[k]].Identifier} is not a whole number");
                BinaryPrimitives.WriteUInt64BigEndian(dest[pos..], (ulong)n ^ 0x8000_0000_0000_0000UL);
                pos += 8;
                continue;
            }
            text.CopyTo(dest[pos..]);
            pos += text.Length;
            dest[pos++] = 0;
        }
        return pos;
    }
}

/// <summary>
/// Rows in canonical form packed in one growing buffer, each followed by its <see cref="CanonicalKey"/> bytes:
/// per row <c>[int32 row length][int32 key length][row][key]</c>. Reused between batches (<see cref="Clear"/>),
/// so streaming rows through it allocates nothing per row.
/// </summary>
public sealed class CanonicalRowBatch
{
    byte[] _data;
    int[] _starts;
    int _length;
    int _rowStart = -1;

    public CanonicalRowBatch(int capacityBytes = 1 << 16, int capacityRows = 1024)
    {
        _data = new byte[Math.Max(capacityBytes, 64)];
        _starts = new int[Math.Max(capacityRows, 1)];
    }

    /// <summary>Rows in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes held (rows, keys and headers).</summary>
    public int Length => _length;

    /// <summary>Bytes and rows the batch holds before it grows: a batch made as large as a full one never grows.</summary>
    public (int Bytes, int Rows) Capacity => (_data.Length, _starts.Length);

    public void Clear()
    {
        Count = 0;
        _length = 0;
        _rowStart = -1;
    }

    /// <summary>The canonical row <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Row(int index)
    {
        var s = _starts[index];
        return _data.AsSpan(s + 8, BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(s)));
    }

    /// <summary>The sort key of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Key(int index)
    {
        var s = _starts[index];
        var rowLength = BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(s));
        return _data.AsSpan(s + 8 + rowLength, BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(s + 4)));
    }

    /// <summary>Header, row and key of row <paramref name="index"/> as stored (for spill files).</summary>
    public ReadOnlySpan<byte> Record(int index)
    {
        var s = _starts[index];
        return _data.AsSpan(s, 8 + BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(s)) + BinaryPrimitives.ReadInt32LittleEndian(_data.AsSpan(s + 4)));
    }

    /// <summary>Adds a stored record (<see cref="Record"/>) of another batch or a spill file.</summary>
    public void AddRecord(ReadOnlySpan<byte> record)
    {
        EnsureRows();
        Ensure(record.Length);
        _starts[Count++] = _length;
        record.CopyTo(_data.AsSpan(_length));
        _length += record.Length;
    }

    /// <summary>Adds a row and its key.</summary>
    public void Add(ReadOnlySpan<byte> row, ReadOnlySpan<byte> key)
    {
        EnsureRows();
        Ensure(8 + row.Length + key.Length);
        _starts[Count++] = _length;
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(_length), row.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(_length + 4), key.Length);
        row.CopyTo(_data.AsSpan(_length + 8));
        key.CopyTo(_data.AsSpan(_length + 8 + row.Length));
        _length += 8 + row.Length + key.Length;
    }

    /// <summary>Adds a row of values (spec item order, CLR types of the generated records) and its key.</summary>
    public void Add(ReadOnlySpan<object?> values, CanonicalKey key)
    {
        BeginRow();
        try
        {
            foreach (var v in values) Append(v);
            EndRow(key);
        }
        catch
        {
            AbandonRow();
            throw;
        }
    }

    /// <summary>Adds a standard record (its values through <see cref="IStandardRecord.WriteValues"/>, unboxed) and its key.</summary>
    public void Add(IStandardRecord record, CanonicalKey key)
    {
        ArgumentNullException.ThrowIfNull(record);
        BeginRow();
        try
        {
            var appender = new Appender(this);
            record.WriteValues(ref appender);
            EndRow(key);
        }
        catch
        {
            AbandonRow();
            throw;
        }
    }

    /// <summary>Starts a row; append its values in item order, then <see cref="EndRow"/>.</summary>
    public void BeginRow()
    {
        Ensure(8);
        _rowStart = _length;
        _length += 8;
    }

    /// <summary>Appends a standard value (any CLR type of a generated record) in canonical form.</summary>
    public void Append(object? value)
    {
        if (value is null)
        {
            AppendNull();
            return;
        }
        Ensure(CanonicalValue.MaxEncodedLength(value));
        _length += CanonicalValue.WriteValue(value, _data.AsSpan(_length));
    }

    public void AppendNull()
    {
        Ensure(1);
        _data[_length++] = 0;
    }

    /// <summary>Appends a value given as its UTF-8 canonical text.</summary>
    public void AppendText(ReadOnlySpan<byte> utf8)
    {
        Ensure(6 + utf8.Length);
        _data[_length++] = 1;
        _length += CanonicalValue.WriteVarint(_data.AsSpan(_length), (uint)utf8.Length);
        utf8.CopyTo(_data.AsSpan(_length));
        _length += utf8.Length;
    }

    /// <summary>Appends a whole number in canonical form (no boxing).</summary>
    public void AppendInt(long value)
    {
        Span<byte> text = stackalloc byte[24];
        value.TryFormat(text, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        AppendText(text[..n]);
    }

    /// <summary>Appends a date in canonical form (<c>yyyy-MM-dd</c>, no boxing).</summary>
    public void AppendDate(DateOnly value)
    {
        Span<byte> text = stackalloc byte[10];
        AppendText(text[..CanonicalValue.FormatDate(value, text)]);
    }

    /// <summary>Appends a flag in canonical form (<c>true</c>/<c>false</c>).</summary>
    public void AppendFlag(bool value) => AppendText(value ? "true"u8 : "false"u8);

    /// <summary>Appends a decimal in canonical form (exact, no trailing fractional zeros; no boxing).</summary>
    public void AppendDecimal(decimal value)
    {
        Span<byte> text = stackalloc byte[40];
        AppendText(text[..CanonicalValue.FormatDecimal(value, text)]);
    }

    /// <summary>Appends a 年月 in canonical form (<c>yyyy-MM</c>, no boxing).</summary>
    public void AppendYearMonth(YearMonth value)
    {
        Span<byte> text = stackalloc byte[7];
        value.TryFormat(text, out var n, default, null);
        AppendText(text[..n]);
    }

    /// <summary>Appends each value of a record as <see cref="Append"/> would, without boxing the value types.</summary>
    readonly struct Appender(CanonicalRowBatch batch) : IStandardValueWriter
    {
        public void Text(int ordinal, string? value) => batch.Append(value);

        public void Int(int ordinal, int? value)
        {
            if (value is { } v) batch.AppendInt(v);
            else batch.AppendNull();
        }

        public void Decimal(int ordinal, decimal? value)
        {
            if (value is { } v) batch.AppendDecimal(v);
            else batch.AppendNull();
        }

        public void Date(int ordinal, DateOnly? value)
        {
            if (value is { } v) batch.AppendDate(v);
            else batch.AppendNull();
        }

        public void YearMonth(int ordinal, YearMonth? value)
        {
            if (value is { } v) batch.AppendYearMonth(v);
            else batch.AppendNull();
        }

        public void Flag(int ordinal, bool? value)
        {
            if (value is { } v) batch.AppendFlag(v);
            else batch.AppendNull();
        }

        // No spec item of these types has a canonical form yet: the object path names the type in its error.
        public void Time(int ordinal, TimeOnly? value) => batch.Append(value);

        public void Blob(int ordinal, byte[]? value) => batch.Append(value);
    }

    /// <summary>Ends the row begun with <see cref="BeginRow"/> and writes its key.</summary>
    public void EndRow(CanonicalKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_rowStart < 0) throw new InvalidOperationException("EndRow without BeginRow");
        var rowLength = _length - _rowStart - 8;
        Ensure(key.MaxLength(rowLength));
        var keyLength = key.Write(_data.AsSpan(_rowStart + 8, rowLength), _data.AsSpan(_length));
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(_rowStart), rowLength);
        BinaryPrimitives.WriteInt32LittleEndian(_data.AsSpan(_rowStart + 4), keyLength);
        _length += keyLength;
        EnsureRows();
        _starts[Count++] = _rowStart;
        _rowStart = -1;
    }

    /// <summary>Drops a row begun with <see cref="BeginRow"/> (e.g. when reading it failed).</summary>
    public void AbandonRow()
    {
        if (_rowStart < 0) return;
        _length = _rowStart;
        _rowStart = -1;
    }

    /// <summary>
    /// Rows of values (spec item order, CLR types of the generated records) in canonical form, in batches of up to
    /// 1,024 rows, each valid until the next is requested. A row with the wrong number of values fails the stream,
    /// naming <paramref name="side"/> and the row.
    /// </summary>
    public static async IAsyncEnumerable<CanonicalRowBatch> FromValuesAsync(SpecEntity entity, IAsyncEnumerable<object?[]> rows, string side = "source",
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(rows);
        var key = new CanonicalKey(entity);
        var batch = new CanonicalRowBatch();
        var items = entity.Items.Count;
        long n = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            n++;
            if (row.Length != items)
                throw new InvalidDataException(FormattableString.Invariant($"{side} row {n} has {row.Length} values; {entity.Name} has {items} items"));
            batch.Add(row, key);
            if (batch.Count < 1024) continue;
            yield return batch;
            batch.Clear();
        }
        if (batch.Count > 0) yield return batch;
    }

    void EnsureRows()
    {
        if (Count == _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
    }

    void Ensure(int more)
    {
        if (_length + more <= _data.Length) return;
        Array.Resize(ref _data, Math.Max(_data.Length * 2, _length + more));
    }
}
