using System.Globalization;

namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>
/// Directives shared by copybooks (comment lines <c>*@…</c> in column 7) and layout files (lines <c>#@…</c>):
/// <code>
/// @SELECTOR &lt;field&gt;                                   the record-type field
/// @RECORD &lt;variant&gt; [VALUE &lt;lit&gt;[,&lt;lit&gt;…] | WHEN &lt;88-name&gt;] [DATA|HEADER|TRAILER]
///         [COUNT &lt;field&gt;] [TOTAL &lt;field&gt; OF &lt;data-field&gt;] [LENGTH &lt;bytes&gt;]
/// @TERMINATOR NONE|LF|CRLF|NL|EBCDIC-LF|EBCDIC-CRLF   NL = EBCDIC 0x15, EBCDIC-LF = 0x25, EBCDIC-CRLF = 0x0D 0x25
/// @ENCODING ibm930|ibm939|cp932|utf-8
/// @BINARY BIG|LITTLE
/// @ZONED-SIGN MICROFOCUS|OVERPUNCH                       ASCII zoned sign convention
/// </code>
/// </summary>
internal sealed class LayoutDirectives
{
    public string? Selector;
    public int SelectorLine;
    public readonly List<RecordDirective> Records = [];
    public RecordTerminator Terminator = RecordTerminator.Auto;
    public int TerminatorLine;
    public string? Encoding;
    public bool BinaryLittle;
    public Encodings.ZonedSign ZonedSign = Encodings.ZonedSign.AsciiMicroFocus;

    internal sealed class RecordDirective
    {
        public required string Variant;
        public List<string> Values = [];
        public string? When;
        public RecordRole Role = RecordRole.Data;
        public string? Count;
        public string? Total;
        public string? TotalOf;
        public int? Length;
        public int Line;
    }

    /// <summary>Parses one directive (text after the '@').</summary>
    public void Parse(string source, int line, string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0) throw new LayoutException(source, line, "Empty directive after '@'.");
        var keyword = tokens[0].ToUpperInvariant();
        switch (keyword)
        {
            case "SELECTOR":
                if (tokens.Count != 2) throw new LayoutException(source, line, "@SELECTOR takes one field name.");
                Selector = tokens[1];
                SelectorLine = line;
                break;
            case "RECORD":
                ParseRecord(source, line, tokens);
                break;
            case "TERMINATOR":
                if (tokens.Count != 2) throw new LayoutException(source, line, "@TERMINATOR takes NONE, LF, CRLF, NL, EBCDIC-LF or EBCDIC-CRLF.");
                Terminator = tokens[1].ToUpperInvariant() switch
                {
                    "NONE" => RecordTerminator.None,
                    "LF" => RecordTerminator.Lf,
                    "CRLF" => RecordTerminator.CrLf,
                    "NL" or "EBCDIC-NL" => RecordTerminator.EbcdicNl,
                    "EBCDIC-LF" => RecordTerminator.EbcdicLf,
                    "EBCDIC-CRLF" => RecordTerminator.EbcdicCrLf,
                    "AUTO" => RecordTerminator.Auto,
                    _ => throw new LayoutException(source, line, $"Unknown terminator '{tokens[1]}' (NONE, LF, CRLF, NL, EBCDIC-LF, EBCDIC-CRLF)."),
                };
                TerminatorLine = line;
                break;
            case "ENCODING":
                if (tokens.Count != 2 || Encodings.LegacyEncodings.Normalize(tokens[1]) is not { } enc)
                    throw new LayoutException(source, line, $"@ENCODING takes one of {string.Join(", ", Encodings.LegacyEncodings.SupportedNames)}.");
                Encoding = enc;
                break;
            case "BINARY":
                BinaryLittle = tokens.Count == 2 && tokens[1].ToUpperInvariant() switch
                {
                    "LITTLE" => true,
                    "BIG" => false,
                    _ => throw new LayoutException(source, line, "@BINARY takes BIG or LITTLE."),
                };
                break;
            case "ZONED-SIGN":
                ZonedSign = tokens.Count == 2 ? tokens[1].ToUpperInvariant() switch
                {
                    "MICROFOCUS" => Encodings.ZonedSign.AsciiMicroFocus,
                    "OVERPUNCH" => Encodings.ZonedSign.AsciiOverpunch,
                    _ => throw new LayoutException(source, line, "@ZONED-SIGN takes MICROFOCUS or OVERPUNCH."),
                } : throw new LayoutException(source, line, "@ZONED-SIGN takes MICROFOCUS or OVERPUNCH.");
                break;
            default:
                throw new LayoutException(source, line, $"Unknown directive '@{tokens[0]}' (SELECTOR, RECORD, TERMINATOR, ENCODING, BINARY, ZONED-SIGN).");
        }
    }

    void ParseRecord(string source, int line, List<string> t)
    {
        if (t.Count < 2) throw new LayoutException(source, line, "@RECORD needs a record (variant) name.");
        var r = new RecordDirective { Variant = t[1], Line = line };
        for (var i = 2; i < t.Count; i++)
        {
            var k = t[i].ToUpperInvariant();
            string Next()
            {
                if (i + 1 >= t.Count) throw new LayoutException(source, line, $"@RECORD {r.Variant}: {k} needs a value.");
                return t[++i];
            }
            switch (k)
            {
                case "VALUE" or "VALUES":
                    foreach (var v in Next().Split(',')) r.Values.Add(Unquote(v));
                    // VALUE 'A' 'B' or VALUE 'A', 'B'
                    while (i + 1 < t.Count && IsLiteral(t[i + 1])) r.Values.Add(Unquote(t[++i].TrimEnd(',')));
                    break;
                case "WHEN": r.When = Next(); break;
                case "DATA": r.Role = RecordRole.Data; break;
                case "HEADER": r.Role = RecordRole.Header; break;
                case "TRAILER": r.Role = RecordRole.Trailer; break;
                case "COUNT": r.Count = Next(); break;
                case "LENGTH": r.Length = ParseInt(source, line, Next(), "LENGTH"); break;
                case "TOTAL":
                    r.Total = Next();
                    if (i + 1 < t.Count && string.Equals(t[i + 1], "OF", StringComparison.OrdinalIgnoreCase)) i++;
                    r.TotalOf = Next();
                    break;
                default: throw new LayoutException(source, line, $"@RECORD {r.Variant}: unexpected '{t[i]}' (VALUE, WHEN, DATA, HEADER, TRAILER, COUNT, TOTAL … OF …, LENGTH).");
            }
        }
        Records.Add(r);
    }

    static bool IsLiteral(string s) => s.Length > 0 && (s[0] is '\'' or '"' || char.IsAsciiDigit(s[0]));

    internal static string Unquote(string s)
    {
        s = s.Trim();
        if (s.Length >= 2 && (s[0] is '\'' or '"') && s[^1] == s[0]) return s[1..^1];
        return s;
    }

    /// <summary>Splits on blanks, keeping quoted literals (with their quotes) together.</summary>
    internal static List<string> Tokenize(string text)
    {
        var list = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            if (text[i] is '\'' or '"')
            {
                var q = text[i++];
                while (i < text.Length && text[i] != q) i++;
                i = Math.Min(i + 1, text.Length);
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            }
            list.Add(text[start..i]);
        }
        return list;
    }

    internal static int ParseInt(string source, int line, string s, string what) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new LayoutException(source, line, $"{what} must be a whole number, not '{s}'.");
}
