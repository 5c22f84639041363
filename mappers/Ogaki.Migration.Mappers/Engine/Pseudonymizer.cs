using System.Security.Cryptography;
using System.Text;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// Keys in reports are pseudonyms: HMAC-SHA256 of the key with a secret from the environment
/// (<c>OGAKI_PSEUDONYM_KEY</c>), so the same key gives the same pseudonym within and across runs of one
/// migration, and nobody without the secret can reverse it. Without the variable a fixed development key is
/// used (<see cref="IsDevelopmentKey"/>), which is fine for tests and not for production reports.
/// </summary>
public sealed class Pseudonymizer
{
    public const string EnvironmentVariable = "OGAKI_PSEUDONYM_KEY";

    readonly byte[] _key;

    public Pseudonymizer(string? secret = null)
    {
        secret ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        IsDevelopmentKey = string.IsNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(IsDevelopmentKey ? "ogaki-migration-development-pseudonym-key" : secret!);
    }

    public bool IsDevelopmentKey { get; }

    /// <summary><c>P-</c> + 16 hex digits.</summary>
    public string Pseudonymize(string key) =>
        "P-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(key)).AsSpan(0, 8));
}
