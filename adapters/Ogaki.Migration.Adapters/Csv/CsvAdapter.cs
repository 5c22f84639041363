using System.Runtime.CompilerServices;
using System.Text;
using nietras.SeparatedValues;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Csv;

/// <summary>
/// Reads a CSV file (RFC 4180 quoting, comma separator, a header row) with Sep. Encoding <c>utf-8</c> (a BOM is
/// allowed at the start) or <c>cp932</c>. Each data row is a <see cref="LegacyRecord"/> whose field names are the
/// header names as written (Japanese names kept) and whose values are strings. Record number = data row number
/// (1-based, the header not counted); byte offset = the row's first byte (computed from the encoded length of the
/// rows before it and the file's line ending). Rejects: empty file, a BOM in a CP932 file or inside a row,
/// rows with a different number of columns (<c>malformed-row</c>), bytes undefined in the encoding, NUL bytes.
/// </summary>
public sealed class CsvAdapter(string path, string encoding = "utf-8", char separator = ',') : ILegacyAdapter
{
    readonly TextCodec _codec = LegacyEncodings.GetCodec(encoding);

    public string Name => $"csv:{Path.GetFileName(path)}";

    public async IAsyncEnumerable<LegacyReadResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var file = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"CSV file not found: {path}", path);
        if (info.Length == 0)
        {
            yield return new LegacyReject(new SourceLocation(file, 0, 0), RejectReasons.EmptyFile, "The file is empty.");
            yield break;
        }

        // Look at the start: BOM and line ending.
        var head = new byte[Math.Min(64 * 1024, (int)Math.Min(int.MaxValue, info.Length))];
        await using (var probe = File.OpenRead(path))
        {
            var n = 0;
            while (n < head.Length)
            {
                var r = await probe.ReadAsync(head.AsMemory(n), cancellationToken).ConfigureAwait(false);
                if (r == 0) break;
                n += r;
            }
        }
        var bom = head.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var lf = head.AsSpan().IndexOf((byte)0x0A);
        var newlineBytes = lf > 0 && head[lf - 1] == 0x0D ? 2 : 1;
        if (bom > 0 && _codec.Name != "utf-8")
        {
            yield return new LegacyReject(new SourceLocation(file, 0, 0), RejectReasons.UnexpectedBom,
                $"A UTF-8 byte order mark starts a {_codec.Name} file; it was skipped", head.AsSpan(0, 3).ToArray());
        }

        // Undefined bytes become U+FFFD here and the row is rejected (the reader cannot resume after an exception).
        var textEncoding = _codec.CreateReplacingEncoding();
        var countEncoding = _codec.Encoding;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        stream.Position = bom;
        using var text = new StreamReader(stream, textEncoding, detectEncodingFromByteOrderMarks: false, 1 << 16);
        using var reader = Sep.New(separator).Reader(o => o with { HasHeader = true, Unescape = true, DisableColCountCheck = true, DisableFastFloat = true }).From(text);
        var names = reader.Header.ColNames.ToArray();
        long offset = bom + ByteCount(countEncoding, string.Join(separator, reader.Header.ColNames)) + newlineBytes;
        if (names.Length == 0) yield break;
        if (reader.Header.ColNames.Count > 0 && reader.Header.ColNames[0].Contains('\uFEFF', StringComparison.Ordinal))
            names[0] = names[0].Replace("\uFEFF", "", StringComparison.Ordinal);
        long number = 0;
        foreach (var row in reader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            var raw = row.Span;
            var loc = new SourceLocation(file, number, offset);
            var rowBytes = ByteCount(countEncoding, raw);
            offset += rowBytes + newlineBytes;
            LegacyReadResult result;
            var bad = raw.IndexOfAny('\uFFFD', '\0', '\uFEFF');
            if (bad >= 0)
            {
                var prefix = ByteCount(countEncoding, raw[..bad]);
                var (reason, what) = raw[bad] switch
                {
                    '\uFFFD' => (RejectReasons.UndefinedBytes, $"bytes undefined in {_codec.Name}"),
                    '\0' => (RejectReasons.NulBytes, "a NUL byte"),
                    _ => (RejectReasons.UnexpectedBom, "a byte order mark inside the row"),
                };
                var col = ColumnAt(raw, bad, separator);
                result = new LegacyReject(loc with { ByteOffset = loc.ByteOffset + prefix, Field = col < names.Length ? names[col] : null },
                    reason, $"Row {number} has {what} at character {bad + 1}", Encode(countEncoding, raw));
            }
            else if (row.ColCount != names.Length)
            {
                result = new LegacyReject(loc, RejectReasons.MalformedRow,
                    $"Row {number} has {row.ColCount} columns; the header has {names.Length}", Encode(countEncoding, raw));
            }
            else
            {
                var values = new object?[names.Length];
                for (var i = 0; i < names.Length; i++) values[i] = ShortStrings.Of(row[i].Span);
                result = new LegacyRecord(loc, "", new LegacyGroup(names, values));
            }
            yield return result;
        }
    }

    static int ColumnAt(ReadOnlySpan<char> raw, int index, char separator)
    {
        var col = 0;
        var quoted = false;
        for (var i = 0; i < index; i++)
        {
            if (raw[i] == '"') quoted = !quoted;
            else if (raw[i] == separator && !quoted) col++;
        }
        return col;
    }

    static int ByteCount(Encoding e, ReadOnlySpan<char> s)
    {
        try
        {
            return e.GetByteCount(s);
        }
        catch (EncoderFallbackException)
        {
            return s.Length;
        }
    }

    static byte[] Encode(Encoding e, ReadOnlySpan<char> s)
    {
        try
        {
            return e.GetBytes(s.ToArray());
        }
        catch (EncoderFallbackException)
        {
            return Encoding.UTF8.GetBytes(s.ToArray());
        }
    }
}
