using System.Buffers;
using System.Runtime.CompilerServices;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Layouts;

namespace Ogaki.Migration.Adapters.FixedLength;

/// <summary>Options of <see cref="FixedLengthAdapter"/>.</summary>
public sealed class FixedLengthOptions
{
    /// <summary>Record terminator; Auto = the layout's <c>@TERMINATOR</c>, else detected after the first record.</summary>
    public RecordTerminator Terminator { get; init; } = RecordTerminator.Auto;

    /// <summary>Trim trailing padding: spaces from PIC X, double-byte spaces from PIC N. Default true.</summary>
    public bool TrimPadding { get; init; } = true;

    /// <summary>Decoding threads per batch (records are still returned in file order). Default min(2, cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>
    /// Records per batch; 0 = about 4 KiB of input per batch (at least 16 records). Small batches keep the records in flight few, so they
    /// die young: decoding allocates per field and the GC's cost grows with what survives, not with what is allocated.
    /// </summary>
    public int BatchRecords { get; init; }

    /// <summary>File read buffer size in bytes.</summary>
    public int BufferBytes { get; init; } = 1 << 20;
}

/// <summary>
/// Reads a fixed-length legacy file from a layout (COBOL copybook or layout file) and an encoding name
/// (<c>ibm930</c>, <c>ibm939</c>, <c>cp932</c>, <c>utf-8</c>): no vendor code. Streams records in file order with
/// pooled buffers; batches are decoded in parallel. Record types are dispatched on the layout's selector field;
/// records may be followed by LF or CRLF. Every bad input becomes a <see cref="LegacyReject"/> (reasons in
/// <see cref="RejectReasons"/>) and the run goes on: every physical record (record number ≥ 1) is either passed
/// on or rejected. File-level problems that are not a record (empty file, missing trailer, a header count that no
/// trailer checked) are rejects with record number 0.
/// </summary>
public sealed class FixedLengthAdapter : ILegacyAdapter
{
    readonly string _path;
    readonly FileLayout _layout;
    readonly TextCodec _codec;
    readonly FixedLengthOptions _options;
    readonly byte[][][] _selectorValues;
    readonly string?[] _totalOfPaths;
    readonly string?[] _countPaths;
    readonly string?[] _totalPaths;
    readonly int _defaultLength;
    readonly (int End, string Path)[][] _leaves;

    public FixedLengthAdapter(string path, FileLayout layout, string encoding, FixedLengthOptions? options = null)
        : this(path, layout, LegacyEncodings.GetCodec(encoding), options)
    {
    }

    public FixedLengthAdapter(string path, FileLayout layout, TextCodec codec, FixedLengthOptions? options = null)
    {
        _path = path;
        _layout = layout;
        _codec = codec;
        _options = options ?? new FixedLengthOptions();
        if (layout.Records.Count == 0) throw new ArgumentException("The layout has no record types.", nameof(layout));
        _selectorValues = layout.Records.Select(r => r.SelectorValues.Select(EncodeSelector).ToArray()).ToArray();
        _defaultLength = (layout.Records.FirstOrDefault(r => r.Role == RecordRole.Data) ?? layout.Records[0]).Length;
        _countPaths = layout.Records.Select(r => r.CountField is null ? null : PathOf(r.Fields, r.CountField)).ToArray();
        _totalPaths = layout.Records.Select(r => r.TotalField is null ? null : PathOf(r.Fields, r.TotalField)).ToArray();
        _totalOfPaths = layout.Records.Select(r => r.Role == RecordRole.Data ? TotalOfPath(r) : null).ToArray();
        _leaves = layout.Records.Select(r => Leaves(r.Fields)).ToArray();
        var terminator = _options.Terminator != RecordTerminator.Auto ? _options.Terminator : layout.Terminator;
        if (RecordTerminators.IsEbcdic(terminator) && !codec.IsEbcdic)
            throw new ArgumentException($"Record terminator {RecordTerminators.Name(terminator)} is EBCDIC; the file's encoding {codec.Name} is not.", nameof(codec));
    }

    string? TotalOfPath(RecordLayout data)
    {
        var of = _layout.Records.FirstOrDefault(r => r.TotalOfField is not null)?.TotalOfField;
        return of is null ? null : PathOf(data.Fields, of);
    }

    public string Name => $"fixed:{Path.GetFileName(_path)}";

    public FileLayout Layout => _layout;

    /// <summary>Dotted path (as <see cref="LegacyGroup.Get"/> reads it) of a field found by name or path.</summary>
    internal static string? PathOf(IReadOnlyList<FieldDef> fields, string nameOrPath)
    {
        if (nameOrPath.Contains('.', StringComparison.Ordinal)) return nameOrPath;
        foreach (var f in fields)
        {
            if (string.Equals(f.Name, nameOrPath, StringComparison.OrdinalIgnoreCase)) return f.Name;
        }
        foreach (var f in fields)
        {
            if (f.Occurs > 1) continue;
            var sub = PathOf(f.Children, nameOrPath);
            if (sub is not null) return f.Name + "." + sub;
        }
        return null;
    }

    byte[] EncodeSelector(string value)
    {
        var len = _layout.SelectorLength;
        var bytes = new byte[len];
        if (_layout.SelectorKind == FieldKind.Zoned && value.All(char.IsAsciiDigit))
        {
            var padded = value.PadLeft(len, '0');
            for (var i = 0; i < len; i++) bytes[i] = (byte)(_codec.DigitZone | (padded[i] - '0'));
            return bytes;
        }
        var enc = _codec.Encode(value);
        if (enc.Length > len) throw new ArgumentException($"Selector value '{value}' is {enc.Length} bytes in {_codec.Name}; the selector field has {len}.");
        bytes.AsSpan().Fill(_codec.SpaceByte);
        enc.CopyTo(bytes, 0);
        return bytes;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    int TypeOf(ReadOnlySpan<byte> recordStart)
    {
        if (_layout.Records.Count == 1 && _layout.SelectorField is null) return 0;
        var sel = recordStart.Slice(_layout.SelectorOffset, _layout.SelectorLength);
        for (var t = 0; t < _selectorValues.Length; t++)
        {
            foreach (var v in _selectorValues[t])
                if (sel.SequenceEqual(v)) return t;
        }
        return -1;
    }

    struct Frame
    {
        public long RecordNumber;
        public long FileOffset;
        public int Start;
        public int Length;
        public int Type;
        public string? Reason;
        public string? Message;
        public string? Field;
        public int ProblemOffset;
        /// <summary>A variable-length last record shorter than its counts say: the decoder's reject becomes truncated-record.</summary>
        public bool Truncated;
    }

    /// <summary>A batch of framed records in its own buffer: decoded off the reading thread, yielded in order.</summary>
    sealed class Batch(FixedLengthAdapter owner, string file, int records, RecordDecoder decoder)
    {
        public const int Queued = 0, Decoding = 1, Decoded = 2;
        public readonly FixedLengthAdapter Owner = owner;
        public readonly string File = file;
        public readonly Frame[] Frames = new Frame[records];
        public readonly LegacyReadResult[] Results = new LegacyReadResult[records];
        public readonly RecordDecoder Decoder = decoder;
        public byte[] Buffer = [];
        public int Count;
        /// <summary>Whoever moves it from Queued to Decoding decodes the batch: a pool thread, or the reader itself.</summary>
        public int State = Decoded;
        public TaskCompletionSource Done = new();
        public Exception? Error;

        /// <summary>Decodes if nobody has started yet; false when another thread has (or the batch was dropped).</summary>
        public bool TryDecode()
        {
            if (Interlocked.CompareExchange(ref State, Decoding, Queued) != Queued) return false;
            try
            {
                Owner.DecodeBatch(this, File);
            }
            catch (Exception e)
            {
                Error = e; // rethrown to the reader, in file order
            }
            Volatile.Write(ref State, Decoded);
            Done.TrySetResult();
            return true;
        }
    }

    public async IAsyncEnumerable<LegacyReadResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var file = Path.GetFileName(_path);
        // The stream buffers large reads; each batch then takes a small slice, so few system calls and small batches.
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, Math.Max(4096, _options.BufferBytes), FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (stream.Length == 0)
        {
            yield return new LegacyReject(new SourceLocation(file, 0, 0), RejectReasons.EmptyFile, "The file is empty.");
            yield break;
        }
        // About 4 KiB of input per batch: measured on the 2-core machine with a 200-byte IBM930 record of 45 values,
        // 20 records per batch left almost nothing for gen-1 collections; 40 cost 45 of them per 335k records, 160 cost 75.
        var batchRecords = _options.BatchRecords > 0 ? _options.BatchRecords : Math.Clamp((4 << 10) / Math.Max(1, _layout.MaxLength), 16, 4096);
        var bufferBytes = Math.Max(batchRecords * (_layout.MaxLength + 2), (_layout.MaxLength * 4) + 16);
        var workers = Math.Max(1, _options.MaxDegreeOfParallelism);
        // Pipeline: while the caller consumes one batch, up to `workers` later batches decode on the thread pool.
        // Each batch owns its buffer until it has been yielded, so memory is bounded by (workers + 1) batches.
        var slots = workers == 1 ? 1 : workers + 1;
        var idle = new Stack<Batch>();
        for (var i = 0; i < slots; i++) idle.Push(new Batch(this, file, batchRecords, new RecordDecoder(_layout, _codec, _options.TrimPadding)));
        var inFlight = new Queue<Batch>();
        // Framing reads OCCURS DEPENDING ON counts on this thread; decoders own scratch state, so it has its own.
        var framer = new RecordDecoder(_layout, _codec, _options.TrimPadding);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        try
        {
            var filled = 0;
            var pos = 0;
            long bufferOffset = 0;
            var eof = false;
            long recordNumber = 0;
            var terminator = _options.Terminator != RecordTerminator.Auto ? _options.Terminator : _layout.Terminator;
            var bomPending = -1; // -1 = not checked yet
            var state = new ControlState();
            var done = false;

            while (!done || inFlight.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!done && idle.Count > 0)
                {
                    // Fill: keep unconsumed bytes, read more.
                    if (!eof)
                    {
                        if (pos > 0)
                        {
                            System.Buffer.BlockCopy(buffer, pos, buffer, 0, filled - pos);
                            bufferOffset += pos;
                            filled -= pos;
                            pos = 0;
                        }
                        if (filled == buffer.Length)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            System.Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger;
                        }
                        while (filled < buffer.Length)
                        {
                            var n = await stream.ReadAsync(buffer.AsMemory(filled, buffer.Length - filled), cancellationToken).ConfigureAwait(false);
                            if (n == 0)
                            {
                                eof = true;
                                break;
                            }
                            filled += n;
                        }
                    }
                    if (bomPending < 0)
                    {
                        bomPending = BomLength(buffer.AsSpan(0, filled));
                        if (terminator == RecordTerminator.Auto) terminator = DetectTerminator(buffer.AsSpan(bomPending, filled - bomPending), framer);
                    }

                    // Frame as many records as the buffer holds.
                    var batch = idle.Peek();
                    var frames = batch.Frames;
                    var count = 0;
                    var needMore = false;
                    while (count < frames.Length && pos < filled)
                    {
                        var status = FrameOne(buffer, pos, filled, eof, terminator, bomPending, framer, ref frames[count]);
                        if (status < 0)
                        {
                            needMore = true;
                            break;
                        }
                        frames[count].RecordNumber = ++recordNumber;
                        frames[count].FileOffset = bufferOffset + pos;
                        frames[count].Start = pos;
                        pos += status;
                        bomPending = 0;
                        count++;
                    }
                    if (needMore && eof)
                    {
                        // FrameOne only asks for more before EOF.
                        throw new InvalidOperationException("Framing stalled at end of file.");
                    }
                    if (count > 0)
                    {
                        idle.Pop();
                        batch.Count = count;
                        // The batch keeps this buffer; the unframed tail moves to a fresh one.
                        batch.Buffer = buffer;
                        var next = ArrayPool<byte>.Shared.Rent(buffer.Length);
                        System.Buffer.BlockCopy(buffer, pos, next, 0, filled - pos);
                        bufferOffset += pos;
                        filled -= pos;
                        pos = 0;
                        buffer = next;
                        batch.Error = null;
                        batch.Done = new TaskCompletionSource();
                        Volatile.Write(ref batch.State, Batch.Queued);
                        if (workers > 1) ThreadPool.UnsafeQueueUserWorkItem(static b => b.TryDecode(), batch, preferLocal: false);
                        inFlight.Enqueue(batch);
                    }
                    done = pos >= filled && eof;
                    // Read ahead while a batch slot is free; then yield the oldest batch while the others decode.
                    if (!done && idle.Count > 0) continue;
                }
                if (inFlight.Count == 0) continue;

                var oldest = inFlight.Dequeue();
                try
                {
                    // A batch no pool thread has started yet is decoded here rather than waited for: under load a
                    // wake-up can cost more than the batch, and the batches are small.
                    if (!oldest.TryDecode() && Volatile.Read(ref oldest.State) != Batch.Decoded)
                        await oldest.Done.Task.ConfigureAwait(false);
                    if (oldest.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                    for (var i = 0; i < oldest.Count; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var r = Control(file, state, oldest.Frames[i], oldest.Results[i], oldest.Buffer);
                        oldest.Results[i] = default;
                        yield return r;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(oldest.Buffer);
                    oldest.Buffer = [];
                    idle.Push(oldest);
                }
            }

            foreach (var reject in Finish(state, file, bufferOffset + filled))
                yield return reject;
        }
        finally
        {
            // Decoders may still read their buffers (the caller stopped early): let them finish before the buffers go back.
            foreach (var b in inFlight)
            {
                // Not started: drop it (a pool thread that comes later finds it taken). Started: let it finish.
                if (Interlocked.CompareExchange(ref b.State, Batch.Decoded, Batch.Queued) != Batch.Queued)
                    await b.Done.Task.ConfigureAwait(false); // never faults: errors are kept in b.Error
                ArrayPool<byte>.Shared.Return(b.Buffer);
            }
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static int BomLength(ReadOnlySpan<byte> s)
    {
        if (s.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return 3;
        if (s.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || s.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return 2;
        return 0;
    }

    RecordTerminator DetectTerminator(ReadOnlySpan<byte> s, RecordDecoder framer)
    {
        var len = LengthAt(s, framer);
        if (len < 0) len = _defaultLength;
        if (s.Length >= len + 2 && s[len] == 0x0D && s[len + 1] == 0x0A) return RecordTerminator.CrLf;
        if (s.Length >= len + 1 && s[len] == 0x0A) return RecordTerminator.Lf;
        if (_codec.IsEbcdic)
        {
            // The byte after a record without terminator may be anything (a packed digit pair 0x15, say). With record
            // types, the reading under which the next record has a known type wins; otherwise (one type, or both
            // readings fit) the second record, where the buffer holds it, must end with the terminator too.
            var multi = _layout.SelectorField is not null;
            var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
            foreach (var t in RecordTerminators.Family(RecordTerminator.EbcdicNl))
            {
                var tb = RecordTerminators.Bytes(t);
                if (s.Length < len + tb.Length || !s.Slice(len, tb.Length).SequenceEqual(tb)) continue;
                var next = s[(len + tb.Length)..];
                if (multi && next.Length >= selectorEnd)
                {
                    var terminated = TypeOf(next) >= 0;
                    var unterminated = TypeOf(s[len..]) >= 0;
                    if (terminated != unterminated)
                    {
                        if (terminated) return t;
                        continue;
                    }
                }
                // A second record of unknown length (bad type or count) can neither confirm nor refute.
                var len2 = LengthAt(next, framer);
                if (len2 < 0 || next.Length < len2 + tb.Length || next.Slice(len2, tb.Length).SequenceEqual(tb)) return t;
            }
        }
        return RecordTerminator.None;
    }

    /// <summary>Length of the record starting <paramref name="s"/> by its type (and counts); -1 when unknown.</summary>
    int LengthAt(ReadOnlySpan<byte> s, RecordDecoder framer)
    {
        if (s.Length < _layout.SelectorOffset + _layout.SelectorLength || TypeOf(s) is not (var t and >= 0)) return -1;
        var len = framer.RecordLength(t, s, out _);
        return len > 0 ? len : -1;
    }

    /// <summary>The terminator of <paramref name="term"/>'s family found at <paramref name="at"/>, or None.</summary>
    static RecordTerminator TerminatorAt(ReadOnlySpan<byte> buf, int at, RecordTerminator term)
    {
        foreach (var t in RecordTerminators.Family(term))
        {
            var tb = RecordTerminators.Bytes(t);
            if (buf.Length - at >= tb.Length && buf.Slice(at, tb.Length).SequenceEqual(tb)) return t;
        }
        return RecordTerminator.None;
    }

    /// <summary>Frames one record at <paramref name="pos"/>: returns the bytes consumed, or -1 when more data is needed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    int FrameOne(byte[] buf, int pos, int filled, bool eof, RecordTerminator term, int bom, RecordDecoder framer, ref Frame f)
    {
        f.Truncated = false;
        f.Reason = null;
        f.Message = null;
        f.Field = null;
        f.ProblemOffset = 0;
        f.Type = -1;
        var remaining = filled - pos;
        var body = pos + bom;
        var bodyRemaining = remaining - bom;
        var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
        var multi = !(_layout.Records.Count == 1 && _layout.SelectorField is null);
        if (multi && bodyRemaining < selectorEnd)
        {
            if (!eof) return -1;
        }
        else
        {
            f.Type = TypeOf(buf.AsSpan(body, bodyRemaining));
        }
        var len = f.Type >= 0 ? _layout.Records[f.Type].Length : _defaultLength;
        var variable = f.Type >= 0 && _layout.Records[f.Type].IsVariable;
        if (variable)
        {
            // OCCURS DEPENDING ON: the counts in the record give its length.
            var actualLength = framer.RecordLength(f.Type, buf.AsSpan(body, bodyRemaining), out var bad);
            if (actualLength == 0 && !eof) return -1;
            if (actualLength > 0) len = actualLength;
            if (actualLength < 0 && term == RecordTerminator.None)
            {
                // Without terminators nothing says where the next record starts: the rest of the file goes with this one.
                var b = bad!;
                f.Length = remaining;
                return Fail(ref f, b.Reason, $"{b.Message}; the record's length depends on it, so the remaining {remaining} bytes of the file cannot be framed and are rejected with it", bom + b.Offset, remaining, b.Field);
            }
        }
        var termLen = RecordTerminators.Bytes(term).Length;
        if (!eof && bodyRemaining < len + 2) return -1;

        int consumed;
        if (term == RecordTerminator.None)
        {
            if (bodyRemaining < len && variable)
            {
                // The decoder names the field cut off at its moved position.
                f.Length = remaining;
                f.Truncated = true;
                return remaining;
            }
            if (bodyRemaining < len)
            {
                f.Length = remaining;
                return Fail(ref f, RejectReasons.TruncatedRecord, $"Last record has {bodyRemaining} of {len} bytes", 0, remaining, FieldAtLength(f.Type, bodyRemaining, len));
            }
            f.Length = bom + len;
            consumed = bom + len;
        }
        else
        {
            var found = TerminatorAt(buf.AsSpan(0, filled), body + len, term);
            f.Length = bom + len;
            if (found == term) consumed = bom + len + termLen;
            else if (found != RecordTerminator.None)
            {
                consumed = bom + len + RecordTerminators.Bytes(found).Length;
                Fail(ref f, RejectReasons.MixedLineEndings, $"Record ends with {RecordTerminators.Name(found)} in a file whose records end with {RecordTerminators.Name(term)}", bom + len, f.Length);
            }
            else if (eof && bodyRemaining == len) consumed = bom + len; // last record without a final newline
            else
            {
                // Not the expected length: the record is the line up to the next line end (LF; for EBCDIC ones NL or LF 0x25).
                var line = buf.AsSpan(pos, remaining);
                var nl = NextLineEnd(line, RecordTerminators.IsEbcdic(term), multi, eof);
                if (nl == -2) return -1;
                if (nl < 0 && !eof) return -1;
                var lineEnd = nl < 0 ? remaining : nl;
                // CR belongs to a CR LF pair; before NL it is data.
                var content = lineEnd > 0 && buf[pos + lineEnd - 1] == 0x0D && (nl < 0 || line[nl] != 0x15) ? lineEnd - 1 : lineEnd;
                consumed = nl < 0 ? remaining : nl + 1;
                f.Length = content;
                var actual = content - bom;
                if (variable)
                {
                    // The decoder knows the moved positions: it names the field (or the bad count) exactly.
                    f.Truncated = nl < 0 && actual < len;
                    return consumed;
                }
                if (nl < 0 && actual < len)
                    return Fail(ref f, RejectReasons.TruncatedRecord, $"Last record has {actual} of {len} bytes", 0, consumed, FieldAtLength(f.Type, actual, len));
                return Fail(ref f, RejectReasons.WrongRecordLength,
                    $"Record is {actual} bytes; record type {(f.Type >= 0 ? _layout.Records[f.Type].Name : "(unknown)")} is {len}{(actual < len ? "" : $": {actual - len} byte(s) after the last field")}",
                    Math.Min(actual, len) + bom, consumed, FieldAtLength(f.Type, actual, len));
            }
        }
        if (bom > 0 && f.Reason is null)
            return Fail(ref f, RejectReasons.UnexpectedBom, $"The file starts with a {bom}-byte byte order mark; {_codec.Name} fixed-length files have none", 0, consumed);
        if (f.Type < 0 && f.Reason is null)
            return Fail(ref f, RejectReasons.UnknownRecordType,
                $"Record type {Convert.ToHexString(buf.AsSpan(body + _layout.SelectorOffset, Math.Min(_layout.SelectorLength, Math.Max(0, bodyRemaining - _layout.SelectorOffset))))} in {_layout.SelectorField} is not in the layout",
                _layout.SelectorOffset, consumed);
        return consumed;
    }

    /// <summary>
    /// Where a line of unexpected length ends: the first line-end byte (LF; for EBCDIC terminators NL or LF 0x25) that is
    /// followed by a known record type or the end of the file. Binary fields may hold such bytes (packed 0x15 is the
    /// digits 1 and 5), so a line end that does not start a record is taken for data. -1: none; -2: more bytes needed.
    /// </summary>
    int NextLineEnd(ReadOnlySpan<byte> line, bool ebcdic, bool multi, bool eof)
    {
        var selectorEnd = _layout.SelectorOffset + _layout.SelectorLength;
        var from = 0;
        while (true)
        {
            var rest = line[from..];
            var i = ebcdic ? rest.IndexOfAny((byte)0x15, (byte)0x25) : rest.IndexOf((byte)0x0A);
            if (i < 0) return -1;
            var nl = from + i;
            if (!multi) return nl;
            var next = line[(nl + 1)..];
            if (next.Length == 0) return eof ? nl : -2;
            if (next.Length < selectorEnd) return eof ? nl : -2;
            if (TypeOf(next) >= 0) return nl;
            from = nl + 1;
        }
    }

    static int Fail(ref Frame f, string reason, string message, int offset, int consumed, string? field = null)
    {
        f.Reason = reason;
        f.Message = message;
        f.ProblemOffset = offset;
        f.Field = field;
        return consumed;
    }

    /// <summary>
    /// The field where a record of <paramref name="actual"/> bytes parts from its layout of <paramref name="expected"/>:
    /// the first field not wholly present when it is short, the last field when it is long; the selector field when
    /// the record type is unknown.
    /// </summary>
    string? FieldAtLength(int type, int actual, int expected)
    {
        if (type < 0) return _layout.SelectorField;
        var leaves = _leaves[type];
        if (leaves.Length == 0) return null;
        if (actual >= expected) return leaves[^1].Path;
        foreach (var (end, path) in leaves)
            if (end > actual) return path;
        return leaves[^1].Path;
    }

    /// <summary>Elementary fields of a record type in byte order: end offset (max occurrences) and path.</summary>
    static (int End, string Path)[] Leaves(IReadOnlyList<FieldDef> fields)
    {
        var list = new List<(int, string)>();
        void Walk(IReadOnlyList<FieldDef> fs, int delta, string prefix)
        {
            foreach (var f in fs)
            {
                for (var k = 0; k < f.Occurs; k++)
                {
                    var at = delta + (k * f.Length);
                    var path = f.Occurs == 1 ? prefix + f.Name : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}{f.Name}({k + 1})");
                    if (f.Kind == FieldKind.Group) Walk(f.Children, at, path + ".");
                    else list.Add((at + f.Offset + f.Length, path));
                }
            }
        }
        Walk(fields, 0, "");
        return [.. list.OrderBy(x => x.Item1)];
    }

    void DecodeBatch(Batch batch, string file)
    {
        var buffer = batch.Buffer;
        var d = batch.Decoder;
        for (var i = 0; i < batch.Count; i++)
        {
            ref var f = ref batch.Frames[i];
            var loc = new SourceLocation(file, f.RecordNumber, f.FileOffset);
            if (f.Reason is not null)
            {
                batch.Results[i] = new LegacyReject(loc with { ByteOffset = f.FileOffset + f.ProblemOffset, Field = f.Reason == RejectReasons.UnknownRecordType ? _layout.SelectorField : f.Field },
                    f.Reason, f.Message!, buffer.AsSpan(f.Start, f.Length).ToArray());
                continue;
            }
            var result = d.Decode(f.Type, buffer.AsSpan(f.Start, f.Length), loc);
            if (f.Truncated && result.Reject is { } cut && cut.Reason == RejectReasons.WrongRecordLength)
                result = cut with { Reason = RejectReasons.TruncatedRecord, Message = "Last record is truncated: " + cut.Message };
            batch.Results[i] = result;
        }
    }

    sealed class ControlState
    {
        public long Data;
        public long DataRejected;
        public decimal Total;
        public bool TrailerSeen;
        public decimal? HeaderCount;
        public long HeaderRecord;
        public bool HeaderChecked;
        public string? HeaderField;
    }

    LegacyReadResult Control(string file, ControlState s, in Frame f, LegacyReadResult r, byte[] buffer)
    {
        var role = f.Type >= 0 ? _layout.Records[f.Type].Role : RecordRole.Data;
        if (role == RecordRole.Data)
        {
            s.Data++;
            if (r.Record is { } rec)
            {
                if (_totalOfPaths[f.Type] is { } p && rec.Get(p) is decimal d) s.Total += d;
            }
            else s.DataRejected++;
            return r;
        }
        if (r.Record is not { } ctl) return r;
        var type = _layout.Records[f.Type];
        if (role == RecordRole.Header)
        {
            if (_countPaths[f.Type] is { } hp)
            {
                s.HeaderCount = AsDecimal(ctl.Get(hp));
                s.HeaderRecord = f.RecordNumber;
                s.HeaderField = hp;
            }
            return r;
        }
        s.TrailerSeen = true;
        if (s.HeaderCount is { } hc && !s.HeaderChecked)
        {
            s.HeaderChecked = true;
            if (hc != s.Data)
                return ControlReject(file, f, buffer, s.HeaderField!, $"Header record {s.HeaderRecord} announces {hc} data records; {s.Data} were read");
        }
        if (_countPaths[f.Type] is { } cp)
        {
            var expected = AsDecimal(ctl.Get(cp));
            if (expected != s.Data)
                return ControlReject(file, f, buffer, cp, $"Trailer count {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not numeric)"} ≠ {s.Data} data records read");
        }
        if (_totalPaths[f.Type] is { } tp && s.DataRejected == 0)
        {
            var expected = AsDecimal(ctl.Get(tp));
            if (expected != s.Total)
                return ControlReject(file, f, buffer, tp, $"Trailer control total {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not numeric)"} ≠ {s.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)} summed over {type.TotalOfField}");
        }
        return r;
    }

    static decimal? AsDecimal(object? v) => v switch
    {
        decimal d => d,
        string s when decimal.TryParse(s.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    static LegacyReject ControlReject(string file, in Frame f, byte[] buffer, string field, string message) =>
        new(new SourceLocation(file, f.RecordNumber, f.FileOffset, field), RejectReasons.ControlCountMismatch, message, buffer.AsSpan(f.Start, f.Length).ToArray());

    IEnumerable<LegacyReject> Finish(ControlState s, string file, long fileLength)
    {
        if (s.HeaderCount is { } hc && !s.HeaderChecked && hc != s.Data)
            yield return new LegacyReject(new SourceLocation(file, 0, fileLength, s.HeaderField), RejectReasons.ControlCountMismatch,
                $"Header record {s.HeaderRecord} announces {hc} data records; {s.Data} were read");
        var trailer = _layout.Records.FirstOrDefault(r => r.Role == RecordRole.Trailer && (r.CountField is not null || r.TotalField is not null));
        if (trailer is not null && !s.TrailerSeen)
            yield return new LegacyReject(new SourceLocation(file, 0, fileLength), RejectReasons.ControlCountMismatch,
                $"No trailer record ({trailer.Name}): the control count cannot be checked");
    }
}
