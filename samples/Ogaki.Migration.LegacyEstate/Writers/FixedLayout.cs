using System.Globalization;
using System.Reflection;
using System.Text;

namespace Ogaki.Migration.LegacyEstate.Writers;

/// <summary>One field of a fixed-length layout file (<c>record_type,name,offset,length,type,scale,notes</c>).</summary>
public sealed record LayoutField(string RecordType, string Name, int Offset, int Length, string Type, int? Scale, string Notes);

/// <summary>A fixed-length layout read from the embedded <c>*.layout.csv</c> files (lines starting with # are comments).</summary>
public sealed class FixedLayout
{
    public string Name { get; }
    public IReadOnlyList<LayoutField> Fields { get; }
    public int RecordLength { get; }
    readonly Dictionary<string, int> _index;

    FixedLayout(string name, List<LayoutField> fields)
    {
        Name = name;
        Fields = fields;
        RecordLength = fields.Max(f => f.Offset + f.Length);
        _index = fields.Select((f, i) => (f.Name, i)).Where(x => x.Name != "FILLER").ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
    }

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : throw new KeyNotFoundException(Name + "." + name);

    public static FixedLayout Load(string fileName)
    {
        using var stream = LayoutResources.Open(fileName);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var fields = new List<LayoutField>();
        var header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (header) { header = false; continue; }
            var c = line.Split(',');
            fields.Add(new LayoutField(c[0], c[1], int.Parse(c[2], CultureInfo.InvariantCulture), int.Parse(c[3], CultureInfo.InvariantCulture), c[4],
                c[5].Length == 0 ? null : int.Parse(c[5], CultureInfo.InvariantCulture), string.Join(',', c.Skip(6))));
        }
        var offset = 0;
        foreach (var f in fields)
        {
            if (f.Offset != offset) throw new InvalidDataException($"{fileName}: {f.Name} at {f.Offset}, expected {offset}");
            offset += f.Length;
        }
        return new FixedLayout(Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(fileName)), fields);
    }
}

/// <summary>The layout files shipped as embedded resources (ZEIMAST.cpy, *.layout.csv, IDO_RIREKI header, jidoteate DDL).</summary>
public static class LayoutResources
{
    public static IReadOnlyList<string> FileNames { get; } =
        ["ZEIMAST.cpy", "JUMIN.layout.csv", "SETAI.layout.csv", "IDO_RIREKI.header.csv", "jidoteate.sql", "README.md"];

    public static Stream Open(string fileName) =>
        typeof(LayoutResources).Assembly.GetManifestResourceStream("Ogaki.Migration.LegacyEstate.Layouts." + fileName)
        ?? throw new InvalidOperationException("missing layout resource " + fileName);

    public static string ReadText(string fileName)
    {
        using var reader = new StreamReader(Open(fileName), Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// Writes CP932 fixed-length records with CRLF. Text is left-aligned and space-padded, digits right-aligned and
/// zero-padded; encoding fails loudly (no '?' substitution) and a value never splits a double-byte character.
/// </summary>
internal sealed class FixedRecordWriter : IDisposable
{
    static readonly Encoding Cp932 = CreateCp932();
    readonly FixedLayout _layout;
    readonly Stream _out;
    readonly byte[] _record;
    readonly string?[] _values;
    readonly byte[] _scratch = new byte[4096];

    public FixedRecordWriter(FixedLayout layout, string path)
    {
        _layout = layout;
        _out = new BufferedStream(File.Create(path), 1 << 16);
        _record = new byte[layout.RecordLength + 2];
        _values = new string?[layout.Fields.Count];
    }

    public long Count { get; private set; }

    public static Encoding CreateCp932()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public void Set(string name, string value) => _values[_layout.IndexOf(name)] = value;

    public void Clear() => Array.Clear(_values);

    public void WriteRecord()
    {
        Array.Fill(_record, (byte)' ');
        for (var i = 0; i < _values.Length; i++)
        {
            var f = _layout.Fields[i];
            var v = _values[i];
            if (f.Type == "9")
            {
                v ??= "";
                if (v.Length > f.Length) throw new InvalidOperationException($"{_layout.Name}.{f.Name}: '{v}' longer than {f.Length}");
                var pad = f.Length - v.Length;
                for (var k = 0; k < pad; k++) _record[f.Offset + k] = (byte)'0';
                for (var k = 0; k < v.Length; k++) _record[f.Offset + pad + k] = (byte)v[k];
            }
            else if (!string.IsNullOrEmpty(v))
            {
                var n = Cp932.GetBytes(v, _scratch);
                if (n > f.Length)
                {
                    var text = v;
                    while (Cp932.GetByteCount(text) > f.Length) text = text[..^(char.IsLowSurrogate(text[^1]) ? 2 : 1)];
                    n = Cp932.GetBytes(text, _scratch);
                }
                _scratch.AsSpan(0, n).CopyTo(_record.AsSpan(f.Offset));
            }
        }
        _record[^2] = (byte)'\r';
        _record[^1] = (byte)'\n';
        _out.Write(_record);
        Count++;
    }

    public void Dispose() => _out.Dispose();
}
