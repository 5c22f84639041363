namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// Text of one or two ASCII characters (codes, kinds and flags such as <c>1</c>, <c>A</c>, <c>K1</c>) made once and
/// shared: a legacy record carries dozens of such fields, and every one decoded was a new string.
/// </summary>
internal static class ShortStrings
{
    static readonly string[] One = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString())];
    static readonly string?[] Two = new string?[128 * 128];

    /// <summary>The characters as a string: a shared one for one or two ASCII characters, else a new one.</summary>
    public static string Of(ReadOnlySpan<char> text)
    {
        switch (text.Length)
        {
            case 0:
                return string.Empty;
            case 1 when text[0] < 128:
                return One[text[0]];
            case 2 when (text[0] | text[1]) < 128:
                // Filled on first use; two threads at once may each make the string, equal either way.
                return Two[text[0] << 7 | text[1]] ??= new string(text);
            default:
                return new string(text);
        }
    }
}
