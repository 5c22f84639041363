using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Privacy;

/// <summary>A place in a text where a clear 個人番号 appears. The number itself is never kept.</summary>
/// <param name="File">File path, or null for a scanned string.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (UTF-16 units) of the first digit.</param>
/// <param name="LastFourDigits">The last four digits only, so a finding can be located without repeating the number.</param>
public sealed record PersonalDataHit(string? File, int Line, int Column, string LastFourDigits)
{
    public override string ToString() => $"{File ?? "(text)"}:{Line}:{Column}: clear 個人番号 (…{LastFourDigits})";
}

/// <summary>How <see cref="PersonalDataScanner"/> delimits candidate numbers.</summary>
public enum MyNumberScanMode
{
    /// <summary>
    /// For reports, logs and artifacts: 12 digits standing alone (not next to another digit or an ASCII letter,
    /// so hex digests and tokens do not count), or grouped 4-4-4 with one kind of separator.
    /// </summary>
    Bounded,
    /// <summary>
    /// For raw legacy data (fixed-width records put numeric fields side by side): every 12-digit window of every
    /// digit run. About one random window in eleven passes the check digit, so use it only to show that data
    /// holds 個人番号, never to prove that it does not.
    /// </summary>
    AnyWindow,
}

/// <summary>
/// Finds clear 個人番号 (My Number) in text: 12 digits (half- or full-width, optionally grouped 4-4-4 with a
/// space or hyphen) whose check digit is valid, delimited as <see cref="MyNumberScanMode"/> says. About one
/// random 12-digit number in eleven has a valid check digit, so a hit is a strong signal, not a proof.
/// </summary>
public static class PersonalDataScanner
{
    /// <summary>All clear 個人番号 in <paramref name="text"/> (<see cref="MyNumberScanMode.Bounded"/>).</summary>
    public static IReadOnlyList<PersonalDataHit> ScanText(string text, string? file = null) => ScanText(text, file, MyNumberScanMode.Bounded);

    /// <summary>All clear 個人番号 in <paramref name="text"/>, delimited as <paramref name="mode"/> says.</summary>
    public static IReadOnlyList<PersonalDataHit> ScanText(string text, string? file, MyNumberScanMode mode)
    {
        var hits = new List<PersonalDataHit>();
        foreach (var (start, digits) in mode == MyNumberScanMode.AnyWindow ? Windows(text) : Candidates(text))
        {
            var (line, column) = Position(text, start);
            hits.Add(new PersonalDataHit(file, line, column, new string(digits.AsSpan(8, 4))));
        }
        return hits;
    }

    /// <summary>Scans one file (UTF-8, with or without BOM; UTF-16 with BOM).</summary>
    public static IReadOnlyList<PersonalDataHit> ScanFile(string path, MyNumberScanMode mode = MyNumberScanMode.Bounded) =>
        ScanText(File.ReadAllText(path, Encoding.UTF8), path, mode);

    /// <summary>Scans every file under a folder (recursively), in ordinal path order.</summary>
    public static IReadOnlyList<PersonalDataHit> ScanDirectory(string directory, string searchPattern = "*")
    {
        var hits = new List<PersonalDataHit>();
        foreach (var path in Directory.EnumerateFiles(directory, searchPattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            hits.AddRange(ScanFile(path));
        return hits;
    }

    /// <summary>The text with every clear 個人番号 replaced by <c>[個人番号]</c>.</summary>
    public static string RedactMyNumbers(string text)
    {
        List<(int Start, int Length)>? spans = null;
        foreach (var (start, _) in Candidates(text))
        {
            var end = start;
            var count = 0;
            while (count < 12)
            {
                if (DigitValue(text[end]) >= 0) count++;
                end++;
            }
            (spans ??= []).Add((start, end - start));
        }
        if (spans is null) return text;
        var sb = new StringBuilder(text.Length);
        var pos = 0;
        foreach (var (s, l) in spans)
        {
            sb.Append(text, pos, s - pos).Append("[個人番号]");
            pos = s + l;
        }
        return sb.Append(text, pos, text.Length - pos).ToString();
    }

    /// <summary>True when the text holds at least one clear 個人番号.</summary>
    public static bool ContainsMyNumber(string text) => Candidates(text).Any();

    static IEnumerable<(int Start, char[] Digits)> Windows(string text)
    {
        var digits = new char[12];
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var d = DigitValue(text[i]);
            if (d < 0)
            {
                run = 0;
                continue;
            }
            run++;
            if (run < 12) continue;
            for (var k = 0; k < 12; k++) digits[k] = (char)('0' + DigitValue(text[i - 11 + k]));
            if (CheckDigits.IsValidMyNumber(digits)) yield return (i - 11, (char[])digits.Clone());
        }
    }

    static bool IsTokenChar(char c) => DigitValue(c) >= 0 || char.IsAsciiLetter(c);

    static IEnumerable<(int Start, char[] Digits)> Candidates(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (DigitValue(text[i]) < 0 || (i > 0 && IsTokenChar(text[i - 1])))
            {
                i++;
                continue;
            }
            // A run starting at i: plain 12 digits, or 4-4-4 groups with one separator.
            var digits = new char[12];
            if (TryRun(text, i, digits, grouped: false, out var end) || TryRun(text, i, digits, grouped: true, out end))
            {
                if (CheckDigits.IsValidMyNumber(digits))
                {
                    yield return (i, digits);
                    i = end;
                    continue;
                }
            }
            i++;
        }
    }

    static bool TryRun(string text, int start, char[] digits, bool grouped, out int end)
    {
        var n = 0;
        var p = start;
        char separator = '\0';
        while (n < 12)
        {
            if (grouped && n is 4 or 8)
            {
                if (p >= text.Length) break;
                var c = text[p];
                if (c is not (' ' or '-' or '\u3000' or '\uFF0D')) break;
                if (separator != '\0' && c != separator) break;
                separator = c;
                p++;
            }
            if (p >= text.Length) break;
            var d = DigitValue(text[p]);
            if (d < 0) break;
            digits[n++] = (char)('0' + d);
            p++;
        }
        end = p;
        return n == 12 && (p >= text.Length || !IsTokenChar(text[p]));
    }

    static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= '\uFF10' and <= '\uFF19' => c - '\uFF10',
        _ => -1,
    };

    static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, index - lineStart + 1);
    }
}
