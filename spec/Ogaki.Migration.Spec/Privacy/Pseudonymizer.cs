using System.Security.Cryptography;
using System.Text;

namespace Ogaki.Migration.Spec.Privacy;

/// <summary>Where the pseudonymisation key came from; reports state it so a development key is never mistaken for production.</summary>
public enum PseudonymKeySource
{
    /// <summary>From the environment variable <c>OGAKI_PSEUDONYM_KEY</c>.</summary>
    Environment,
    /// <summary>Given explicitly by the caller (configuration, tests).</summary>
    Configured,
    /// <summary>The documented fixed development key: <c>OGAKI_PSEUDONYM_KEY</c> was unset outside CI.</summary>
    Development,
}

/// <summary>The pseudonymisation key was required but not available (unset in CI) or is too short to use.</summary>
public sealed class PseudonymKeyMissingException(string message) : Exception(message);

/// <summary>
/// Pseudonymises record keys and hides secrets with HMAC-SHA256 under a key that only the environment
/// holds. Pseudonyms are written in the letters a–p (one per nibble) so a pseudonym can never look like a
/// 12-digit 個人番号 to the personal-data scanner.
/// </summary>
public sealed class Pseudonymizer
{
    /// <summary>The environment variable holding the key (UTF-8 text, at least 16 characters).</summary>
    public const string EnvironmentVariable = "OGAKI_PSEUDONYM_KEY";

    /// <summary>
    /// The fixed development key used only when <see cref="EnvironmentVariable"/> is unset and <c>CI</c> is not
    /// <c>true</c>. Pseudonyms made with it are reversible by anyone with this source, so reports flag it.
    /// </summary>
    public const string DevelopmentKey = "ogaki-migration-development-pseudonym-key-NOT-FOR-PRODUCTION";

    const int MinimumKeyLength = 16;
    readonly byte[] _key;

    public Pseudonymizer(string key, PseudonymKeySource source = PseudonymKeySource.Configured)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyLength)
            throw new ArgumentException($"the pseudonymisation key must have at least {MinimumKeyLength} characters", nameof(key));
        _key = Encoding.UTF8.GetBytes(key);
        Source = source;
        // The key id lets two reports be compared only when their pseudonyms come from the same key.
        var id = HMACSHA256.HashData(_key, "ogaki-migration:key-id"u8);
        KeyId = Letters(id.AsSpan(0, 6));
    }

    public PseudonymKeySource Source { get; }

    /// <summary>A short fingerprint of the key (not the key): equal ids mean comparable pseudonyms.</summary>
    public string KeyId { get; }

    public bool IsDevelopmentKey => Source == PseudonymKeySource.Development;

    /// <summary>
    /// The key from <c>OGAKI_PSEUDONYM_KEY</c>; when unset, the development key outside CI.
    /// </summary>
    /// <exception cref="PseudonymKeyMissingException">The variable is unset and <c>CI</c> is <c>true</c>, or it is shorter than 16 characters.</exception>
    public static Pseudonymizer FromEnvironment() => FromValues(
        System.Environment.GetEnvironmentVariable(EnvironmentVariable),
        System.Environment.GetEnvironmentVariable("CI"));

    /// <summary><see cref="FromEnvironment"/> with the variable values given (testable).</summary>
    public static Pseudonymizer FromValues(string? key, string? ci)
    {
        if (!string.IsNullOrEmpty(key))
        {
            // A configuration error of the operator, said as such (not an unexpected failure of the tool); the key
            // itself is never echoed.
            if (key.Length < MinimumKeyLength)
                throw new PseudonymKeyMissingException($"{EnvironmentVariable} has {key.Length} characters; a key needs at least {MinimumKeyLength}");
            return new Pseudonymizer(key, PseudonymKeySource.Environment);
        }
        if (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase))
            throw new PseudonymKeyMissingException($"{EnvironmentVariable} is not set; in CI the development key is not allowed");
        return new Pseudonymizer(DevelopmentKey, PseudonymKeySource.Development);
    }

    /// <summary>The pseudonym of an identifier value (宛名番号, 世帯番号, 受給者番号): <c>p-</c> + 16 letters (64 bits).</summary>
    public string Pseudonymize(string value) => "p-" + Hash("id:", value, 8);

    /// <summary>The stand-in for a secret (個人番号, 住民票コード, 口座番号): <c>h-</c> + 16 letters; never the clear value.</summary>
    public string HideSecret(string value) => "h-" + Hash("secret:", value, 8);

    /// <summary>A short tag of a masked value (8 letters) so a reader sees whether two masked values are equal.</summary>
    public string Tag(string value) => Hash("mask:", value, 4);

    /// <summary>
    /// HMAC-SHA256 (lower-case hex) of <paramref name="content"/> under this key, in a domain of its own so it never
    /// equals a pseudonym: seals a run's manifest so that whoever lacks the key cannot rewrite a report and its hashes.
    /// </summary>
    public string Authenticate(ReadOnlySpan<byte> content)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        mac.AppendData("ogaki-migration:seal:"u8);
        mac.AppendData(content);
        return Convert.ToHexStringLower(mac.GetHashAndReset());
    }

    string Hash(string domain, string value, int bytes)
    {
        var input = Encoding.UTF8.GetBytes(domain + value);
        var mac = HMACSHA256.HashData(_key, input);
        return Letters(mac.AsSpan(0, bytes));
    }

    /// <summary>Bytes as letters a–p (one per nibble): hex without digits.</summary>
    internal static string Letters(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length * 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = (char)('a' + (bytes[i] >> 4));
            chars[2 * i + 1] = (char)('a' + (bytes[i] & 0xF));
        }
        return new string(chars);
    }
}
