using System.Runtime.InteropServices;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// Household records waiting for the residents to prove exactly one 世帯主 each, kept in a temporary file instead of
/// memory (there is one per household of the estate). <see cref="Drain"/> gives them back in the order they were
/// added, equal to the records added. The file holds personal data: it is created in the caller's temporary folder
/// and deleted when drained or disposed. Not thread-safe.
/// </summary>
public sealed class PendingHouseholds(string? tempDirectory) : IDisposable
{
    readonly List<(MappingSource Source, SourceCounts Counts)> _sources = [];
    readonly Dictionary<string, int> _files = new(StringComparer.Ordinal);
    readonly List<string> _fileNames = [];
    string? _path;
    FileStream? _stream;
    BinaryWriter? _writer;

    public long Count { get; private set; }

    public void Add(MappingSource source, SourceCounts counts, SourceLocation location, Household record, string key)
    {
        if (_writer is null)
        {
            _path = Path.Combine(tempDirectory ?? Path.GetTempPath(), "ogaki-households-" + Guid.NewGuid().ToString("N") + ".pending");
            _stream = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _writer = new BinaryWriter(_stream);
        }
        var s = _sources.FindIndex(x => ReferenceEquals(x.Source, source) && ReferenceEquals(x.Counts, counts));
        if (s < 0)
        {
            s = _sources.Count;
            _sources.Add((source, counts));
        }
        if (!_files.TryGetValue(location.File, out var file))
        {
            _files[location.File] = file = _fileNames.Count;
            _fileNames.Add(location.File);
        }
        _writer.Write(s);
        _writer.Write(file);
        _writer.Write(location.RecordNumber);
        _writer.Write(location.ByteOffset);
        WriteText(location.Field);
        WriteText(key);
        var items = Household.Spec.Items.Count;
        for (var i = 0; i < items; i++) WriteValue(record.GetValue(i));
        Count++;
    }

    /// <summary>The records in the order they were added; the file is deleted once they have all been read.</summary>
    public IEnumerable<(MappingSource Source, SourceCounts Counts, SourceLocation Location, Household Record, string Key)> Drain()
    {
        if (_writer is null) yield break;
        _writer.Flush();
        _stream!.Position = 0;
        using (var reader = new BinaryReader(_stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var values = new object?[Household.Spec.Items.Count];
            for (var n = 0L; n < Count; n++)
            {
                var (source, counts) = _sources[reader.ReadInt32()];
                var file = _fileNames[reader.ReadInt32()];
                var location = new SourceLocation(file, reader.ReadInt64(), reader.ReadInt64(), ReadText(reader));
                var key = ReadText(reader)!;
                for (var i = 0; i < values.Length; i++) values[i] = ReadValue(reader);
                yield return (source, counts, location, Household.FromValues(values), key);
            }
        }
        Dispose();
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
        _writer = null;
        _stream = null;
        Count = 0;
        if (_path is null) return;
        try { File.Delete(_path); }
        catch (IOException) { /* DeleteOnClose removed it already */ }
    }

    // A value: a type tag, then the value; texts as their UTF-16 code units, so every character comes back as it was.
    const byte Null = 0, Text = 1, Int = 2, Long = 3, Decimal = 4, Bool = 5, Date = 6, Month = 7;

    void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _writer!.Write(Null); break;
            case string s: _writer!.Write(Text); WriteText(s); break;
            case int i: _writer!.Write(Int); _writer.Write(i); break;
            case long l: _writer!.Write(Long); _writer.Write(l); break;
            case decimal d: _writer!.Write(Decimal); _writer.Write(d); break;
            case bool b: _writer!.Write(Bool); _writer.Write(b); break;
            case DateOnly d: _writer!.Write(Date); _writer.Write(d.DayNumber); break;
            case YearMonth m: _writer!.Write(Month); _writer.Write(m.Year); _writer.Write(m.Month); break;
            default: throw new NotSupportedException($"a pending Household value of type {value.GetType().Name} cannot be kept on disk");
        }
    }

    static object? ReadValue(BinaryReader reader) => reader.ReadByte() switch
    {
        Null => null,
        Text => ReadText(reader),
        Int => reader.ReadInt32(),
        Long => reader.ReadInt64(),
        Decimal => reader.ReadDecimal(),
        Bool => reader.ReadBoolean(),
        Date => DateOnly.FromDayNumber(reader.ReadInt32()),
        Month => new YearMonth(reader.ReadInt32(), reader.ReadInt32()),
        var tag => throw new InvalidDataException($"the pending households file has an unknown value tag {tag}"),
    };

    void WriteText(string? text)
    {
        _writer!.Write(text?.Length ?? -1);
        if (text is not null) _writer.Write(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    static string? ReadText(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0) return null;
        var bytes = reader.ReadBytes(length * 2);
        if (bytes.Length != length * 2) throw new EndOfStreamException("the pending households file ends inside a text");
        return MemoryMarshal.Cast<byte, char>(bytes).ToString();
    }
}
