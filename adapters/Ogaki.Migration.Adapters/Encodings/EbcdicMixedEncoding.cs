using System.Text;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// IBM CCSID 930 / 939: stateful mixed EBCDIC. Single-byte katakana (930) or Latin (939) EBCDIC; SO 0x0E enters
/// double-byte mode, SI 0x0F returns to single-byte; 0x4040 is the double-byte space. Tables generated from glibc
/// iconv. Strict by default: undefined bytes, unmappable characters and unbalanced shifts go to the fallbacks,
/// which are exception fallbacks unless the caller chooses others via
/// <see cref="Encoding.GetEncoding(string, EncoderFallback, DecoderFallback)"/>.
/// Unlike glibc (which ignores them) a nested SO, an SI in single-byte mode and a dangling DBCS byte are errors.
/// The encoder writes SO/SI only around double-byte runs and closes an open run with SI when flushed.
/// </summary>
public sealed class EbcdicMixedEncoding : Encoding
{
    readonly EbcdicDbcsTable _table;
    readonly string _webName;

    EbcdicMixedEncoding(int codePage, string webName, EbcdicDbcsTable table)
        : base(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
    {
        _table = table;
        _webName = webName;
    }

    /// <summary>IBM930: katakana single-byte side (CCSID 290 + 300).</summary>
    public static EbcdicMixedEncoding Ibm930 { get; } = new(930, "ibm930", EbcdicDbcsTable.Ibm930);

    /// <summary>IBM939: Latin single-byte side (CCSID 1027 + 300).</summary>
    public static EbcdicMixedEncoding Ibm939 { get; } = new(939, "ibm939", EbcdicDbcsTable.Ibm939);

    internal EbcdicDbcsTable Table => _table;

    public override string WebName => _webName;
    public override string EncodingName => _webName.ToUpperInvariant();
    public override string BodyName => _webName;
    public override string HeaderName => _webName;
    public override bool IsSingleByte => false;
    public override bool IsBrowserDisplay => false;
    public override bool IsBrowserSave => false;
    public override bool IsMailNewsDisplay => false;
    public override bool IsMailNewsSave => false;

    public override int GetMaxByteCount(int charCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charCount);
        // Worst case: every char switches mode (SO/SI + 2 bytes), each fallback char likewise, plus a closing SI.
        var fallback = Math.Max(1, EncoderFallback.MaxCharCount);
        return checked(((charCount + 1) * fallback * 3) + 1);
    }

    public override int GetMaxCharCount(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return checked((byteCount + 1) * Math.Max(1, DecoderFallback.MaxCharCount));
    }

    public override int GetByteCount(char[] chars, int index, int count)
    {
        var enc = new MixedEncoder(this);
        return enc.GetByteCount(chars, index, count, flush: true);
    }

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
    {
        var enc = new MixedEncoder(this);
        return enc.GetBytes(chars, charIndex, charCount, bytes, byteIndex, flush: true);
    }

    public override int GetCharCount(byte[] bytes, int index, int count)
    {
        var dec = new MixedDecoder(this);
        return dec.GetCharCount(bytes, index, count, flush: true);
    }

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var dec = new MixedDecoder(this);
        return dec.GetChars(bytes, byteIndex, byteCount, chars, charIndex, flush: true);
    }

    public override Decoder GetDecoder() => new MixedDecoder(this);

    public override Encoder GetEncoder() => new MixedEncoder(this);

    /// <summary>Stateful decoder: remembers the shift state and a pending DBCS lead byte across calls.</summary>
    sealed class MixedDecoder : Decoder
    {
        readonly EbcdicMixedEncoding encoding;
        bool _dbcs;
        int _lead = -1;

        public MixedDecoder(EbcdicMixedEncoding encoding)
        {
            this.encoding = encoding;
            Fallback = encoding.DecoderFallback;
        }

        public override void Reset()
        {
            _dbcs = false;
            _lead = -1;
        }

        public override int GetCharCount(byte[] bytes, int index, int count) => GetCharCount(bytes, index, count, flush: false);

        public override int GetCharCount(byte[] bytes, int index, int count, bool flush)
        {
            var saveDbcs = _dbcs;
            var saveLead = _lead;
            try
            {
                return Run(bytes, index, count, null, 0, flush);
            }
            finally
            {
                _dbcs = saveDbcs;
                _lead = saveLead;
            }
        }

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
            GetChars(bytes, byteIndex, byteCount, chars, charIndex, flush: false);

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex, bool flush) =>
            Run(bytes, byteIndex, byteCount, chars, charIndex, flush);

        int Run(byte[] srcArray, int srcIndex, int srcCount, char[]? dst, int dstIndex, bool flush)
        {
            var src = srcArray.AsSpan(srcIndex, srcCount);
            var t = encoding._table;
            var w = 0;
            DecoderFallbackBuffer? fb = null;
            for (var i = 0; i < src.Length; i++)
            {
                var b = src[i];
                if (_lead >= 0)
                {
                    var ch = t.Dbcs[(_lead << 8) | b];
                    var lead = _lead;
                    _lead = -1;
                    if (ch == EbcdicDbcsTable.Undefined) Fail([(byte)lead, b], i - 1);
                    else Put(ch);
                    continue;
                }
                if (b == EbcdicDbcsTable.ShiftOut)
                {
                    if (_dbcs) Fail([b], i);
                    _dbcs = true;
                }
                else if (b == EbcdicDbcsTable.ShiftIn)
                {
                    if (!_dbcs) Fail([b], i);
                    _dbcs = false;
                }
                else if (_dbcs)
                {
                    _lead = b;
                }
                else
                {
                    var ch = t.Sbcs[b];
                    if (ch == EbcdicDbcsTable.Undefined) Fail([b], i);
                    else Put(ch);
                }
            }
            if (flush)
            {
                if (_lead >= 0)
                {
                    var lead = (byte)_lead;
                    _lead = -1;
                    Fail([lead], src.Length - 1);
                }
                _dbcs = false;
            }
            return w;

            void Put(char c)
            {
                if (dst is not null)
                {
                    if (dstIndex + w >= dst.Length) throw new ArgumentException("The output char buffer is too small.", nameof(dst));
                    dst[dstIndex + w] = c;
                }
                w++;
            }

            void Fail(byte[] unknown, int index)
            {
                fb ??= FallbackBuffer;
                if (fb.Fallback(unknown, index))
                {
                    while (fb.Remaining > 0) Put(fb.GetNextChar());
                }
            }
        }
    }

    /// <summary>Stateful encoder: remembers whether a double-byte run is open; flushing closes it with SI.</summary>
    sealed class MixedEncoder : Encoder
    {
        readonly EbcdicMixedEncoding encoding;
        bool _dbcs;
        char _high;

        public MixedEncoder(EbcdicMixedEncoding encoding)
        {
            this.encoding = encoding;
            Fallback = encoding.EncoderFallback;
        }

        public override void Reset()
        {
            _dbcs = false;
            _high = '\0';
        }

        public override int GetByteCount(char[] chars, int index, int count, bool flush)
        {
            var saveDbcs = _dbcs;
            var saveHigh = _high;
            try
            {
                return Run(chars, index, count, null, 0, flush);
            }
            finally
            {
                _dbcs = saveDbcs;
                _high = saveHigh;
            }
        }

        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex, bool flush) =>
            Run(chars, charIndex, charCount, bytes, byteIndex, flush);

        int Run(char[] srcArray, int srcIndex, int srcCount, byte[]? dst, int dstIndex, bool flush)
        {
            var src = srcArray.AsSpan(srcIndex, srcCount);
            var t = encoding._table;
            var w = 0;
            EncoderFallbackBuffer? fb = null;
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                if (_high != '\0')
                {
                    var high = _high;
                    _high = '\0';
                    if (char.IsLowSurrogate(c))
                    {
                        FailPair(high, c, i - 1);
                        continue;
                    }
                    FailOne(high, i - 1);
                }
                if (char.IsHighSurrogate(c))
                {
                    _high = c;
                    continue;
                }
                if (!Emit(c)) FailOne(c, i);
            }
            if (flush)
            {
                if (_high != '\0')
                {
                    var high = _high;
                    _high = '\0';
                    FailOne(high, src.Length - 1);
                }
                if (_dbcs)
                {
                    Put(EbcdicDbcsTable.ShiftIn);
                    _dbcs = false;
                }
            }
            return w;

            bool Emit(char c)
            {
                var code = t.Encode[c];
                if (code == EbcdicDbcsTable.NoCode || char.IsSurrogate(c)) return false;
                if (code < 0x100)
                {
                    if (_dbcs)
                    {
                        Put(EbcdicDbcsTable.ShiftIn);
                        _dbcs = false;
                    }
                    Put((byte)code);
                }
                else
                {
                    if (!_dbcs)
                    {
                        Put(EbcdicDbcsTable.ShiftOut);
                        _dbcs = true;
                    }
                    Put((byte)(code >> 8));
                    Put((byte)code);
                }
                return true;
            }

            void Put(byte b)
            {
                if (dst is not null)
                {
                    if (dstIndex + w >= dst.Length) throw new ArgumentException("The output byte buffer is too small.", nameof(dst));
                    dst[dstIndex + w] = b;
                }
                w++;
            }

            void FailOne(char c, int index)
            {
                fb ??= FallbackBuffer;
                if (fb.Fallback(c, index)) Drain();
            }

            void FailPair(char high, char low, int index)
            {
                fb ??= FallbackBuffer;
                if (fb.Fallback(high, low, index)) Drain();
            }

            void Drain()
            {
                while (fb!.Remaining > 0)
                {
                    var r = fb.GetNextChar();
                    if (!Emit(r)) throw new EncoderFallbackException($"The fallback character U+{(int)r:X4} cannot be encoded in {encoding.WebName}.");
                }
            }
        }
    }
}
