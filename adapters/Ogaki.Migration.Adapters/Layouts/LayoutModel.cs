using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>How a field's bytes are interpreted.</summary>
public enum FieldKind
{
    /// <summary>A group item: its value is a <see cref="LegacyGroup"/> of its children.</summary>
    Group,
    /// <summary>PIC X / A (and numeric-edited pictures): mixed text; SBCS and SO…SI DBCS in EBCDIC.</summary>
    Alphanumeric,
    /// <summary>PIC N / G: pure double-byte text, no shift bytes, padded with the double-byte space.</summary>
    National,
    /// <summary>PIC 9 / S9 DISPLAY: zoned decimal, one digit per byte, sign in the last byte's zone.</summary>
    Zoned,
    /// <summary>COMP-3 / PACKED-DECIMAL.</summary>
    Packed,
    /// <summary>COMP / COMP-4 / COMP-5 / BINARY: two's-complement integer (big-endian unless the layout says otherwise).</summary>
    Binary,
}

/// <summary>What a record type is for.</summary>
public enum RecordRole
{
    Data,
    Header,
    Trailer,
}

/// <summary>Record terminator of a fixed-length file.</summary>
public enum RecordTerminator
{
    /// <summary>Decide from the file: a terminator after the first record (EBCDIC ones only for EBCDIC encodings), otherwise none.</summary>
    Auto,
    None,
    /// <summary>0x0A (also in EBCDIC files transferred with ASCII line ends).</summary>
    Lf,
    /// <summary>0x0D 0x0A.</summary>
    CrLf,
    /// <summary>EBCDIC NL 0x15, as z/OS writes text records (<c>@TERMINATOR NL</c>); EBCDIC encodings only.</summary>
    EbcdicNl,
    /// <summary>EBCDIC LF 0x25 (<c>@TERMINATOR EBCDIC-LF</c>); EBCDIC encodings only.</summary>
    EbcdicLf,
    /// <summary>EBCDIC CR LF 0x0D 0x25 (<c>@TERMINATOR EBCDIC-CRLF</c>); EBCDIC encodings only.</summary>
    EbcdicCrLf,
}

/// <summary>Bytes and families of <see cref="RecordTerminator"/>s.</summary>
public static class RecordTerminators
{
    /// <summary>The bytes that end a record (empty for None/Auto).</summary>
    public static ReadOnlySpan<byte> Bytes(RecordTerminator t) => t switch
    {
        RecordTerminator.Lf => [0x0A],
        RecordTerminator.CrLf => [0x0D, 0x0A],
        RecordTerminator.EbcdicNl => [0x15],
        RecordTerminator.EbcdicLf => [0x25],
        RecordTerminator.EbcdicCrLf => [0x0D, 0x25],
        _ => [],
    };

    /// <summary>True for the terminators that exist only in EBCDIC (NL, LF 0x25, CR LF 0x0D 0x25).</summary>
    public static bool IsEbcdic(RecordTerminator t) => t is RecordTerminator.EbcdicNl or RecordTerminator.EbcdicLf or RecordTerminator.EbcdicCrLf;

    /// <summary>The terminators a file with <paramref name="t"/> might mix in by mistake, two-byte ones first.</summary>
    internal static RecordTerminator[] Family(RecordTerminator t) => IsEbcdic(t)
        ? [RecordTerminator.EbcdicCrLf, RecordTerminator.EbcdicNl, RecordTerminator.EbcdicLf]
        : [RecordTerminator.CrLf, RecordTerminator.Lf];

    /// <summary>Name as written in <c>@TERMINATOR</c>.</summary>
    public static string Name(RecordTerminator t) => t switch
    {
        RecordTerminator.Lf => "LF",
        RecordTerminator.CrLf => "CRLF",
        RecordTerminator.EbcdicNl => "NL",
        RecordTerminator.EbcdicLf => "EBCDIC-LF",
        RecordTerminator.EbcdicCrLf => "EBCDIC-CRLF",
        RecordTerminator.None => "NONE",
        _ => "AUTO",
    };
}

/// <summary>
/// One field of a record layout. <see cref="Offset"/> is relative to the start of the record (for the first
/// occurrence when the field or one of its parents has OCCURS); <see cref="Length"/> is the length of one occurrence.
/// </summary>
public sealed class FieldDef
{
    public required string Name { get; init; }
    public int Level { get; init; }
    public int Offset { get; internal set; }
    public int Length { get; internal set; }
    public FieldKind Kind { get; init; }
    /// <summary>Number of digits (numeric kinds).</summary>
    public int Digits { get; init; }
    /// <summary>Implied decimal places (V).</summary>
    public int Scale { get; init; }
    /// <summary>S in the picture.</summary>
    public bool Signed { get; init; }
    /// <summary>SIGN … SEPARATE: the sign is a separate leading or trailing byte (+ or -).</summary>
    public bool SignSeparate { get; init; }
    /// <summary>SIGN LEADING (zoned): the sign sits on (or before) the first digit.</summary>
    public bool SignLeading { get; init; }
    /// <summary>Number of occurrences (1 when there is no OCCURS); the maximum for OCCURS … DEPENDING ON.</summary>
    public int Occurs { get; init; } = 1;
    /// <summary>OCCURS min TO max DEPENDING ON: the minimum number of occurrences (= <see cref="Occurs"/> otherwise).</summary>
    public int MinOccurs { get; init; } = -1;
    /// <summary>
    /// OCCURS … DEPENDING ON: the integer field (earlier in the record, at a fixed position) whose value is the number of
    /// occurrences present. As on IBM hosts the record is then shorter and the items after the table move up;
    /// <see cref="Offset"/>s are those of the maximum layout.
    /// </summary>
    public string? DependingOn { get; init; }
    /// <summary>Group children in layout order (REDEFINES resolved for the owning record type).</summary>
    public IReadOnlyList<FieldDef> Children { get; internal set; } = [];
    /// <summary>The name this field redefines, if any.</summary>
    public string? Redefines { get; init; }
    /// <summary>The PICTURE string as written (empty for groups).</summary>
    public string Picture { get; init; } = "";
    /// <summary>Level-88 condition names with their values.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Conditions { get; internal set; } = [];
    /// <summary>1-based line in the copybook or layout file.</summary>
    public int LineNumber { get; init; }
    /// <summary>Free text from the layout file's notes column.</summary>
    public string? Notes { get; init; }

    /// <summary>Bytes taken by all occurrences.</summary>
    public int TotalLength => Length * Occurs;

    public bool IsNumeric => Kind is FieldKind.Zoned or FieldKind.Packed or FieldKind.Binary;

    internal FieldDef CloneShallow(IReadOnlyList<FieldDef> children) => new()
    {
        Name = Name,
        Level = Level,
        Offset = Offset,
        Length = Length,
        Kind = Kind,
        Digits = Digits,
        Scale = Scale,
        Signed = Signed,
        SignSeparate = SignSeparate,
        SignLeading = SignLeading,
        Occurs = Occurs,
        MinOccurs = MinOccurs,
        DependingOn = DependingOn,
        Children = children,
        Redefines = Redefines,
        Picture = Picture,
        Conditions = Conditions,
        LineNumber = LineNumber,
        Notes = Notes,
    };

    /// <summary>The least number of occurrences a record holds.</summary>
    public int LeastOccurs => MinOccurs >= 0 ? MinOccurs : Occurs;

    public override string ToString() =>
        $"{Name} @{Offset}+{Length}{(DependingOn is not null ? $"x{LeastOccurs}..{Occurs} DEPENDING ON {DependingOn}" : Occurs > 1 ? $"x{Occurs}" : "")} {Kind}{(IsNumeric ? $"({Digits},{Scale}{(Signed ? ",S" : "")})" : "")}";
}

/// <summary>One record type of a file: its fields (a record-type-specific view with REDEFINES resolved).</summary>
public sealed class RecordLayout
{
    /// <summary>Record type name: the 01 record name, the REDEFINES branch name, or the layout file's record type.</summary>
    public required string Name { get; init; }
    /// <summary>Record length in bytes (without terminator); with OCCURS DEPENDING ON, the length at the maximum occurrences.</summary>
    public required int Length { get; init; }
    /// <summary>True when an OCCURS DEPENDING ON table makes the record's length vary.</summary>
    public bool IsVariable => VariableTables.Count > 0;
    /// <summary>The OCCURS DEPENDING ON tables of this record type in byte order, each with its count field.</summary>
    public IReadOnlyList<VariableTable> VariableTables { get; init; } = [];
    /// <summary>Top-level fields (children of the 01 level).</summary>
    public required IReadOnlyList<FieldDef> Fields { get; init; }
    /// <summary>Selector values that identify this record type (text as written in the layout; empty when there is one type).</summary>
    public IReadOnlyList<string> SelectorValues { get; init; } = [];
    public RecordRole Role { get; init; } = RecordRole.Data;
    /// <summary>Header/trailer field holding the number of data records, if declared (a field path).</summary>
    public string? CountField { get; init; }
    /// <summary>Trailer field holding a control total, and the data field path it sums (if declared).</summary>
    public string? TotalField { get; init; }
    public string? TotalOfField { get; init; }

    /// <summary>Finds a field by dotted path (e.g. <c>R-JUSHO.R-BANCHI</c>) or by unique name anywhere in the record.</summary>
    public FieldDef? Find(string path) => FileLayout.FindIn(Fields, path);
}

/// <summary>An OCCURS … DEPENDING ON table of a record type and the field that holds its number of occurrences.</summary>
/// <param name="Table">The table (ODO subject).</param>
/// <param name="TablePath">Its dotted path.</param>
/// <param name="Count">The count field (ODO object): an integer at a fixed position before the first variable table.</param>
/// <param name="CountPath">Its dotted path.</param>
public sealed record VariableTable(FieldDef Table, string TablePath, FieldDef Count, string CountPath);

/// <summary>
/// A file's layout: its record types and how a record's type is recognised. Built by
/// <see cref="CopybookParser"/> (COBOL copybooks) or <see cref="LayoutFileParser"/> (layout definition CSV).
/// Encoding-neutral: the same layout describes a file in any supported encoding.
/// </summary>
public sealed class FileLayout
{
    public required string Name { get; init; }
    public required IReadOnlyList<RecordLayout> Records { get; init; }
    /// <summary>Field (path) holding the record type, when there are several record types.</summary>
    public string? SelectorField { get; init; }
    /// <summary>Selector byte position and length (resolved from <see cref="SelectorField"/>).</summary>
    public int SelectorOffset { get; init; }
    public int SelectorLength { get; init; }
    /// <summary>Selector field kind (Alphanumeric or Zoned).</summary>
    public FieldKind SelectorKind { get; init; } = FieldKind.Alphanumeric;
    /// <summary>Record terminator declared by the layout (<c>@TERMINATOR</c>); Auto when not declared.</summary>
    public RecordTerminator Terminator { get; init; } = RecordTerminator.Auto;
    /// <summary>Encoding declared by the layout (<c>@ENCODING</c>), if any.</summary>
    public string? Encoding { get; init; }
    /// <summary>Binary (COMP) fields are little-endian (<c>@BINARY LITTLE</c>); big-endian by default.</summary>
    public bool BinaryLittleEndian { get; init; }
    /// <summary>Sign convention of zoned fields in ASCII-family files (<c>@ZONED-SIGN</c>).</summary>
    public Encodings.ZonedSign AsciiZonedSign { get; init; } = Encodings.ZonedSign.AsciiMicroFocus;

    /// <summary>Longest record type.</summary>
    public int MaxLength => Records.Count == 0 ? 0 : Records.Max(r => r.Length);

    public RecordLayout? FindRecord(string name) => Records.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    internal static FieldDef? FindIn(IReadOnlyList<FieldDef> fields, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var head = fields.FirstOrDefault(f => string.Equals(f.Name, path[..dot], StringComparison.OrdinalIgnoreCase));
            return head is null ? null : FindIn(head.Children, path[(dot + 1)..]);
        }
        foreach (var f in fields)
        {
            if (string.Equals(f.Name, path, StringComparison.OrdinalIgnoreCase)) return f;
        }
        foreach (var f in fields)
        {
            var hit = FindIn(f.Children, path);
            if (hit is not null) return hit;
        }
        return null;
    }
}

/// <summary>A copybook or layout file that cannot be understood; names the line.</summary>
public sealed class LayoutException(string source, int lineNumber, string message)
    : InputFormatException(source, lineNumber, message)
{
    public string LayoutSource { get; } = source;
    public int LineNumber { get; } = lineNumber;
}
