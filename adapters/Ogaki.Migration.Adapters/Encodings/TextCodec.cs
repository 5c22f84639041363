namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>Why a field's bytes could not be decoded.</summary>
public enum TextDecodeError
{
    None = 0,
    /// <summary>Bytes not defined in the code page.</summary>
    UndefinedBytes,
    /// <summary>SO without SI, nested SO, or SI without SO.</summary>
    UnbalancedShift,
    /// <summary>An odd number of bytes inside a double-byte run.</summary>
    OddDbcsLength,
    /// <summary>A NUL byte (0x00) where text belongs.</summary>
    NulBytes,
}

/// <summary>
/// A legacy text codec working on whole fields, without exceptions: the readers need the offset of the first bad
/// byte and the kind of problem. Obtain one with <see cref="LegacyEncodings.GetCodec(string)"/>.
/// </summary>
public abstract class TextCodec
{
    /// <summary>Canonical lower-case name: <c>ibm930</c>, <c>ibm939</c>, <c>cp932</c> or <c>utf-8</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True for EBCDIC: zoned digits are F0–F9 and the space is 0x40; otherwise ASCII (0x30–0x39, 0x20).</summary>
    public abstract bool IsEbcdic { get; }

    /// <summary>The .NET <see cref="System.Text.Encoding"/> (strict: exception fallbacks).</summary>
    public abstract System.Text.Encoding Encoding { get; }

    /// <summary>A copy of <see cref="Encoding"/> that decodes undefined bytes to U+FFFD (for stream readers, which cannot resume after an exception).</summary>
    public virtual System.Text.Encoding CreateReplacingEncoding()
    {
        var e = (System.Text.Encoding)Encoding.Clone();
        e.DecoderFallback = new System.Text.DecoderReplacementFallback("\uFFFD");
        return e;
    }

    /// <summary>False when no byte sequence of the code page decodes to U+FEFF, so a decoded field needs no BOM scan.</summary>
    public virtual bool MayDecodeToBom => true;

    /// <summary>The single-byte space (0x40 in EBCDIC, 0x20 otherwise).</summary>
    public byte SpaceByte => IsEbcdic ? (byte)0x40 : (byte)0x20;

    /// <summary>The zone nibble of display digits (0xF0 in EBCDIC, 0x30 in ASCII).</summary>
    public byte DigitZone => IsEbcdic ? (byte)0xF0 : (byte)0x30;

    /// <summary>Ends a failed decode: the characters written so far, the kind of problem and the offset of the bad byte.</summary>
    protected static bool Fail(out int charsWritten, int w, out TextDecodeError error, TextDecodeError kind, out int errorOffset, int offset)
    {
        charsWritten = w;
        error = kind;
        errorOffset = offset;
        return false;
    }

    /// <summary>
    /// Decodes a mixed (PIC X) field. Starts in single-byte mode; shift bytes must balance within the field.
    /// Returns false with the error kind and the field-relative offset of the first bad byte.
    /// <paramref name="destination"/> must hold at least <c>source.Length</c> chars.
    /// </summary>
    public abstract bool TryDecode(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset);

    /// <summary>
    /// Decodes a pure double-byte (PIC N) field: no shift bytes, two bytes per character.
    /// </summary>
    public abstract bool TryDecodeDbcs(ReadOnlySpan<byte> source, Span<char> destination, out int charsWritten, out TextDecodeError error, out int errorOffset);

    /// <summary>Encodes text as a mixed field (throws <see cref="System.Text.EncoderFallbackException"/> for unmappable characters).</summary>
    public byte[] Encode(string text) => Encoding.GetBytes(text);

    /// <summary>Encodes text as a pure double-byte field (no shift bytes); throws for characters without a double-byte code.</summary>
    public abstract byte[] EncodeDbcs(string text);

    /// <summary>Padding unit of PIC N fields: the double-byte space (0x4040 in EBCDIC, 0x8140 in CP932; a single space in UTF-8).</summary>
    public abstract ReadOnlySpan<byte> DbcsSpace { get; }

    /// <summary>Decodes into a new string, or null when the bytes are bad.</summary>
    public string? TryDecodeToString(ReadOnlySpan<byte> source, out TextDecodeError error, out int errorOffset)
    {
        char[]? rented = null;
        Span<char> buf = source.Length <= 512 ? stackalloc char[source.Length] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(source.Length));
        try
        {
            return TryDecode(source, buf, out var n, out error, out errorOffset) ? new string(buf[..n]) : null;
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }
}
