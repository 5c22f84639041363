using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A map from text keys to small byte values that keeps keys and values on disk and about 12 bytes per key in memory,
/// so a run's memory does not grow with the estate by the keys' text. Each entry is appended to a temporary file;
/// memory holds an open-addressing table of 8-byte slots, each the entry's offset in the file beside 24 bits of its
/// key's hash. A slot whose hash bits match is confirmed by reading that key back: the answer is exact, never a hash
/// guess. The first value added for a key stays (<see cref="TryAdd"/> as <see cref="Dictionary{TKey,TValue}.TryAdd"/>).
/// Keys are stored as their UTF-16 code units, so every string (whatever its characters) is its own key.
/// The file may hold personal data: it is created in the caller's temporary folder and deleted on dispose.
/// One writer; readers may run on several threads at once while nothing is added.
/// </summary>
public sealed class SpilledKeyMap : IDisposable
{
    const int OffsetBits = 40;
    const ulong OffsetMask = (1UL << OffsetBits) - 1;
    const int WriteBufferBytes = 1 << 16;
    const int HeaderBytes = 8; // [int32 key bytes][int32 value bytes], then the key and the value

    readonly string _path;
    readonly SafeFileHandle _file;
    readonly byte[] _writeBuffer = new byte[WriteBufferBytes];
    int _buffered;
    long _flushed;
    ulong[] _slots;
    byte[] _scratch = new byte[256];

    /// <param name="tempDirectory">Folder for the file (default: the system temp folder).</param>
    /// <param name="initialSlots">Slots of the table before it first grows (a power of two; small in tests).</param>
    public SpilledKeyMap(string? tempDirectory = null, int initialSlots = 1 << 12)
    {
        if (initialSlots < 2 || (initialSlots & (initialSlots - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(initialSlots), "a power of two of at least 2");
        _slots = new ulong[initialSlots];
        _path = Path.Combine(tempDirectory ?? Path.GetTempPath(), "ogaki-keys-" + Guid.NewGuid().ToString("N") + ".keys");
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    /// <summary>Keys in the map.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of the file (flushed or still buffered).</summary>
    public long FileBytes => _flushed + _buffered;

    /// <summary>Adds <paramref name="key"/> with <paramref name="value"/>; false (and the value unchanged) when the key was there already.</summary>
    public bool TryAdd(string key, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyBytes = MemoryMarshal.AsBytes(key.AsSpan());
        var hash = Hash(keyBytes);
        if (Find(keyBytes, hash) >= 0) return false;
        var length = HeaderBytes + keyBytes.Length + value.Length;
        if (_scratch.Length < length) _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, keyBytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_scratch.AsSpan(4), value.Length);
        keyBytes.CopyTo(_scratch.AsSpan(HeaderBytes));
        value.CopyTo(_scratch.AsSpan(HeaderBytes + keyBytes.Length));
        var offset = Append(_scratch.AsSpan(0, length));
        if (offset + 1 > (long)OffsetMask) throw new IOException($"the key file {_path} outgrew {OffsetMask} bytes");
        Count++;
        if (Count * 10 > _slots.Length * 7L) Grow(); // at most 70 % full, so a miss stops after a few probes
        else Insert(_slots, hash, offset);
        return true;
    }

    public bool ContainsKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyBytes = MemoryMarshal.AsBytes(key.AsSpan());
        return Find(keyBytes, Hash(keyBytes)) >= 0;
    }

    /// <summary>The value added with <paramref name="key"/> (a copy), or false.</summary>
    public bool TryGetValue(string key, out byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var keyBytes = MemoryMarshal.AsBytes(key.AsSpan());
        var offset = Find(keyBytes, Hash(keyBytes));
        if (offset < 0)
        {
            value = [];
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderBytes];
        ReadAt(offset, header);
        value = new byte[BinaryPrimitives.ReadInt32LittleEndian(header[4..])];
        ReadAt(offset + HeaderBytes + keyBytes.Length, value);
        return true;
    }

    /// <summary>Called with each key (its UTF-16 bytes) and value, in the order they were added.</summary>
    public delegate void EntryAction(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Reads the file once, calling <paramref name="action"/> for every entry in the order they were added.</summary>
    public void ForEach(EntryAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Flush();
        var buffer = ArrayPool<byte>.Shared.Rent(WriteBufferBytes);
        try
        {
            long position = 0;
            int start = 0, end = 0;
            while (position + start < _flushed)
            {
                var have = end - start;
                var need = have < HeaderBytes ? HeaderBytes
                    : HeaderBytes + BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start)) + BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start + 4));
                if (have < need)
                {
                    if (need > buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(need);
                        buffer.AsSpan(start, have).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    else buffer.AsSpan(start, have).CopyTo(buffer);
                    position += start;
                    start = 0;
                    end = have;
                    var n = RandomAccess.Read(_file, buffer.AsSpan(end), position + end);
                    if (n == 0) throw new InvalidDataException($"the key file {_path} ends inside an entry");
                    end += n;
                    continue;
                }
                var keyLength = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
                var valueLength = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start + 4));
                action(buffer.AsSpan(start + HeaderBytes, keyLength), buffer.AsSpan(start + HeaderBytes + keyLength, valueLength));
                start += need;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The file offset of the entry of <paramref name="key"/>, or -1. Safe on several threads while nothing is added.</summary>
    long Find(ReadOnlySpan<byte> key, ulong hash)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var fingerprint = hash >> OffsetBits;
        for (var i = (int)(hash & (ulong)mask); ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == 0) return -1;
            var offset = (long)(slot & OffsetMask) - 1;
            if (slot >> OffsetBits == fingerprint && KeyAt(offset, key)) return offset;
        }
    }

    long Append(ReadOnlySpan<byte> entry)
    {
        if (_buffered + entry.Length > _writeBuffer.Length) Flush();
        var offset = _flushed + _buffered;
        if (entry.Length > _writeBuffer.Length)
        {
            RandomAccess.Write(_file, entry, _flushed);
            _flushed += entry.Length;
            return offset;
        }
        entry.CopyTo(_writeBuffer.AsSpan(_buffered));
        _buffered += entry.Length;
        return offset;
    }

    void Flush()
    {
        if (_buffered == 0) return;
        RandomAccess.Write(_file, _writeBuffer.AsSpan(0, _buffered), _flushed);
        _flushed += _buffered;
        _buffered = 0;
    }

    /// <summary>Reads <paramref name="into"/>.Length bytes at <paramref name="offset"/>, from the file or the write buffer.</summary>
    void ReadAt(long offset, Span<byte> into)
    {
        // An entry lies wholly in the file or wholly in the write buffer (the buffer is flushed whole).
        if (offset >= _flushed)
        {
            _writeBuffer.AsSpan((int)(offset - _flushed), into.Length).CopyTo(into);
            return;
        }
        var read = 0;
        while (read < into.Length)
        {
            var n = RandomAccess.Read(_file, into[read..], offset + read);
            if (n == 0) throw new InvalidDataException($"the key file {_path} ends inside an entry");
            read += n;
        }
    }

    /// <summary>True when the entry at <paramref name="offset"/> has the key <paramref name="key"/> (one read of header and key).</summary>
    bool KeyAt(long offset, ReadOnlySpan<byte> key)
    {
        // An entry lies wholly in the file or wholly in the write buffer (the buffer is flushed whole).
        if (offset >= _flushed)
        {
            var entry = _writeBuffer.AsSpan((int)(offset - _flushed));
            return BinaryPrimitives.ReadInt32LittleEndian(entry) == key.Length && entry.Slice(HeaderBytes, key.Length).SequenceEqual(key);
        }
        var length = HeaderBytes + key.Length;
        var stored = length <= 256 ? null : ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> span = stored is null ? stackalloc byte[length] : stored.AsSpan(0, length);
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(_file, span[read..], offset + read);
                if (n == 0) break; // a shorter entry at the end of the file: not this key
                read += n;
            }
            return read == length && BinaryPrimitives.ReadInt32LittleEndian(span) == key.Length && span[HeaderBytes..].SequenceEqual(key);
        }
        finally
        {
            if (stored is not null) ArrayPool<byte>.Shared.Return(stored);
        }
    }

    static void Insert(ulong[] slots, ulong hash, long offset)
    {
        var mask = slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = (hash >> OffsetBits << OffsetBits) | (ulong)(offset + 1);
    }

    /// <summary>Doubles the table, reading the file once to hash every key again (the slots keep only part of each hash).</summary>
    void Grow()
    {
        var slots = new ulong[checked(_slots.Length * 2)];
        _slots = []; // the old table goes before the file is read
        long offset = 0;
        ForEach((key, value) =>
        {
            Insert(slots, Hash(key), offset);
            offset += HeaderBytes + key.Length + value.Length;
        });
        _slots = slots;
    }

    /// <summary>FNV-1a over the key's bytes, mixed (SplitMix64) so the low bits (the slot) and high bits (kept) are both spread.</summary>
    static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var h = 14695981039346656037UL;
        foreach (var b in bytes) h = (h ^ b) * 1099511628211UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }

    public void Dispose()
    {
        _file.Dispose();
        _slots = [];
        try { File.Delete(_path); }
        catch (IOException) { /* DeleteOnClose removed it already; best effort otherwise */ }
    }
}
