using System.Buffers.Binary;
using Ogaki.Migration.Adapters.Sdk;
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
    readonly SpillBytes _entry = new();
    string? _path;
    FileStream? _stream;

    public long Count { get; private set; }

    public void Add(MappingSource source, SourceCounts counts, SourceLocation location, Household record, string key)
    {
        if (_stream is null)
        {
            _path = Path.Combine(tempDirectory ?? Path.GetTempPath(), "ogaki-households-" + Guid.NewGuid().ToString("N") + ".pending");
            _stream = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
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
        // An entry: its length, then source, file, record number, byte offset, field, key and the record's values.
        _entry.Clear().Int32(s).Int32(file).Int64(location.RecordNumber).Int64(location.ByteOffset).Text(location.Field).Text(key);
        var items = Household.Spec.Items.Count;
        for (var i = 0; i < items; i++) WriteValue(record.GetValue(i));
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, _entry.Length);
        _stream.Write(length);
        _stream.Write(_entry.Span);
        Count++;
    }

    /// <summary>The records in the order they were added; the file is deleted once they have all been read.</summary>
    public IEnumerable<(MappingSource Source, SourceCounts Counts, SourceLocation Location, Household Record, string Key)> Drain()
    {
        if (_stream is null) yield break;
        _stream.Flush();
        _stream.Position = 0;
        var values = new object?[Household.Spec.Items.Count];
        var buffer = new byte[256];
        for (var n = 0L; n < Count; n++)
        {
            ReadFully(buffer.AsSpan(0, 4));
            var length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
            if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
            ReadFully(buffer.AsSpan(0, length));
            var (source, counts, location, key) = ReadEntry(buffer.AsSpan(0, length), values);
            yield return (source, counts, location, Household.FromValues(values), key);
        }
        Dispose();
    }

    (MappingSource, SourceCounts, SourceLocation, string) ReadEntry(ReadOnlySpan<byte> entry, object?[] values)
    {
        var (source, counts) = _sources[SpillBytes.ReadInt32(ref entry)];
        var file = _fileNames[SpillBytes.ReadInt32(ref entry)];
        var recordNumber = SpillBytes.ReadInt64(ref entry);
        var byteOffset = SpillBytes.ReadInt64(ref entry);
        var location = new SourceLocation(file, recordNumber, byteOffset, SpillBytes.ReadText(ref entry));
        var key = SpillBytes.ReadText(ref entry)!;
        for (var i = 0; i < values.Length; i++) values[i] = ReadValue(ref entry);
        return (source, counts, location, key);
    }

    void ReadFully(Span<byte> into)
    {
        var read = 0;
        while (read < into.Length)
        {
            var n = _stream!.Read(into[read..]);
            if (n == 0) throw new EndOfStreamException($"the pending households file {_path} ends inside an entry");
            read += n;
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        Count = 0;
        if (_path is null) return;
        try { File.Delete(_path); }
        catch (IOException) { /* DeleteOnClose removed it already */ }
    }

    // A value: a type tag, then the value (texts as SpillBytes texts, so every character comes back as it was).
    const byte Null = 0, Text = 1, Int = 2, Bool = 3, Date = 4; // the types of Household items

    void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _entry.Byte(Null); break;
            case string s: _entry.Byte(Text).Text(s); break;
            case int i: _entry.Byte(Int).Int32(i); break;
            case bool b: _entry.Byte(Bool).Byte(b ? (byte)1 : (byte)0); break;
            case DateOnly d: _entry.Byte(Date).Int32(d.DayNumber); break;
            default: throw new NotSupportedException($"a pending Household value of type {value.GetType().Name} cannot be kept on disk");
        }
    }

    static object? ReadValue(ref ReadOnlySpan<byte> entry)
    {
        switch (SpillBytes.ReadByte(ref entry))
        {
            case Null: return null;
            case Text: return SpillBytes.ReadText(ref entry);
            case Int: return SpillBytes.ReadInt32(ref entry);
            case Bool: return SpillBytes.ReadByte(ref entry) != 0;
            case Date: return DateOnly.FromDayNumber(SpillBytes.ReadInt32(ref entry));
            case var tag: throw new InvalidDataException($"the pending households file has an unknown value tag {tag}");
        }
    }
}
