namespace Ogaki.Migration.Adapters.Layouts;

internal static class LayoutFinisher
{
    /// <summary>A record type as both layout parsers build it: what its @RECORD directive says (role, COUNT, TOTAL, TOTAL … OF) applied.</summary>
    public static RecordLayout Record(string name, int length, IReadOnlyList<FieldDef> fields, LayoutDirectives.RecordDirective? dir,
        IReadOnlyList<string>? selectorValues = null, IReadOnlyList<VariableTable>? variableTables = null) => new()
    {
        Name = name,
        Length = length,
        Fields = fields,
        VariableTables = variableTables ?? [],
        SelectorValues = selectorValues ?? [],
        Role = dir?.Role ?? RecordRole.Data,
        CountField = dir?.Count,
        TotalField = dir?.Total,
        TotalOfField = dir?.TotalOf,
    };

    public static FileLayout Finish(string name, string source, List<RecordLayout> records, LayoutDirectives d)
    {
        foreach (var r in records) LayoutLimits.Check(r.Length, source, 0, $"Record type {r.Name}");
        var selectorOffset = 0;
        var selectorLength = 0;
        var selectorKind = FieldKind.Alphanumeric;
        if (d.Selector is not null)
        {
            var def = records.Select(r => r.Find(d.Selector)).FirstOrDefault(f => f is not null)
                ?? throw new LayoutException(source, d.SelectorLine, $"@SELECTOR {d.Selector}: no such field.");
            if (def.Kind is not (FieldKind.Alphanumeric or FieldKind.Zoned) || def.Occurs > 1)
                throw new LayoutException(source, d.SelectorLine, $"@SELECTOR {d.Selector}: the record-type field must be PIC X or PIC 9 DISPLAY without OCCURS.");
            selectorOffset = def.Offset;
            selectorLength = def.Length;
            selectorKind = def.Kind;
            foreach (var r in records)
            {
                if (r.VariableTables.Count > 0 && selectorOffset + selectorLength > r.VariableTables[0].Table.Offset)
                    throw new LayoutException(source, d.SelectorLine, $"@SELECTOR {d.Selector}: in record type {r.Name} it follows the OCCURS … DEPENDING ON table {r.VariableTables[0].TablePath}; the record-type field must be at a fixed position.");
                if (r.Length < selectorOffset + selectorLength)
                    throw new LayoutException(source, d.SelectorLine, $"Record type {r.Name} is shorter than the selector field.");
                foreach (var v in r.SelectorValues)
                {
                    if (v.Length > selectorLength)
                        throw new LayoutException(source, d.SelectorLine, $"Record type {r.Name}: selector value '{v}' is longer than {d.Selector} ({selectorLength}).");
                }
            }
            var dup = records.SelectMany(r => r.SelectorValues.Select(v => (r.Name, v))).GroupBy(x => x.v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null)
                throw new LayoutException(source, d.SelectorLine, $"Selector value '{dup.Key}' is declared for more than one record type ({string.Join(", ", dup.Select(x => x.Name))}).");
        }
        foreach (var r in records)
        {
            foreach (var (field, what) in new[] { (r.CountField, "COUNT"), (r.TotalField, "TOTAL") })
            {
                if (field is null) continue;
                var def = r.Find(field);
                if (def is null || !def.IsNumeric && def.Kind != FieldKind.Alphanumeric)
                    throw new LayoutException(source, d.Records.FirstOrDefault(x => string.Equals(x.Variant, r.Name, StringComparison.OrdinalIgnoreCase))?.Line ?? 1,
                        $"@RECORD {r.Name} {what} {field}: no such numeric field in that record type.");
            }
            if (r.TotalOfField is { } of && !records.Any(x => x.Role == RecordRole.Data && x.Find(of) is { IsNumeric: true }))
                throw new LayoutException(source, 1, $"@RECORD {r.Name} TOTAL … OF {of}: no data record type has that numeric field.");
        }
        if (RecordTerminators.IsEbcdic(d.Terminator) && d.Encoding is { } enc && Encodings.LegacyEncodings.TryGetCodec(enc) is { IsEbcdic: false })
            throw new LayoutException(source, d.TerminatorLine, $"@TERMINATOR {RecordTerminators.Name(d.Terminator)} is an EBCDIC record terminator; @ENCODING {enc} is not EBCDIC.");
        return new FileLayout
        {
            Name = name,
            Records = records,
            SelectorField = d.Selector,
            SelectorOffset = selectorOffset,
            SelectorLength = selectorLength,
            SelectorKind = selectorKind,
            Terminator = d.Terminator,
            Encoding = d.Encoding,
            BinaryLittleEndian = d.BinaryLittle,
            AsciiZonedSign = d.ZonedSign,
        };
    }
}
