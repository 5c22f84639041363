// The options of FixedLengthAdapter.

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
