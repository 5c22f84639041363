using System.Text;

namespace Ogaki.Migration.LegacyEstate.Writers;

/// <summary>UTF-8 with BOM, CRLF, RFC 4180 quoting only where needed.</summary>
internal sealed class CsvRowWriter : IDisposable
{
    readonly StreamWriter _w;

    public CsvRowWriter(string path, string headerLine)
    {
        _w = new StreamWriter(path, false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16) { NewLine = "\r\n" };
        _w.WriteLine(headerLine);
    }

    public long Count { get; private set; }

    public void WriteRow(ReadOnlySpan<string> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _w.Write(',');
            var f = fields[i];
            if (f.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                _w.Write('"');
                _w.Write(f.Replace("\"", "\"\"", StringComparison.Ordinal));
                _w.Write('"');
            }
            else
            {
                _w.Write(f);
            }
        }
        _w.WriteLine();
        Count++;
    }

    public void Dispose() => _w.Dispose();
}
