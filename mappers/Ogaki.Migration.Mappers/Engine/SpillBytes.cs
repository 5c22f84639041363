using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// The byte forms of spilled keys and rows. A text key is UTF-16 big-endian, so comparing its bytes orders exactly as
/// <see cref="StringComparer.Ordinal"/>; an arrival key is a big-endian counter, so its bytes order as the numbers do.
/// Texts in rows are UTF-16 as in memory, so every string (whatever its characters) comes back unchanged. One
/// instance is a reusable buffer for writing (not thread-safe); the static readers take the bytes apart again.
/// </summary>
public sealed class SpillBytes
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

    public static byte ReadByte(ref ReadOnlySpan<byte> row)
    {
        var value = row[0];
        row = row[1..];
        return value;
    }

    public static int ReadInt32(ref ReadOnlySpan<byte> row)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(row);
        row = row[4..];
        return value;
    }

    public static long ReadInt64(ref ReadOnlySpan<byte> row)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(row);
        row = row[8..];
        return value;
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
