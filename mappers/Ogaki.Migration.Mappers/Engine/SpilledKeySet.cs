using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A set of keys (for the duplicate-key check) that keeps the keys on disk and about 12 bytes per key in memory, so
/// a run's memory does not grow with the estate by the keys' text. Each key is appended to a temporary file; memory
/// holds an open-addressing table of 8-byte slots, each the key's offset in the file beside 24 bits of its hash.
/// A slot whose hash bits match is confirmed by reading that key back: the answer is exact, never a hash guess.
/// The file may hold personal data: it is created in the caller's temporary folder and deleted on dispose.
/// Not thread-safe.
/// </summary>
public sealed class SpilledKeySet : IDisposable
{
    const int OffsetBits = 40;
    const ulong OffsetMask = (1UL << OffsetBits) - 1;
    const int WriteBufferBytes = 1 << 16;

    readonly string _path;
    readonly SafeFileHandle _file;
    readonly byte[] _writeBuffer = new byte[WriteBufferBytes];
    int _buffered;
    long _flushed;
    ulong[] _slots;
    byte[] _scratch = new byte[256];

    /// <param name="tempDirectory">Folder for the key file (default: the system temp folder).</param>
    /// <param name="initialSlots">Slots of the table before it first grows (a power of two; small in tests).</param>
    public SpilledKeySet(string? tempDirectory = null, int initialSlots = 1 << 12)
    {
        if (initialSlots < 2 || (initialSlots & (initialSlots - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(initialSlots), "a power of two of at least 2");
        _slots = new ulong[initialSlots];
        _path = Path.Combine(tempDirectory ?? Path.GetTempPath(), "ogaki-keys-" + Guid.NewGuid().ToString("N") + ".keys");
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    /// <summary>Keys in the set.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of the key file (flushed or still buffered).</summary>
    public long FileBytes => _flushed + _buffered;

    /// <summary>Adds <paramref name="key"/>; false when it was already in the set (compared ordinally).</summary>
    public bool Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetByteCount(key);
        if (_scratch.Length < 4 + length) _scratch = new byte[Math.Max(4 + length, _scratch.Length * 2)];
        BinaryPrimitives.WriteInt32LittleEndian(_scratch, length);
        Encoding.UTF8.GetBytes(key, _scratch.AsSpan(4));
        var record = _scratch.AsSpan(0, 4 + length);
        var hash = Hash(record[4..]);
        var mask = _slots.Length - 1;
        var fingerprint = hash >> OffsetBits;
        for (var i = (int)(hash & (ulong)mask); ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot == 0) break;
            if (slot >> OffsetBits == fingerprint && SameAt((long)(slot & OffsetMask) - 1, record)) return false;
        }
        var offset = Append(record);
        if (offset + 1 > (long)OffsetMask) throw new IOException($"the key file {_path} outgrew {OffsetMask} bytes");
        Count++;
        if (Count * 10 > _slots.Length * 7L) Grow(); // at most 70 % full, so a miss stops after a few probes
        else Insert(_slots, hash, offset);
        return true;
    }

    long Append(ReadOnlySpan<byte> record)
    {
        if (_buffered + record.Length > _writeBuffer.Length) Flush();
        var offset = _flushed + _buffered;
        if (record.Length > _writeBuffer.Length)
        {
            RandomAccess.Write(_file, record, _flushed);
            _flushed += record.Length;
            return offset;
        }
        record.CopyTo(_writeBuffer.AsSpan(_buffered));
        _buffered += record.Length;
        return offset;
    }

    void Flush()
    {
        if (_buffered == 0) return;
        RandomAccess.Write(_file, _writeBuffer.AsSpan(0, _buffered), _flushed);
        _flushed += _buffered;
        _buffered = 0;
    }

    /// <summary>True when the record stored at <paramref name="offset"/> is <paramref name="record"/> (length prefix and bytes).</summary>
    bool SameAt(long offset, ReadOnlySpan<byte> record)
    {
        // A record lies wholly in the file or wholly in the write buffer (the buffer is flushed whole).
        if (offset >= _flushed)
            return _writeBuffer.AsSpan((int)(offset - _flushed)).StartsWith(record);
        var stored = ArrayPool<byte>.Shared.Rent(record.Length);
        try
        {
            var span = stored.AsSpan(0, record.Length);
            var read = 0;
            while (read < span.Length)
            {
                var n = RandomAccess.Read(_file, span[read..], offset + read);
                if (n == 0) break;
                read += n;
            }
            return read == span.Length && span.SequenceEqual(record);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
        }
    }

    static void Insert(ulong[] slots, ulong hash, long offset)
    {
        var mask = slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = (hash >> OffsetBits << OffsetBits) | (ulong)(offset + 1);
    }

    /// <summary>Doubles the table, reading the key file once to hash every key again (the slots keep only part of each hash).</summary>
    void Grow()
    {
        Flush();
        var slots = new ulong[checked(_slots.Length * 2)];
        _slots = []; // the old table goes before the file is read
        var buffer = ArrayPool<byte>.Shared.Rent(WriteBufferBytes);
        try
        {
            long position = 0;
            int start = 0, end = 0;
            while (position + start < _flushed)
            {
                if (end - start < 4 || end - start < 4 + BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start)))
                {
                    var have = end - start;
                    var need = have < 4 ? 4 : 4 + BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
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
                    if (n == 0) throw new InvalidDataException($"the key file {_path} ends inside a key");
                    end += n;
                    continue;
                }
                var length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start));
                Insert(slots, Hash(buffer.AsSpan(start + 4, length)), position + start);
                start += 4 + length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _slots = slots;
    }

    /// <summary>FNV-1a over the key's UTF-8 bytes, mixed (SplitMix64) so the low bits (the slot) and high bits (kept) are both spread.</summary>
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
