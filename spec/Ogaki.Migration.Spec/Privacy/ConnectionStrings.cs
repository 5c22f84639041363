using System.Text.RegularExpressions;

namespace Ogaki.Migration.Spec;

/// <summary>Masks secrets in connection strings and messages (targets, artifact stores, run configuration), so they can be logged.</summary>
public static partial class ConnectionStrings
{
    /// <summary>Replaces passwords, account keys, SAS signatures and URI passwords by <c>***</c>.</summary>
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var s = KeywordSecret().Replace(text, m => m.Groups["k"].Value + "=***");
        s = UriPassword().Replace(s, m => m.Groups["p"].Value + "***@");
        return SasSignature().Replace(s, m => m.Groups["k"].Value + "=***");
    }

    [GeneratedRegex(@"(?<k>\b(?:password|pwd|accountkey|sharedaccesssignature|sharedaccesskey)\s*)=[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordSecret();

    [GeneratedRegex(@"(?<p>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"(?<k>[?&]sig)=[^&\s;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SasSignature();
}
