using System.Text;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// Decodes the CP932 codes that Windows and glibc decode but .NET's code page 932 hands to the decoder fallback: the
/// duplicate codes, second codes of characters that already have one. They are the NEC-selected IBM extensions
/// (NEC選定IBM拡張文字, lead bytes ED–EE: the same 374 characters as the IBM extensions, in the same order —
/// ED40–EEEC ↔ FA5C–FC4B, e.g. 髙 EEE0 = FBFC; EEEF–EEF8 ↔ FA40–FA49 ⅰ–ⅹ; EEF9 ↔ 81CA ￢; EEFA–EEFC ↔ FA55–FA57;
/// EEED and EEEE are unassigned), the NEC row-13 twins of JIS symbols (8790 ≒ … 879C ∪) and the IBM-extension twins of
/// NEC characters (FA4A–FA53 Ⅰ–Ⅹ, FA54 ￢, FA58 ㈱, FA59 №, FA5A ℡, FA5B ∵). Every other byte sequence goes to
/// <see cref="Inner"/>. Encoding is untouched: a character encodes to its one preferred code (the IBM form FAxx–FCxx
/// for the extensions, 81CA for ￢, the NEC code for Ⅰ), as Windows and glibc's <c>iconv -t CP932</c> do.
/// </summary>
internal sealed class Cp932DuplicateCodeFallback(DecoderFallback inner) : DecoderFallback
{
    /// <summary>The fallback for byte sequences that are not duplicate codes.</summary>
    public DecoderFallback Inner { get; } = inner;

    /// <summary>Code (lead &lt;&lt; 8 | trail) → character, for the 398 duplicate codes.</summary>
    internal static IReadOnlyDictionary<int, char> Map => LazyMap.Value;

    static readonly Lazy<Dictionary<int, char>> LazyMap = new(BuildMap);

    public override int MaxCharCount => Math.Max(1, Inner.MaxCharCount);

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(Inner.CreateFallbackBuffer());

    public override bool Equals(object? obj) => obj is Cp932DuplicateCodeFallback o && o.Inner.Equals(Inner);

    public override int GetHashCode() => Inner.GetHashCode() ^ 0x932;

    static Dictionary<int, char> BuildMap()
    {
        LegacyEncodings.Register();
        var ibm = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var map = new Dictionary<int, char>(398);
        // NEC-selected IBM extensions → IBM extensions (￢'s IBM twin FA54 is itself a duplicate: take the JIS code).
        Run(0xED40, 0xEEEC, 0xFA5C);
        Run(0xEEEF, 0xEEF8, 0xFA40);
        Run(0xEEF9, 0xEEF9, 0x81CA);
        Run(0xEEFA, 0xEEFC, 0xFA55);
        // NEC row 13 → JIS X 0208 symbols.
        (int Twin, int Code)[] single =
        [
            (0x8790, 0x81E0), (0x8791, 0x81DF), (0x8792, 0x81E7), (0x8795, 0x81E3), (0x8796, 0x81DB),
            (0x8797, 0x81DA), (0x879A, 0x81E6), (0x879B, 0x81BF), (0x879C, 0x81BE),
            // IBM extensions → NEC special characters and JIS symbols.
            (0xFA54, 0x81CA), (0xFA58, 0x878A), (0xFA59, 0x8782), (0xFA5A, 0x8784), (0xFA5B, 0x81E6),
        ];
        foreach (var (twin, code) in single) Run(twin, twin, code);
        Run(0xFA4A, 0xFA53, 0x8754);
        return map;

        void Run(int first, int last, int ibmFirst)
        {
            for (int nec = first, src = ibmFirst; nec <= last; nec = Next(nec), src = Next(src))
                map[nec] = ibm.GetString([(byte)(src >> 8), (byte)src])[0];
        }
    }

    /// <summary>The next double-byte code in CP932 order: trail bytes 40–7E and 80–FC.</summary>
    static int Next(int code) => (code & 0xFF) switch
    {
        0x7E => code + 2,
        0xFC => ((code >> 8) + 1) << 8 | 0x40,
        _ => code + 1,
    };

    sealed class Buffer(DecoderFallbackBuffer inner) : DecoderFallbackBuffer
    {
        char _char;
        bool _pending;
        bool _mine;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            if (bytesUnknown.Length == 2 && Map.TryGetValue(bytesUnknown[0] << 8 | bytesUnknown[1], out var ch))
            {
                _mine = true;
                _char = ch;
                _pending = true;
                return true;
            }
            _mine = false;
            return inner.Fallback(bytesUnknown, index);
        }

        public override char GetNextChar()
        {
            if (!_mine) return inner.GetNextChar();
            if (!_pending) return '\0';
            _pending = false;
            return _char;
        }

        public override bool MovePrevious()
        {
            if (!_mine) return inner.MovePrevious();
            if (_pending) return false;
            _pending = true;
            return true;
        }

        public override int Remaining => _mine ? (_pending ? 1 : 0) : inner.Remaining;

        public override void Reset()
        {
            _mine = false;
            _pending = false;
            inner.Reset();
        }
    }
}
