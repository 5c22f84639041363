using System.Buffers.Binary;
using System.IO.Compression;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// Mapping tables of a stateful mixed EBCDIC code page (IBM930 / IBM939), loaded from the embedded table files that
/// <c>generate-tables.py</c> produced from glibc iconv.
/// </summary>
internal sealed class EbcdicDbcsTable
{
    public const char Undefined = '\uFFFF';
    public const ushort NoCode = 0xFFFF;
    public const byte ShiftOut = 0x0E;
    public const byte ShiftIn = 0x0F;

    /// <summary>SBCS byte → char; <see cref="Undefined"/> when not defined (and for SO/SI).</summary>
    public readonly char[] Sbcs = new char[256];

    /// <summary>DBCS code (c1 &lt;&lt; 8 | c2) → char; <see cref="Undefined"/> when not defined.</summary>
    public readonly char[] Dbcs = new char[65536];

    /// <summary>char → code: &lt; 0x100 a single byte, otherwise a double-byte code; <see cref="NoCode"/> when unmappable.</summary>
    public readonly ushort[] Encode = new ushort[65536];

    /// <summary>char → double-byte code only (for PIC N), <see cref="NoCode"/> when the char has no double-byte code.</summary>
    public readonly ushort[] EncodeDbcs = new ushort[65536];

    public int DbcsCount { get; }

    EbcdicDbcsTable(ReadOnlySpan<byte> blob)
    {
        if (!blob[..8].SequenceEqual("OGKEBC1\0"u8)) throw new InvalidDataException("Bad EBCDIC table header.");
        Array.Fill(Sbcs, Undefined);
        Array.Fill(Dbcs, Undefined);
        Array.Fill(Encode, NoCode);
        Array.Fill(EncodeDbcs, NoCode);
        var p = 8;
        for (var b = 0; b < 256; b++, p += 2) Sbcs[b] = (char)BinaryPrimitives.ReadUInt16LittleEndian(blob[p..]);
        var n = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob[p..]);
        p += 4;
        DbcsCount = n;
        var codes = blob.Slice(p, 2 * n);
        var chars = blob.Slice(p + 2 * n, 2 * n);
        p += 4 * n;
        // Decode-inverse first (SBCS wins over DBCS, lowest code wins), then the encoder-specific choices.
        for (var b = 255; b >= 0; b--)
            if (Sbcs[b] != Undefined) Encode[Sbcs[b]] = (ushort)b;
        for (var i = n - 1; i >= 0; i--)
        {
            var code = BinaryPrimitives.ReadUInt16LittleEndian(codes[(2 * i)..]);
            var ch = (char)BinaryPrimitives.ReadUInt16LittleEndian(chars[(2 * i)..]);
            Dbcs[code] = ch;
            EncodeDbcs[ch] = code;
        }
        for (var i = 0; i < n; i++)
        {
            var code = BinaryPrimitives.ReadUInt16LittleEndian(codes[(2 * i)..]);
            var ch = (char)BinaryPrimitives.ReadUInt16LittleEndian(chars[(2 * i)..]);
            if (Encode[ch] == NoCode) Encode[ch] = code;
        }
        var m = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob[p..]);
        p += 4;
        for (var i = 0; i < m; i++)
        {
            var ch = BinaryPrimitives.ReadUInt16LittleEndian(blob[(p + 2 * i)..]);
            var code = BinaryPrimitives.ReadUInt16LittleEndian(blob[(p + 2 * m + 2 * i)..]);
            var kind = blob[p + 4 * m + i];
            Encode[ch] = kind == 1 ? (ushort)(code & 0xFF) : code;
            if (kind == 2) EncodeDbcs[ch] = code;
        }
    }

    static readonly Lazy<EbcdicDbcsTable> Ibm930Lazy = new(() => Load("ibm930"));
    static readonly Lazy<EbcdicDbcsTable> Ibm939Lazy = new(() => Load("ibm939"));

    public static EbcdicDbcsTable Ibm930 => Ibm930Lazy.Value;

    public static EbcdicDbcsTable Ibm939 => Ibm939Lazy.Value;

    static EbcdicDbcsTable Load(string name)
    {
        var asm = typeof(EbcdicDbcsTable).Assembly;
        var resource = $"Ogaki.Migration.Adapters.Encodings.Tables.{name}.tbl.deflate";
        using var s = asm.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Missing embedded table {resource}.");
        using var z = new DeflateStream(s, CompressionMode.Decompress);
        using var ms = new MemoryStream();
        z.CopyTo(ms);
        return new EbcdicDbcsTable(ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }
}
