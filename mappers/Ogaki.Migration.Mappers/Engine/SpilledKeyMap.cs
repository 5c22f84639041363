using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A map from text keys to small byte values whose memory does not grow with the number of keys beyond about
/// 1.5 bytes a key. Each entry is appended to a temporary file. The newest entries are found through an in-memory
/// open-addressing table of their hashes and file offsets; when it is 70 % full its (hash, offset) pairs go to a run
/// file sorted by hash, and memory keeps only a Bloom filter (about 10 bits a key) and every 256th hash of the run.
/// Runs of the same size are merged four at a time, so a lookup reads a few runs at most, and a run is read only
/// when its filter says the key may be there. A candidate is confirmed by reading its key back: the answer is
/// exact, never a hash guess. The first value added for a key stays (<see cref="TryAdd"/> as
/// <see cref="Dictionary{TKey,TValue}.TryAdd"/>). Keys are stored as their UTF-16 code units, so every string
/// (whatever its characters) is its own key. The files may hold personal data: they are created in the caller's
/// temporary folder and deleted on dispose. One writer; readers may run on several threads at once while nothing
/// is added.
/// </summary>
public sealed class SpilledKeyMap : IDisposable
{
    const int WriteBufferBytes = 1 << 16;
    const int HeaderBytes = 8; // an entry: [int32 key bytes][int32 value bytes], the key, the value
    const int PairBytes = 16; // a run: (hash, offset) pairs sorted by hash
    const int BlockPairs = 256; // pairs read at once from a run (4 KiB); memory keeps the first hash of each block
    const int RunsMerged = 4;
    const int ProbeBytes = 256; // bytes read to confirm a key: header, key and, for most entries, the value

    readonly string _folder;
    readonly string _path;
    readonly SafeFileHandle _file;
    readonly byte[] _writeBuffer = new byte[WriteBufferBytes];
    int _buffered;
    long _flushed;
    readonly ulong[] _hashes;
    readonly long[] _offsets; // entry offset + 1; 0 is an empty slot
    int _tableCount;
    readonly List<Run> _runs = [];
    byte[] _scratch = new byte[256];

    /// <param name="tempDirectory">Folder for the files (default: the system temp folder).</param>
    /// <param name="tableSlots">Slots of the in-memory table of the newest entries (a power of two, at least 4; small in tests).</param>
    public SpilledKeyMap(string? tempDirectory = null, int tableSlots = 1 << 16)
    {
        if (tableSlots < 4 || (tableSlots & (tableSlots - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(tableSlots), "a power of two of at least 4");
        _hashes = new ulong[tableSlots];
        _offsets = new long[tableSlots];
        _folder = tempDirectory ?? Path.GetTempPath();
        _path = NewPath(".keys");
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    /// <summary>Keys in the map.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of the entry file (flushed or still buffered).</summary>
    public long FileBytes => _flushed + _buffered;

    /// <summary>Sorted runs of (hash, offset) pairs on disk.</summary>
    public int Runs => _runs.Count;

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
        Count++;
        var mask = _hashes.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (_offsets[i] != 0) i = (i + 1) & mask;
        (_hashes[i], _offsets[i]) = (hash, offset + 1);
        if (++_tableCount * 10 >= _hashes.Length * 7) SpillTable(); // at most 70 % full, so a miss stops after a few probes
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
        var rented = HeaderBytes + keyBytes.Length > ProbeBytes ? ArrayPool<byte>.Shared.Rent(HeaderBytes + keyBytes.Length) : null;
        try
        {
            Span<byte> entry = rented is null ? stackalloc byte[ProbeBytes] : rented.AsSpan();
            var offset = Find(keyBytes, Hash(keyBytes), entry, out var got);
            if (offset < 0)
            {
                value = [];
                return false;
            }
            // The read that confirmed the key brought the value with it when the entry is short (most are).
            value = new byte[BinaryPrimitives.ReadInt32LittleEndian(entry[4..])];
            var at = HeaderBytes + keyBytes.Length;
            if (at + value.Length <= got) entry.Slice(at, value.Length).CopyTo(value);
            else ReadAt(offset + at, value);
            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The entry offset of <paramref name="key"/>, or -1: the table of the newest entries, then the runs.</summary>
    long Find(ReadOnlySpan<byte> key, ulong hash)
    {
        var rented = HeaderBytes + key.Length > ProbeBytes ? ArrayPool<byte>.Shared.Rent(HeaderBytes + key.Length) : null;
        try
        {
            return Find(key, hash, rented is null ? stackalloc byte[ProbeBytes] : rented.AsSpan(), out _);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>As <see cref="Find(ReadOnlySpan{byte}, ulong)"/>, leaving the first <paramref name="got"/> bytes of the entry found in <paramref name="entry"/>.</summary>
    long Find(ReadOnlySpan<byte> key, ulong hash, Span<byte> entry, out int got)
    {
        got = 0;
        var mask = _hashes.Length - 1;
        for (var i = (int)(hash & (ulong)mask); _offsets[i] != 0; i = (i + 1) & mask)
            if (_hashes[i] == hash && KeyAt(_offsets[i] - 1, key, entry, out got)) return _offsets[i] - 1;
        foreach (var run in _runs)
        {
            if (!run.MayContain(hash)) continue;
            var offset = FindInRun(run, key, hash, entry, out got);
            if (offset >= 0) return offset;
        }
        return -1;
    }

    /// <summary>Reads the run's blocks that may hold <paramref name="hash"/> and confirms each pair of that hash by its key.</summary>
    long FindInRun(Run run, ReadOnlySpan<byte> key, ulong hash, Span<byte> entry, out int got)
    {
        got = 0;
        // The first block whose first hash is not below the hash, less one: equal hashes may start in the block before.
        var block = Array.BinarySearch(run.FirstHashes, hash);
        if (block < 0) block = ~block;
        while (block > 0 && (block == run.FirstHashes.Length || run.FirstHashes[block] >= hash)) block--;
        var buffer = ArrayPool<byte>.Shared.Rent(BlockPairs * PairBytes);
        try
        {
            for (; block < run.FirstHashes.Length; block++)
            {
                var pairs = (int)Math.Min(BlockPairs, run.Count - (long)block * BlockPairs);
                var span = buffer.AsSpan(0, pairs * PairBytes);
                ReadFully(run.File, span, (long)block * BlockPairs * PairBytes, run.Path);
                for (var p = 0; p < pairs; p++)
                {
                    var h = BinaryPrimitives.ReadUInt64LittleEndian(span[(p * PairBytes)..]);
                    if (h > hash) return -1;
                    if (h < hash) continue;
                    var offset = BinaryPrimitives.ReadInt64LittleEndian(span[(p * PairBytes + 8)..]);
                    if (KeyAt(offset, key, entry, out got)) return offset;
                }
            }
            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The table's pairs go to a new sorted run; runs of the same level are merged four at a time.</summary>
    void SpillTable()
    {
        var pairs = new (ulong Hash, long Offset)[_tableCount];
        var n = 0;
        for (var i = 0; i < _offsets.Length; i++)
            if (_offsets[i] != 0) pairs[n++] = (_hashes[i], _offsets[i] - 1);
        Array.Sort(pairs);
        Array.Clear(_hashes);
        Array.Clear(_offsets);
        _tableCount = 0;
        using (var writer = new RunWriter(NewPath(".run"), pairs.Length))
        {
            foreach (var (h, o) in pairs) writer.Add(h, o);
            _runs.Add(writer.Complete(level: 0));
        }
        while (_runs.Count >= RunsMerged && _runs.Skip(_runs.Count - RunsMerged).All(r => r.Level == _runs[^1].Level))
            MergeLastRuns();
    }

    void MergeLastRuns()
    {
        var merged = _runs.GetRange(_runs.Count - RunsMerged, RunsMerged);
        var readers = merged.Select(r => new RunReader(r)).ToList();
        using (var writer = new RunWriter(NewPath(".run"), merged.Sum(r => r.Count)))
        {
            var queue = new PriorityQueue<int, (ulong, long)>();
            for (var i = 0; i < readers.Count; i++)
                if (readers[i].MoveNext()) queue.Enqueue(i, (readers[i].Hash, readers[i].Offset));
            while (queue.TryDequeue(out var r, out var pair))
            {
                writer.Add(pair.Item1, pair.Item2);
                if (readers[r].MoveNext()) queue.Enqueue(r, (readers[r].Hash, readers[r].Offset));
            }
            var run = writer.Complete(merged[0].Level + 1);
            _runs.RemoveRange(_runs.Count - RunsMerged, RunsMerged);
            _runs.Add(run);
        }
        foreach (var r in merged) r.Dispose();
    }

    string NewPath(string extension) => Path.Combine(_folder, "ogaki-keys-" + Guid.NewGuid().ToString("N") + extension);

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

    /// <summary>Reads <paramref name="into"/>.Length bytes of the entry file at <paramref name="offset"/>, from the file or the write buffer.</summary>
    void ReadAt(long offset, Span<byte> into)
    {
        // An entry lies wholly in the file or wholly in the write buffer (the buffer is flushed whole).
        if (offset >= _flushed) _writeBuffer.AsSpan((int)(offset - _flushed), into.Length).CopyTo(into);
        else ReadFully(_file, into, offset, _path);
    }

    static void ReadFully(SafeFileHandle file, Span<byte> into, long offset, string path)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = RandomAccess.Read(file, into[read..], offset + read);
            if (n == 0) throw new InvalidDataException($"the key file {path} ends inside an entry");
            read += n;
        }
    }

    /// <summary>
    /// True when the entry at <paramref name="offset"/> has the key <paramref name="key"/>: one read of up to
    /// <paramref name="entry"/>.Length bytes (header, key and, when short, the value), <paramref name="got"/> of them read.
    /// </summary>
    bool KeyAt(long offset, ReadOnlySpan<byte> key, Span<byte> entry, out int got)
    {
        var length = HeaderBytes + key.Length;
        if (offset >= _flushed)
        {
            var buffered = _writeBuffer.AsSpan((int)(offset - _flushed), _buffered - (int)(offset - _flushed));
            got = Math.Min(entry.Length, buffered.Length);
            buffered[..got].CopyTo(entry);
        }
        else
        {
            got = 0;
            while (got < length)
            {
                var n = RandomAccess.Read(_file, entry[got..], offset + got);
                if (n == 0) break; // a shorter entry at the end of the file: not this key
                got += n;
            }
        }
        return got >= length && BinaryPrimitives.ReadInt32LittleEndian(entry) == key.Length && entry.Slice(HeaderBytes, key.Length).SequenceEqual(key);
    }

    /// <summary>FNV-1a over the key's bytes, mixed (SplitMix64) so the low bits (the slot) and high bits are both spread.</summary>
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
        foreach (var run in _runs) run.Dispose();
        _runs.Clear();
        try { File.Delete(_path); }
        catch (IOException) { /* DeleteOnClose removed it already; best effort otherwise */ }
    }

    /// <summary>A sorted run on disk, with what memory keeps of it: its Bloom filter and the first hash of each block.</summary>
    sealed class Run(string path, SafeFileHandle file, long count, int level, ulong[] firstHashes, ulong[] bloom) : IDisposable
    {
        public string Path { get; } = path;
        public SafeFileHandle File { get; } = file;
        public long Count { get; } = count;
        public int Level { get; } = level;
        public ulong[] FirstHashes { get; } = firstHashes;

        public bool MayContain(ulong hash) => Bloom.MayContain(bloom, hash);

        public void Dispose()
        {
            File.Dispose();
            try { System.IO.File.Delete(Path); }
            catch (IOException) { /* DeleteOnClose removed it already */ }
        }
    }

    /// <summary>
    /// A blocked Bloom filter: each hash sets 7 bits in one 512-bit block (one cache line), about 10 bits a key, so
    /// about 1 % of absent keys cost a read of the run.
    /// </summary>
    static class Bloom
    {
        const int BitsPerKey = 10;
        const int Probes = 7;

        public static ulong[] Create(long keys) => new ulong[Math.Max(1, (keys * BitsPerKey + 511) / 512) * 8];

        public static void Add(ulong[] bloom, ulong hash)
        {
            var (block, bits) = Locate(bloom, hash);
            for (var i = 0; i < Probes; i++, bits >>= 9)
                bloom[block + (int)((bits >> 6) & 7)] |= 1UL << (int)(bits & 63);
        }

        public static bool MayContain(ulong[] bloom, ulong hash)
        {
            var (block, bits) = Locate(bloom, hash);
            for (var i = 0; i < Probes; i++, bits >>= 9)
                if ((bloom[block + (int)((bits >> 6) & 7)] & (1UL << (int)(bits & 63))) == 0) return false;
            return true;
        }

        static (int Block, ulong Bits) Locate(ulong[] bloom, ulong hash)
        {
            var blocks = (ulong)(bloom.Length / 8);
            var block = (int)(Math.BigMul(hash, blocks, out _)) * 8; // the high bits choose the block
            var bits = BitOperations.RotateLeft(hash * 0x9E3779B97F4A7C15UL, 17); // fresh bits for the 7 positions (9 each)
            return (block, bits);
        }
    }

    /// <summary>Writes a run's pairs in order through a buffer, building its filter and block index.</summary>
    sealed class RunWriter : IDisposable
    {
        readonly string _path;
        readonly SafeFileHandle _file;
        readonly byte[] _buffer = new byte[BlockPairs * PairBytes * 16];
        readonly ulong[] _bloom;
        readonly ulong[] _firstHashes;
        int _buffered;
        long _written;
        long _count;
        bool _completed;

        public RunWriter(string path, long count)
        {
            _path = path;
            _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            _bloom = Bloom.Create(count);
            _firstHashes = new ulong[(count + BlockPairs - 1) / BlockPairs];
        }

        public void Add(ulong hash, long offset)
        {
            if (_count % BlockPairs == 0) _firstHashes[_count / BlockPairs] = hash;
            Bloom.Add(_bloom, hash);
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_buffered), hash);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_buffered + 8), offset);
            _buffered += PairBytes;
            _count++;
            if (_buffered == _buffer.Length) FlushBuffer();
        }

        void FlushBuffer()
        {
            RandomAccess.Write(_file, _buffer.AsSpan(0, _buffered), _written);
            _written += _buffered;
            _buffered = 0;
        }

        public Run Complete(int level)
        {
            FlushBuffer();
            _completed = true;
            return new Run(_path, _file, _count, level, _firstHashes, _bloom);
        }

        public void Dispose()
        {
            if (_completed) return;
            _file.Dispose();
            try { File.Delete(_path); }
            catch (IOException) { /* DeleteOnClose removed it already */ }
        }
    }

    /// <summary>Reads a run's pairs in order through a buffer.</summary>
    sealed class RunReader(Run run)
    {
        readonly byte[] _buffer = new byte[BlockPairs * PairBytes * 16];
        int _start;
        int _end;
        long _position;

        public ulong Hash { get; private set; }
        public long Offset { get; private set; }

        public bool MoveNext()
        {
            if (_start == _end)
            {
                var bytes = (int)Math.Min(_buffer.Length, run.Count * PairBytes - _position);
                if (bytes <= 0) return false;
                ReadFully(run.File, _buffer.AsSpan(0, bytes), _position, run.Path);
                _position += bytes;
                (_start, _end) = (0, bytes);
            }
            Hash = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_start));
            Offset = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_start + 8));
            _start += PairBytes;
            return true;
        }
    }
}
