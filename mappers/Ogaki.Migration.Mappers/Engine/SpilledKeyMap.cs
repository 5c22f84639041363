using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// A map from text keys to small byte values whose memory does not grow with the number of keys beyond about
/// 1.5 bytes a key. The newest entries (keys and values) sit in memory, in an arena found through an open-addressing
/// table of their hashes; when the table is 70 % full (or the arena holds 2 MiB) the entries go to a run file sorted
/// by hash, and memory keeps only a Bloom filter (about 10 bits a key) and the first hash of about every 4 KiB of the
/// run. Runs of the same size are merged four at a time, so a lookup reads a few runs at most, a run only when its
/// filter says the key may be there, and then one block: the entries carry their keys, so the answer is exact, never
/// a hash guess, and costs one read. The first value added for a key stays (<see cref="TryAdd"/> as
/// <see cref="Dictionary{TKey,TValue}.TryAdd"/>). A key is stored as its ASCII bytes when it has only ASCII
/// characters (most keys are digits), else as its UTF-16 code units, so every string (whatever its characters) is its
/// own key. The run files may hold personal data: they are created in the caller's temporary folder and deleted on
/// dispose. One writer; readers may run on several threads at once while nothing is added. A map looked up far more
/// often than it is added to (a cross-area link read by every tax record) may keep the run blocks it has read in
/// memory, within a fixed <see cref="CacheBudget"/> (several maps may share one), so each block is read from disk once
/// rather than once a lookup.
/// </summary>
public sealed class SpilledKeyMap : IDisposable
{
    const int ArenaHeaderBytes = 8; // an arena entry: [int32 key header][int32 value bytes], the key, the value
    const int RunHeaderBytes = 16; // a run entry: [uint64 hash][int32 key header][int32 value bytes], the key, the value
    const int BlockBytes = 4096; // memory keeps the first hash and offset of the entry starting each ~4 KiB of a run
    const int ArenaLimit = 2 << 20;
    const int RunsMerged = 4;
    const int StackKeyBytes = 512;

    readonly string _folder;
    readonly ulong[] _hashes;
    readonly int[] _entries; // arena offset + 1; 0 is an empty slot
    int _tableCount;
    byte[] _arena = new byte[1 << 12];
    int _arenaUsed;
    readonly List<Run> _runs = [];
    (ulong Hash, int At)[] _pairs = []; // the table's entries in hash order, reused by every spill
    readonly BlockCache _cache;

    /// <param name="tempDirectory">Folder for the run files (default: the system temp folder).</param>
    /// <param name="tableSlots">Slots of the in-memory table of the newest entries (a power of two, at least 4; small in tests).</param>
    /// <param name="cache">
    /// Memory for run blocks once a lookup has read them (null: none). Nothing is evicted: when the budget is spent,
    /// further blocks are read from disk at each lookup, so memory stays bounded whatever the number of keys.
    /// </param>
    public SpilledKeyMap(string? tempDirectory = null, int tableSlots = 1 << 16, CacheBudget? cache = null)
    {
        if (tableSlots < 4 || (tableSlots & (tableSlots - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(tableSlots), "a power of two of at least 4");
        _hashes = new ulong[tableSlots];
        _entries = new int[tableSlots];
        _folder = tempDirectory ?? Path.GetTempPath();
        _cache = new BlockCache(cache);
    }

    /// <summary>Keys in the map.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes of the run files on disk.</summary>
    public long FileBytes => _runs.Sum(r => r.Bytes);

    /// <summary>Sorted runs on disk.</summary>
    public int Runs => _runs.Count;

    /// <summary>Blocks read from the run files by lookups (a block served from memory is not counted).</summary>
    public long BlockReads => Interlocked.Read(ref _cache.Reads);

    /// <summary>Bytes of this map's run blocks held in memory (within the budget given).</summary>
    public long CachedBytes => Interlocked.Read(ref _cache.Used);

    /// <summary>Adds <paramref name="key"/> with <paramref name="value"/>; false (and the value unchanged) when the key was there already.</summary>
    public bool TryAdd(string key, ReadOnlySpan<byte> value) => !Access(key, add: true, value, wantValue: false, out _);

    public bool ContainsKey(string key) => Access(key, add: false, default, wantValue: false, out _);

    /// <summary>The value added with <paramref name="key"/> (a copy), or false.</summary>
    public bool TryGetValue(string key, out byte[] value)
    {
        var found = Access(key, add: false, default, wantValue: true, out var v);
        value = v ?? [];
        return found;
    }

    /// <summary>
    /// Encodes and hashes the key once, finds it and, when it is not there and <paramref name="add"/> is set, appends it
    /// with <paramref name="value"/>. True when the key was there before.
    /// </summary>
    bool Access(string key, bool add, ReadOnlySpan<byte> value, bool wantValue, out byte[]? found)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (length, header) = KeyShape(key);
        byte[]? rented = null;
        Span<byte> buffer = (header & 1) == 0 ? default : length <= StackKeyBytes ? stackalloc byte[StackKeyBytes] : rented = ArrayPool<byte>.Shared.Rent(length);
        var keyBytes = EncodeKey(key, length, header, buffer);
        try
        {
            var hash = Hash(keyBytes, header);
            if (Find(keyBytes, header, hash, wantValue, out found)) return true;
            if (add) Append(keyBytes, header, hash, value);
            return false;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends a new entry to the arena and the table; spills the table when it is full.</summary>
    void Append(ReadOnlySpan<byte> keyBytes, int header, ulong hash, ReadOnlySpan<byte> value)
    {
        var size = ArenaHeaderBytes + keyBytes.Length + value.Length;
        if (_arenaUsed + size > _arena.Length) Array.Resize(ref _arena, Math.Max(_arenaUsed + size, _arena.Length * 2));
        var at = _arenaUsed;
        BinaryPrimitives.WriteInt32LittleEndian(_arena.AsSpan(at), header);
        BinaryPrimitives.WriteInt32LittleEndian(_arena.AsSpan(at + 4), value.Length);
        keyBytes.CopyTo(_arena.AsSpan(at + ArenaHeaderBytes));
        value.CopyTo(_arena.AsSpan(at + ArenaHeaderBytes + keyBytes.Length));
        _arenaUsed += size;
        Count++;
        var mask = _hashes.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (_entries[i] != 0) i = (i + 1) & mask;
        (_hashes[i], _entries[i]) = (hash, at + 1);
        // At most 70 % full, so a miss stops after a few probes; the arena's cap bounds memory whatever the key lengths.
        if (++_tableCount * 10 >= _hashes.Length * 7 || _arenaUsed >= ArenaLimit) SpillTable();
    }

    /// <summary>Byte length and header of a key: its byte length shifted left, with the low bit set for an ASCII key.</summary>
    static (int Length, int Header) KeyShape(string key)
    {
        var ascii = Ascii.IsValid(key);
        var length = ascii ? key.Length : key.Length * 2;
        return (length, (length << 1) | (ascii ? 1 : 0));
    }

    /// <summary>The key's bytes: its ASCII bytes in <paramref name="buffer"/>, or its UTF-16 code units in place.</summary>
    static ReadOnlySpan<byte> EncodeKey(string key, int length, int header, Span<byte> buffer)
    {
        if ((header & 1) == 0) return MemoryMarshal.AsBytes(key.AsSpan());
        Ascii.FromUtf16(key, buffer, out _);
        return buffer[..length];
    }

    /// <summary>Finds the key: the table of the newest entries, then the runs.</summary>
    bool Find(ReadOnlySpan<byte> key, int header, ulong hash, bool wantValue, out byte[]? value)
    {
        value = null;
        var mask = _hashes.Length - 1;
        for (var i = (int)(hash & (ulong)mask); _entries[i] != 0; i = (i + 1) & mask)
        {
            if (_hashes[i] != hash) continue;
            var at = _entries[i] - 1;
            if (BinaryPrimitives.ReadInt32LittleEndian(_arena.AsSpan(at)) != header
                || !_arena.AsSpan(at + ArenaHeaderBytes, key.Length).SequenceEqual(key)) continue;
            if (wantValue)
                value = _arena.AsSpan(at + ArenaHeaderBytes + key.Length, BinaryPrimitives.ReadInt32LittleEndian(_arena.AsSpan(at + 4))).ToArray();
            return true;
        }
        foreach (var run in _runs)
            if (run.MayContain(hash) && FindInRun(run, key, header, hash, wantValue, out value)) return true;
        return false;
    }

    /// <summary>Reads the run's blocks that may hold <paramref name="hash"/> (one, nearly always) and compares each entry of that hash by its key.</summary>
    static bool FindInRun(Run run, ReadOnlySpan<byte> key, int header, ulong hash, bool wantValue, out byte[]? value)
    {
        value = null;
        var blocks = run.FirstHashes.Length;
        // The last block whose first hash is below the hash: equal hashes may start in the block before.
        var block = Array.BinarySearch(run.FirstHashes, hash);
        if (block < 0) block = ~block;
        while (block > 0 && (block == blocks || run.FirstHashes[block] >= hash)) block--;
        for (; block < blocks; block++)
        {
            var span = run.Block(block, out var rented);
            try
            {
                for (var p = 0; p < span.Length;)
                {
                    var h = BinaryPrimitives.ReadUInt64LittleEndian(span[p..]);
                    if (h > hash) return false;
                    var entryHeader = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 8)..]);
                    var keyBytes = KeyBytes(entryHeader);
                    var valueBytes = BinaryPrimitives.ReadInt32LittleEndian(span[(p + 12)..]);
                    if (h == hash && entryHeader == header && span.Slice(p + RunHeaderBytes, keyBytes).SequenceEqual(key))
                    {
                        if (wantValue) value = span.Slice(p + RunHeaderBytes + keyBytes, valueBytes).ToArray();
                        return true;
                    }
                    p += RunHeaderBytes + keyBytes + valueBytes;
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        }
        return false;
    }

    /// <summary>The key's byte length from its header (ASCII or UTF-16 alike: the length sits above the flag bit).</summary>
    static int KeyBytes(int header) => header >> 1;

    /// <summary>The table's entries go to a new run sorted by hash; runs of the same level are merged four at a time.</summary>
    void SpillTable()
    {
        if (_pairs.Length < _tableCount) _pairs = new (ulong, int)[_hashes.Length];
        var pairs = _pairs.AsSpan(0, _tableCount);
        var n = 0;
        for (var i = 0; i < _entries.Length; i++)
            if (_entries[i] != 0) pairs[n++] = (_hashes[i], _entries[i] - 1);
        pairs.Sort();
        using (var writer = new RunWriter(NewPath(), pairs.Length, _cache))
        {
            foreach (var (hash, at) in pairs)
            {
                var header = BinaryPrimitives.ReadInt32LittleEndian(_arena.AsSpan(at));
                var valueBytes = BinaryPrimitives.ReadInt32LittleEndian(_arena.AsSpan(at + 4));
                writer.Add(hash, header, valueBytes, _arena.AsSpan(at + ArenaHeaderBytes, KeyBytes(header) + valueBytes));
            }
            _runs.Add(writer.Complete(level: 0));
        }
        Array.Clear(_hashes);
        Array.Clear(_entries);
        _tableCount = 0;
        _arenaUsed = 0;
        if (_arena.Length > ArenaLimit * 2) _arena = new byte[ArenaLimit]; // one very long key grew it: give that back
        while (_runs.Count >= RunsMerged && _runs.Skip(_runs.Count - RunsMerged).All(r => r.Level == _runs[^1].Level))
            MergeLastRuns();
    }

    void MergeLastRuns()
    {
        var merged = _runs.GetRange(_runs.Count - RunsMerged, RunsMerged);
        var readers = merged.Select(r => new RunReader(r)).ToList();
        using (var writer = new RunWriter(NewPath(), merged.Sum(r => r.Count), _cache))
        {
            var queue = new PriorityQueue<int, ulong>();
            for (var i = 0; i < readers.Count; i++)
                if (readers[i].MoveNext()) queue.Enqueue(i, readers[i].Hash);
            while (queue.TryDequeue(out var r, out _))
            {
                var reader = readers[r];
                writer.Add(reader.Hash, reader.Header, reader.ValueBytes, reader.Body);
                if (reader.MoveNext()) queue.Enqueue(r, reader.Hash);
            }
            var run = writer.Complete(merged[0].Level + 1);
            _runs.RemoveRange(_runs.Count - RunsMerged, RunsMerged);
            _runs.Add(run);
        }
        foreach (var r in merged) r.Dispose();
    }

    string NewPath() => Path.Combine(_folder, "ogaki-keys-" + Guid.NewGuid().ToString("N") + ".run");

    static void ReadFully(SafeFileHandle file, Span<byte> into, long offset, string path)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = RandomAccess.Read(file, into[read..], offset + read);
            if (n == 0) throw new InvalidDataException($"the key run {path} ends inside an entry");
            read += n;
        }
    }

    /// <summary>FNV-1a over the key's bytes and its header, mixed (SplitMix64) so the low bits (the slot) and high bits are both spread.</summary>
    static ulong Hash(ReadOnlySpan<byte> bytes, int header)
    {
        var h = 14695981039346656037UL ^ (uint)header;
        foreach (var b in bytes) h = (h ^ b) * 1099511628211UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }

    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
        _runs.Clear();
    }

    /// <summary>Bytes of memory for run blocks read by lookups, shared by the maps given it; filled from several threads.</summary>
    public sealed class CacheBudget
    {
        long _used;

        public CacheBudget(long bytes)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bytes);
            Bytes = bytes;
        }

        public long Bytes { get; }

        /// <summary>Bytes held now by all the maps sharing the budget.</summary>
        public long Used => Interlocked.Read(ref _used);

        internal bool TryReserve(int bytes)
        {
            if (Interlocked.Add(ref _used, bytes) <= Bytes) return true;
            Interlocked.Add(ref _used, -bytes);
            return false;
        }

        internal void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
    }

    /// <summary>A map's part of its budget (its runs' kept blocks) and its count of blocks read from disk.</summary>
    sealed class BlockCache(CacheBudget? budget)
    {
        public long Used;
        public long Reads;

        public bool TryReserve(int bytes)
        {
            if (budget is null || !budget.TryReserve(bytes)) return false;
            Interlocked.Add(ref Used, bytes);
            return true;
        }

        public void Release(long bytes)
        {
            budget?.Release(bytes);
            Interlocked.Add(ref Used, -bytes);
        }
    }

    /// <summary>A sorted run on disk, with what memory keeps of it: its Bloom filter and the first hash and offset of each block.</summary>
    sealed class Run(string path, SafeFileHandle file, long count, long bytes, int level, ulong[] firstHashes, long[] offsets, ulong[] bloom, BlockCache cache) : IDisposable
    {
        byte[]?[]? _blocks; // the blocks kept in memory, by index (made on the first one kept)
        long _cachedBytes;

        public string Path { get; } = path;
        public SafeFileHandle File { get; } = file;
        public long Count { get; } = count;
        public long Bytes { get; } = bytes;
        public int Level { get; } = level;
        public ulong[] FirstHashes { get; } = firstHashes;
        public long[] Offsets { get; } = offsets;

        public bool MayContain(ulong hash) => Bloom.MayContain(bloom, hash);

        /// <summary>
        /// Block <paramref name="index"/>: from memory, or read from disk into a new array kept in memory while the budget
        /// allows, else into a pooled array handed back in <paramref name="rented"/> for the caller to return.
        /// </summary>
        public ReadOnlySpan<byte> Block(int index, out byte[]? rented)
        {
            rented = null;
            if (Volatile.Read(ref _blocks) is { } kept && Volatile.Read(ref kept[index]) is { } hit) return hit;
            var start = Offsets[index];
            var length = (int)((index + 1 < Offsets.Length ? Offsets[index + 1] : Bytes) - start);
            Interlocked.Increment(ref cache.Reads);
            var keep = cache.TryReserve(length);
            var buffer = keep ? new byte[length] : rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                ReadFully(File, buffer.AsSpan(0, length), start, Path);
            }
            catch
            {
                if (keep) cache.Release(length);
                else ArrayPool<byte>.Shared.Return(buffer);
                rented = null;
                throw;
            }
            if (keep)
            {
                var blocks = Volatile.Read(ref _blocks) ?? Interlocked.CompareExchange(ref _blocks, new byte[]?[Offsets.Length], null) ?? _blocks;
                if (Interlocked.CompareExchange(ref blocks[index], buffer, null) is null) Interlocked.Add(ref _cachedBytes, length);
                else cache.Release(length); // another reader kept the same block first
            }
            return buffer.AsSpan(0, length);
        }

        public void Dispose()
        {
            cache.Release(Interlocked.Exchange(ref _cachedBytes, 0));
            _blocks = null;
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

    /// <summary>Writes a run's entries in hash order through a buffer, building its filter and block index.</summary>
    sealed class RunWriter : IDisposable
    {
        readonly string _path;
        readonly SafeFileHandle _file;
        byte[] _buffer = new byte[1 << 16];
        readonly ulong[] _bloom;
        readonly List<ulong> _firstHashes = [];
        readonly List<long> _offsets = [];
        int _buffered;
        long _written;
        long _count;
        long _blockStart = -BlockBytes;
        bool _completed;

        readonly BlockCache _cache;

        public RunWriter(string path, long count, BlockCache cache)
        {
            _cache = cache;
            _path = path;
            _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            _bloom = Bloom.Create(count);
        }

        /// <param name="body">The key's bytes followed by the value's.</param>
        public void Add(ulong hash, int header, int valueBytes, ReadOnlySpan<byte> body)
        {
            var offset = _written + _buffered;
            if (offset - _blockStart >= BlockBytes)
            {
                _firstHashes.Add(hash);
                _offsets.Add(offset);
                _blockStart = offset;
            }
            Bloom.Add(_bloom, hash);
            var size = RunHeaderBytes + body.Length;
            if (_buffered + size > _buffer.Length)
            {
                FlushBuffer();
                if (size > _buffer.Length) _buffer = new byte[size];
            }
            var into = _buffer.AsSpan(_buffered);
            BinaryPrimitives.WriteUInt64LittleEndian(into, hash);
            BinaryPrimitives.WriteInt32LittleEndian(into[8..], header);
            BinaryPrimitives.WriteInt32LittleEndian(into[12..], valueBytes);
            body.CopyTo(into[RunHeaderBytes..]);
            _buffered += size;
            _count++;
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
            return new Run(_path, _file, _count, _written, level, [.. _firstHashes], [.. _offsets], _bloom, _cache);
        }

        public void Dispose()
        {
            if (_completed) return;
            _file.Dispose();
            try { File.Delete(_path); }
            catch (IOException) { /* DeleteOnClose removed it already */ }
        }
    }

    /// <summary>Reads a run's entries in order through a buffer.</summary>
    sealed class RunReader(Run run)
    {
        byte[] _buffer = new byte[1 << 16];
        int _start;
        int _end;
        long _position;
        int _size;

        public ulong Hash { get; private set; }
        public int Header { get; private set; }
        public int ValueBytes { get; private set; }

        /// <summary>The current entry's key and value bytes (valid until the next <see cref="MoveNext"/>).</summary>
        public ReadOnlySpan<byte> Body => _buffer.AsSpan(_start + RunHeaderBytes, _size - RunHeaderBytes);

        public bool MoveNext()
        {
            _start += _size;
            _size = 0;
            if (!Ensure(RunHeaderBytes)) return false;
            Hash = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_start));
            Header = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + 8));
            ValueBytes = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + 12));
            var size = RunHeaderBytes + KeyBytes(Header) + ValueBytes;
            if (!Ensure(size)) throw new InvalidDataException($"the key run {run.Path} ends inside an entry");
            _size = size;
            return true;
        }

        /// <summary>At least <paramref name="bytes"/> bytes from the current entry's start are in the buffer; false at the end of the run.</summary>
        bool Ensure(int bytes)
        {
            if (_end - _start >= bytes) return true;
            var left = _end - _start;
            if (bytes > _buffer.Length)
            {
                var larger = new byte[bytes];
                _buffer.AsSpan(_start, left).CopyTo(larger);
                _buffer = larger;
            }
            else _buffer.AsSpan(_start, left).CopyTo(_buffer);
            (_start, _end) = (0, left);
            var want = (int)Math.Min(_buffer.Length - _end, run.Bytes - _position);
            if (want > 0)
            {
                ReadFully(run.File, _buffer.AsSpan(_end, want), _position, run.Path);
                _position += want;
                _end += want;
            }
            return _end - _start >= bytes;
        }
    }
}
