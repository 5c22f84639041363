using System.Text.RegularExpressions;

namespace Ogaki.Migration.Spec.Privacy;

/// <summary>What a connection string points at (<see cref="ConnectionStrings.Classify"/>).</summary>
public enum ConnectionKind
{
    /// <summary>Nothing given: the caller's default.</summary>
    None,

    /// <summary><c>sqlite:&lt;path&gt;</c>.</summary>
    Sqlite,

    /// <summary><c>postgres://…</c>, <c>postgresql://…</c> or a keyword string with <c>Host=</c> / <c>Server=</c>.</summary>
    Postgres,

    /// <summary>An Azure Storage connection string (<c>UseDevelopmentStorage=</c>, <c>AccountName=</c>, <c>BlobEndpoint=</c>, <c>SharedAccessSignature=</c>).</summary>
    AzureBlob,

    /// <summary><c>files:&lt;folder&gt;</c>: standard-layout files.</summary>
    Files,

    /// <summary>Anything else: a local folder path.</summary>
    Folder,
}

/// <summary>
/// The one classifier of connection strings for targets, artifact stores and the run configuration: which kind a
/// string is, and how it is shown with its secrets masked, so they can be logged. It lives in Spec because both the
/// targets and the artifact store depend on Spec and on nothing else shared.
/// </summary>
public static partial class ConnectionStrings
{
    /// <summary>Prefixed kinds, checked first (one line per kind).</summary>
    static readonly (string Prefix, ConnectionKind Kind)[] Prefixes =
    [
        ("sqlite:", ConnectionKind.Sqlite),
        ("files:", ConnectionKind.Files),
        ("postgres://", ConnectionKind.Postgres),
        ("postgresql://", ConnectionKind.Postgres),
    ];

    /// <summary>Keywords of a <c>key=value;…</c> string that decide its kind.</summary>
    static readonly (string Keyword, ConnectionKind Kind)[] Keywords =
    [
        ("UseDevelopmentStorage", ConnectionKind.AzureBlob),
        ("AccountName", ConnectionKind.AzureBlob),
        ("BlobEndpoint", ConnectionKind.AzureBlob),
        ("SharedAccessSignature", ConnectionKind.AzureBlob),
        ("Host", ConnectionKind.Postgres),
        ("Server", ConnectionKind.Postgres),
    ];

    /// <summary>The kind of a connection string (<see cref="ConnectionKind.None"/> when empty).</summary>
    public static ConnectionKind Classify(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection)) return ConnectionKind.None;
        var c = connection.Trim();
        foreach (var (prefix, kind) in Prefixes)
            if (c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return kind;
        var keys = c.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Contains('=', StringComparison.Ordinal)).Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)].Trim()).ToList();
        foreach (var (keyword, kind) in Keywords)
            if (keys.Contains(keyword, StringComparer.OrdinalIgnoreCase)) return kind;
        return ConnectionKind.Folder;
    }

    /// <summary>The text after a prefix such as <c>sqlite:</c>, for prefixed kinds; the whole string otherwise.</summary>
    public static string Value(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var c = connection.Trim();
        foreach (var (prefix, _) in Prefixes)
            if (prefix.EndsWith(':') && c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return c[prefix.Length..];
        return c;
    }

    /// <summary>Names a connection by its kind, secrets masked (for run.log, run-config.json and messages).</summary>
    public static string Describe(string? connection, string fallback) => Classify(connection) switch
    {
        ConnectionKind.None => fallback,
        ConnectionKind.Sqlite or ConnectionKind.Files => Mask(connection!.Trim()),
        ConnectionKind.Postgres => "postgresql (" + Mask(connection) + ")",
        ConnectionKind.AzureBlob => "azure blob (" + Mask(connection) + ")",
        _ => "folder " + Mask(connection),
    };

    /// <summary>Replaces passwords, account keys, SAS signatures and URI passwords by <c>***</c>.</summary>
    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var s = KeywordSecret().Replace(text, m => m.Groups["k"].Value + "=***");
        s = UriPassword().Replace(s, m => m.Groups["p"].Value + "***@");
        return SasSignature().Replace(s, m => m.Groups["k"].Value + "=***");
    }

    /// <summary>The secrets a text holds, by name (<c>Password</c>, <c>AccountKey</c>, <c>sig</c>, <c>URI password</c>, …); empty when none.</summary>
    public static IReadOnlyList<string> Secrets(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var found = new List<string>();
        found.AddRange(KeywordSecret().Matches(text).Select(m => m.Groups["k"].Value.Trim()));
        if (UriPassword().IsMatch(text)) found.Add("URI password");
        found.AddRange(SasSignature().Matches(text).Select(m => m.Groups["k"].Value));
        return found;
    }

    [GeneratedRegex(@"(?<k>\b(?:password|pwd|accountkey|sharedaccesssignature|sharedaccesskey)\s*)=[^;\r\n]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordSecret();

    [GeneratedRegex(@"(?<p>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"(?<k>(?:^|(?<=[?&;\s]))sig)=[^&\s;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SasSignature();
}
