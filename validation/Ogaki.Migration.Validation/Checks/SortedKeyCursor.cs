using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Canonical;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>
/// Reads an <see cref="ExternalRowSorter"/>'s rows in key order one at a time, for merge joins of sorted key streams.
/// Key and row are valid until the next <see cref="MoveNext"/>.
/// </summary>
sealed class SortedKeyCursor : IDisposable
{
    readonly IEnumerator<CanonicalRowBatch> _batches;
    CanonicalRowBatch? _batch;
    int _index;

    public SortedKeyCursor(ExternalRowSorter sorter)
    {
        // The sorter's only awaits are its own background spill tasks: waiting on them here cannot deadlock.
        _batches = sorter.SortedAsync().ToBlockingEnumerable().GetEnumerator();
        NextBatch();
    }

    public bool HasRow => _batch is not null;

    public ReadOnlySpan<byte> Key => _batch!.Key(_index);

    public ReadOnlySpan<byte> Row => _batch!.Row(_index);

    /// <summary>True when the cursor stands on a row whose key is <paramref name="key"/>.</summary>
    public bool At(ReadOnlySpan<byte> key) => _batch is not null && _batch.Key(_index).SequenceEqual(key);

    public void MoveNext()
    {
        if (_batch is not null && ++_index < _batch.Count) return;
        NextBatch();
    }

    /// <summary>Skips the rows whose key sorts before <paramref name="key"/>.</summary>
    public void SkipBefore(ReadOnlySpan<byte> key)
    {
        while (_batch is not null && _batch.Key(_index).SequenceCompareTo(key) < 0) MoveNext();
    }

    void NextBatch()
    {
        _batch = null;
        _index = 0;
        while (_batches.MoveNext())
            if (_batches.Current.Count > 0) { _batch = _batches.Current; return; }
    }

    public void Dispose() => _batches.Dispose();
}

/// <summary>
/// The byte forms of spilled keys and rows. A text key is UTF-16 big-endian, so comparing its bytes orders exactly as
/// <see cref="StringComparer.Ordinal"/>; an arrival key is a big-endian counter, so its bytes order as the numbers do.
/// Texts in rows are UTF-16 as in memory, so every string (whatever its characters) comes back unchanged.
/// </summary>
sealed class SpillBytes
{
    byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public SpillBytes Clear()
    {
        Length = 0;
        return this;
    }

    /// <summary>Appends <paramref name="value"/> as a key (UTF-16 big-endian, no length: one text per key).</summary>
    public SpillBytes KeyText(string value)
    {
        var at = Reserve(value.Length * 2);
        foreach (var c in value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), c);
            at += 2;
        }
        return this;
    }

    /// <summary>Appends a key of the arrival number <paramref name="value"/> (big-endian, so byte order is arrival order).</summary>
    public SpillBytes KeyArrival(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(Reserve(8)), value);
        return this;
    }

    public SpillBytes Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(Reserve(8)), value);
        return this;
    }

    public SpillBytes Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(Reserve(4)), value);
        return this;
    }

    public SpillBytes Byte(byte value)
    {
        _buffer[Reserve(1)] = value;
        return this;
    }

    /// <summary>Appends a nullable text of a row: its length in chars (-1 for null), then its UTF-16 code units.</summary>
    public SpillBytes Text(string? value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(Reserve(4)), value?.Length ?? -1);
        if (value is not null) MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(_buffer.AsSpan(Reserve(value.Length * 2)));
        return this;
    }

    /// <summary>Appends the bytes of <paramref name="value"/> as they are (e.g. a key copied from a cursor).</summary>
    public SpillBytes Raw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.AsSpan(Reserve(value.Length)));
        return this;
    }

    int Reserve(int bytes)
    {
        if (Length + bytes > _buffer.Length) Array.Resize(ref _buffer, Math.Max(Length + bytes, _buffer.Length * 2));
        var at = Length;
        Length += bytes;
        return at;
    }

    /// <summary>The text of a key written by <see cref="KeyText"/>.</summary>
    public static string KeyTextOf(ReadOnlySpan<byte> key)
    {
        var chars = new char[key.Length / 2];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)BinaryPrimitives.ReadUInt16BigEndian(key[(2 * i)..]);
        return new string(chars);
    }

    /// <summary>Reads a text written by <see cref="Text"/> and moves <paramref name="row"/> past it.</summary>
    public static string? ReadText(ref ReadOnlySpan<byte> row)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(row);
        row = row[4..];
        if (length < 0) return null;
        var text = MemoryMarshal.Cast<byte, char>(row[..(length * 2)]).ToString();
        row = row[(length * 2)..];
        return text;
    }
}
