namespace Ogaki.Migration.Adapters.Sdk;

/// <summary>Where a legacy record (or a problem in it) is: file, 1-based record number, byte offset, field.</summary>
/// <param name="File">File name (or table name for a database source).</param>
/// <param name="RecordNumber">1-based record number within the file (or row number within the table).</param>
/// <param name="ByteOffset">Offset of the record's first byte in the file; -1 where bytes do not apply (database rows).</param>
/// <param name="Field">Field name as the layout spells it, when the location is a field.</param>
public readonly record struct SourceLocation(string File, long RecordNumber, long ByteOffset, string? Field = null)
{
    public SourceLocation WithField(string field) => this with { Field = field };

    public override string ToString() =>
        $"{File} record {RecordNumber}" + (ByteOffset >= 0 ? $" (byte offset {ByteOffset})" : "") + (Field is null ? "" : $" field {Field}");
}
