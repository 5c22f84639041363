// FixedLengthAdapter: construction from a layout and an encoding, and the record-type selector. The rest is in
// partial files: Reading (batches in file order), Framing (one record's bytes), Terminators, Controls (header/trailer).

using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

/// <summary>
/// Reads a fixed-length legacy file from a layout (COBOL copybook or layout file) and an encoding name
/// (<c>ibm930</c>, <c>ibm939</c>, <c>cp932</c>, <c>utf-8</c>): no vendor code. Streams records in file order with
/// pooled buffers; batches are decoded in parallel. Record types are dispatched on the layout's selector field;
/// records may be followed by LF or CRLF. Every bad input becomes a <see cref="LegacyReject"/> (reasons in
/// <see cref="RejectReasons"/>) and the run goes on: every physical record (record number ≥ 1) is either passed
/// on or rejected. File-level problems that are not a record (empty file, missing trailer, a header count that no
/// trailer checked) are rejects with record number 0.
/// </summary>
public sealed partial class FixedLengthAdapter : ILegacyAdapter
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
}
