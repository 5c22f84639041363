// FixedLengthAdapter, reading: the file streamed into batches of framed records, decoded in parallel and yielded
// in file order with pooled buffers.

using System.Buffers;
using System.Runtime.CompilerServices;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

public sealed partial class FixedLengthAdapter
{
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
}
