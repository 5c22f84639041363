using System.Text;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.LegacyEstate.Legacy;
using Ogaki.Migration.LegacyEstate.Model;

namespace Ogaki.Migration.LegacyEstate.Writers;

/// <summary>
/// Writes ZEIMAST.dat per <c>ZEIMAST.cpy</c>: IBM930, RECFM=F LRECL=700, header / details / trailer with record
/// count and the control total of ZM-NENZEIGAKU. Offsets below are the copybook's (checked by the estate tests).
/// </summary>
internal sealed class ZeimastWriter : IDisposable
{
    public const int RecordLength = 700;
    static readonly Encoding Ibm930 = EbcdicMixedEncoding.Ibm930;
    static readonly TextCodec Codec = LegacyEncodings.GetCodec("ibm930");

    readonly Stream _out;
    readonly byte[] _rec = new byte[RecordLength];
    int _pos;

    public long DetailCount { get; private set; }
    public decimal NenZeigakuTotal { get; private set; }

    public ZeimastWriter(string path, DateOnly created)
    {
        _out = new BufferedStream(File.Create(path), 1 << 16);
        Begin('H');
        Zoned("212024", 6);
        Dbcs("大垣市", 20);
        Zoned(LegacyText.Ymd(created), 8);
        Text("ZEIMAST", 8);
        Zoned("00700", 5);
        End();
    }

    void Begin(char kind)
    {
        Array.Fill(_rec, (byte)0x40);
        _rec[0] = Ibm930.GetBytes(kind.ToString())[0];
        _pos = 1;
    }

    void End()
    {
        _out.Write(_rec);
    }

    void Skip(int n) => _pos += n;

    /// <summary>PIC 9(n) from a digit string.</summary>
    void Zoned(string digits, int n)
    {
        if (digits.Length != n) throw new InvalidOperationException($"zoned {n}: '{digits}'");
        for (var i = 0; i < n; i++) _rec[_pos + i] = (byte)(0xF0 | (digits[i] - '0'));
        _pos += n;
    }

    void SignedZoned(long v, int n)
    {
        ZonedDecimal.Encode(v, n, 0, _rec.AsSpan(_pos, n), ZonedSign.Ebcdic, signed: true);
        _pos += n;
    }

    // Most OCCURS entries are unused: encode zero once per width.
    static readonly byte[][] Zeros = [.. Enumerable.Range(0, 18).Select(d =>
    {
        if (d < 3) return Array.Empty<byte>();
        var b = new byte[PackedDecimal.ByteLength(d)];
        PackedDecimal.Encode(0m, d, 2, b);
        return b;
    })];

    /// <summary>PIC S9(digits-2)V99 COMP-3.</summary>
    void Packed(decimal v, int digits)
    {
        var len = PackedDecimal.ByteLength(digits);
        if (v == 0m) Zeros[digits].CopyTo(_rec, _pos);
        else PackedDecimal.Encode(v, digits, 2, _rec.AsSpan(_pos, len));
        _pos += len;
    }

    /// <summary>PIC X(n) mixed: SO/SI inside the length, truncated by characters so DBCS runs stay balanced.</summary>
    // Single-byte map for printable ASCII, taken from the IBM930 encoder itself (0 = not single-byte in 930, e.g. lower case).
    static readonly byte[] AsciiMap = BuildAsciiMap();

    static byte[] BuildAsciiMap()
    {
        var map = new byte[128];
        for (var c = 0x20; c < 0x7F; c++)
        {
            try
            {
                var b = Ibm930.GetBytes(((char)c).ToString());
                if (b.Length == 1) map[c] = b[0];
            }
            catch (EncoderFallbackException)
            {
                // Not in the 930 single-byte set.
            }
        }
        return map;
    }

    void Text(string s, int n)
    {
        if (s.Length <= n && AllMappedAscii(s))
        {
            for (var i = 0; i < s.Length; i++) _rec[_pos + i] = AsciiMap[s[i]];
            _pos += n;
            return;
        }
        if (s.Length > 0)
        {
            var bytes = Ibm930.GetBytes(s);
            if (bytes.Length > n)
            {
                var t = s;
                while (t.Length > 0 && Ibm930.GetByteCount(t) > n) t = t[..^(char.IsLowSurrogate(t[^1]) ? 2 : 1)];
                bytes = Ibm930.GetBytes(t);
            }
            bytes.CopyTo(_rec, _pos);
        }
        _pos += n;
    }

    static bool AllMappedAscii(string s)
    {
        foreach (var c in s)
            if (c >= 0x80 || AsciiMap[c] == 0) return false;
        return true;
    }

    /// <summary>PIC N(n/2): pure DBCS, padded with X'4040'.</summary>
    void Dbcs(string s, int n)
    {
        var t = s.Length > n / 2 ? s[..(n / 2)] : s;
        var bytes = Codec.EncodeDbcs(t);
        bytes.CopyTo(_rec, _pos);
        _pos += n;
    }

    public void Write(ZeimastDetail d)
    {
        Begin('D');
        Zoned(d.AtenaNo, 10);
        Zoned(LegacyText.Int(d.KazeiNendo, 4), 4);
        Text(d.KojinNo, 12);
        Text(d.Shimei, 42);
        Text(d.ShimeiKana, 30);
        Zoned(d.Seinengappi, 7);
        Text(d.FukaJusho, 80);
        Text(d.KazeiKbn.ToString(), 1);
        Text(d.MishinkokuKbn.ToString(), 1);
        Text(d.TadantaiKbn.ToString(), 1);
        for (var i = 0; i < 4; i++)
        {
            var inc = i < d.Incomes.Count ? d.Incomes[i] : null;
            Text(inc?.Code ?? "", 2);
            Packed(inc?.Shunyu ?? 0, 13);
            Packed(inc?.Keihi ?? 0, 13);
            Packed(inc?.Shotoku ?? 0, 13);
        }
        Packed(d.SoShotoku, 13);
        Packed(d.KojoGokei, 13);
        Packed(d.KazeiShotoku, 13);
        for (var i = 0; i < 8; i++)
        {
            var k = i < d.Deductions.Count ? d.Deductions[i] : null;
            Text(k?.Code ?? "", 2);
            Packed(k?.Amount ?? 0, 11);
        }
        Packed(d.ShiShotokuwari, 11);
        Packed(d.ShiKintowari, 11);
        Packed(d.KenShotokuwari, 11);
        Packed(d.KenKintowari, 11);
        Packed(d.ShinrinZei, 11);
        Packed(d.ZeigakuKojo, 11);
        Packed(d.NenZeigaku, 11);
        Text(d.ChoshuKbn, 1);
        Packed(d.FuchoGaku, 11);
        for (var i = 0; i < 4; i++)
        {
            Zoned(LegacyText.Ymd(d.Nokigen[i]), 8);
            Packed(d.KibetsuGaku[i], 11);
        }
        Packed(d.KyutokuGaku, 11);
        Text(d.GimushaNo, 10);
        Dbcs(d.GimushaMei, 40);
        for (var i = 0; i < 12; i++) Packed(d.Getsuwari[i], 9);
        Packed(d.NentokuGaku, 11);
        Text(d.NenkinHokensha, 3);
        for (var i = 0; i < 3; i++) Packed(d.KariChoshu[i], 9);
        for (var i = 0; i < 3; i++) Packed(d.HonChoshu[i], 9);
        Zoned(LegacyText.Int(d.KoseiKaisu, 2), 2);
        Zoned(d.KoseiYmd, 7);
        SignedZoned(d.KoseiSagaku, 9);
        Zoned(d.KoshinYmd, 8);
        if (_pos != RecordLength - 48) throw new InvalidOperationException($"ZEIMAST detail layout drift: {_pos}");
        End();
        DetailCount++;
        NenZeigakuTotal += d.NenZeigaku;
    }

    public void Complete()
    {
        Begin('T');
        Zoned(LegacyText.Int(DetailCount + 2, 9), 9);
        Zoned(LegacyText.Int(DetailCount, 9), 9);
        Packed(NenZeigakuTotal, 17);
        End();
        _out.Flush();
    }

    public void Dispose() => _out.Dispose();
}
