// CopybookParser, the PICTURE string: repetitions expanded, symbols read into kind, size, digits, scale and sign.

using System.Text;

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    /// <summary>Result of reading a PICTURE string.</summary>
    internal readonly record struct PicInfo(FieldKind Kind, int Chars, int Digits, int Scale, bool Signed);

    internal static PicInfo ParsePicture(string pic, string source, int line)
    {
        // Expand repetitions: X(10) → XXXXXXXXXX.
        var sb = new StringBuilder();
        for (var i = 0; i < pic.Length; i++)
        {
            var c = pic[i];
            if (c == '(')
            {
                var close = pic.IndexOf(')', i);
                if (close < 0 || sb.Length == 0) throw new LayoutException(source, line, $"Malformed PICTURE '{pic}'.");
                var n = LayoutDirectives.ParseInt(source, line, pic[(i + 1)..close], $"Repetition in PICTURE '{pic}'");
                if (n < 1) throw new LayoutException(source, line, $"Repetition must be at least 1 in PICTURE '{pic}'.");
                LayoutLimits.Check((long)sb.Length + n - 1, source, line, $"PICTURE '{pic}'");
                sb.Append(sb[^1], n - 1);
                i = close;
            }
            else
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        var s = sb.ToString();
        int x = 0, nine = 0, scale = 0, nat = 0, edit = 0;
        bool signed = false, v = false;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case 'X' or 'A': x++; break;
                case '9':
                    nine++;
                    if (v) scale++;
                    break;
                case 'S':
                    if (i != 0) throw new LayoutException(source, line, $"S must come first in PICTURE '{pic}'.");
                    signed = true;
                    break;
                case 'V':
                    if (v) throw new LayoutException(source, line, $"More than one V in PICTURE '{pic}'.");
                    v = true;
                    break;
                case 'P': throw new LayoutException(source, line, $"PICTURE symbol P (decimal scaling) is not supported: '{pic}'.");
                case 'N' or 'G': nat++; break;
                case 'Z' or '*' or '+' or '-' or '$' or '.' or ',' or 'B' or '0' or '/' or 'C' or 'R' or 'D' or 'E': edit++; break;
                default: throw new LayoutException(source, line, $"Invalid character '{c}' in PICTURE '{pic}'.");
            }
        }
        if (nat > 0)
        {
            if (x + nine + edit > 0 || signed || v) throw new LayoutException(source, line, $"PICTURE '{pic}' mixes N/G with other symbols.");
            return new PicInfo(FieldKind.National, nat, 0, 0, false);
        }
        if (x > 0 || edit > 0)
        {
            if (signed || v) throw new LayoutException(source, line, $"PICTURE '{pic}' mixes S/V with text symbols.");
            return new PicInfo(FieldKind.Alphanumeric, x + nine + edit, 0, 0, false);
        }
        if (nine == 0) throw new LayoutException(source, line, $"PICTURE '{pic}' has no digit or character positions.");
        if (nine > 28) throw new LayoutException(source, line, $"PICTURE '{pic}' has {nine} digits; at most 28 fit a decimal exactly.");
        return new PicInfo(FieldKind.Zoned, nine, nine, scale, signed);
    }
}
