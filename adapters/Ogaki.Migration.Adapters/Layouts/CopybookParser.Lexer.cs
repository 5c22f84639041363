// CopybookParser, the lexer: fixed reference format (sequence area, indicator column, comments, continuation
// lines, *@ directives) and the words, literals and periods of the code area.

namespace Ogaki.Migration.Adapters.Layouts;

public static partial class CopybookParser
{
    readonly record struct Tok(string Text, int Line, bool Period);

    static List<Tok> Lex(string text, string source, LayoutDirectives directives)
    {
        var toks = new List<Tok>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var li = 0; li < lines.Length; li++)
        {
            var line = lines[li].Replace('\t', ' ');
            var no = li + 1;
            if (line.Length < 7)
            {
                if (line.Trim().Length > 0 && line.TrimStart().Length > 0 && !IsAllDigitsOrBlank(line))
                    throw new LayoutException(source, no, "Code before column 8: copybooks use the fixed reference format (sequence area in columns 1–6, indicator in column 7).");
                continue;
            }
            var indicator = line[6];
            var code = line.Length > 72 ? line[7..72] : line[7..];
            switch (indicator)
            {
                case '*' or '/':
                    var comment = line[7..].Trim();
                    if (comment.StartsWith('@')) directives.Parse(source, no, comment[1..]);
                    continue;
                case 'D' or 'd':
                    continue;
                case '-':
                    // Continuation of a literal: the text resumes after the opening quote on this line.
                    var cont = code.TrimStart();
                    if (cont.Length > 0 && cont[0] is '\'' or '"') cont = cont[1..];
                    if (toks.Count == 0) throw new LayoutException(source, no, "Continuation line without a line to continue.");
                    var last = toks[^1];
                    toks[^1] = last with { Text = last.Text.TrimEnd('\'', '"') + cont.TrimEnd() };
                    continue;
                case ' ':
                    break;
                default:
                    throw new LayoutException(source, no, $"Invalid indicator '{indicator}' in column 7 (expected blank, *, /, D or -).");
            }
            var inline = code.IndexOf("*>", StringComparison.Ordinal);
            if (inline >= 0) code = code[..inline];
            LexCode(code, no, toks, source);
        }
        return toks;
    }

    static bool IsAllDigitsOrBlank(string s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c) && c != ' ') return false;
        return true;
    }

    static void LexCode(string code, int line, List<Tok> toks, string source)
    {
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c) || ((c is ',' or ';') && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1]))))
            {
                i++;
                continue;
            }
            var start = i;
            if (c is '\'' or '"')
            {
                i++;
                while (i < code.Length && code[i] != c) i++;
                if (i >= code.Length) throw new LayoutException(source, line, "Unterminated literal.");
                i++;
                // X'..' style prefixes are handled by the word branch; a literal ends here.
            }
            else
            {
                while (i < code.Length && !char.IsWhiteSpace(code[i]))
                {
                    if (code[i] is '.' or ',' or ';' && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1]))) break;
                    if (code[i] is '\'' or '"')
                    {
                        // e.g. X'0E' or N'漢字': consume the quoted part.
                        var q = code[i++];
                        while (i < code.Length && code[i] != q) i++;
                        if (i >= code.Length) throw new LayoutException(source, line, "Unterminated literal.");
                    }
                    i++;
                }
            }
            if (i > start) toks.Add(new Tok(code[start..i], line, false));
            if (i < code.Length && code[i] == '.' && (i + 1 == code.Length || char.IsWhiteSpace(code[i + 1])))
            {
                toks.Add(new Tok(".", line, true));
                i++;
            }
        }
    }
}
