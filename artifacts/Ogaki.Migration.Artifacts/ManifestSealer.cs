using System.Text;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Artifacts;

/// <summary>What the seal of a run's manifest says.</summary>
public enum SealState
{
    /// <summary>No key was given to check it with: the manifest's authenticity is unknown.</summary>
    NotChecked,
    /// <summary>The seal matches the manifest under the verifier's key.</summary>
    Valid,
    /// <summary>The run has no seal file (an unfinished run, or one whose seal was removed).</summary>
    Missing,
    /// <summary>The seal does not match the manifest: the manifest was rewritten (or the seal edited).</summary>
    Invalid,
    /// <summary>The seal was made under another key than the verifier's (see the key ids).</summary>
    OtherKey,
}

/// <summary>
/// Seals a finished run's manifest with an HMAC under the run's secret key (<c>OGAKI_PSEUDONYM_KEY</c>, the key that
/// pseudonymises its reports), in <c>manifest.json.seal</c>. The SHA-256 hash file only shows accidental change:
/// whoever can rewrite a report can recompute it. The seal cannot be recomputed without the key.
/// Format: <c>hmac-sha256 &lt;key id&gt; &lt;hex&gt;  manifest.json</c>.
/// </summary>
public sealed class ManifestSealer(Pseudonymizer key)
{
    public const string FileName = "manifest.json.seal";
    const string Scheme = "hmac-sha256";

    /// <summary>The fingerprint of the sealing key (not the key).</summary>
    public string KeyId => key.KeyId;

    /// <summary>True when the key is the documented development key: a seal under it proves nothing against deliberate change.</summary>
    public bool IsDevelopmentKey => key.IsDevelopmentKey;

    /// <summary>The seal file's content for these manifest bytes.</summary>
    public byte[] Seal(byte[] manifestBytes) =>
        Encoding.ASCII.GetBytes($"{Scheme} {key.KeyId} {key.Authenticate(manifestBytes)}  {ArtifactManifest.FileName}\n");

    /// <summary>Checks a seal file against the manifest bytes.</summary>
    public SealState Check(byte[] manifestBytes, byte[]? sealFile)
    {
        if (sealFile is null) return SealState.Missing;
        var parts = Encoding.ASCII.GetString(sealFile).Split(' ', 3);
        if (parts.Length != 3 || !string.Equals(parts[0], Scheme, StringComparison.Ordinal)) return SealState.Invalid;
        if (!string.Equals(parts[1], key.KeyId, StringComparison.Ordinal)) return SealState.OtherKey;
        return Seal(manifestBytes).AsSpan().SequenceEqual(sealFile) ? SealState.Valid : SealState.Invalid;
    }

    /// <summary>The key id a seal file names, or null when it names none.</summary>
    public static string? KeyIdOf(byte[]? sealFile)
    {
        if (sealFile is null) return null;
        var parts = Encoding.ASCII.GetString(sealFile).Split(' ', 3);
        return parts.Length == 3 ? parts[1] : null;
    }
}
