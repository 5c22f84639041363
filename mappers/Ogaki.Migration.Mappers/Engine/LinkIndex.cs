namespace Ogaki.Migration.Mappers.Engine;

/// <summary>What cross-area linking knows about a person of the resident source (whatever the record's outcome).</summary>
/// <param name="SetaiNo">世帯番号 (null for 住登外).</param>
/// <param name="JuminJotai">Standard 住民状態 (null when excluded as 住登外).</param>
/// <param name="IsHead">True when 続柄コード1 is 世帯主 (02).</param>
/// <param name="Excluded">True for a recorded 住登外 person (excluded register).</param>
/// <param name="Rejected">True when the person's own record was rejected (links through it are not judged again).</param>
public readonly record struct PersonLink(string? SetaiNo, string? JuminJotai, bool IsHead, bool Excluded, bool Rejected = false);

/// <summary>
/// Cross-area keys collected in source order by the pipeline's ordered stage and read by the mapping
/// workers of later phases (households before residents, residents before tax and allowance, recipients
/// before children). A dictionary is only written in the phase before the one that reads it.
/// </summary>
public sealed class LinkIndex
{
    /// <summary>世帯番号 → 世帯主氏名, from the household source.</summary>
    public Dictionary<string, string?> Households { get; } = new(StringComparer.Ordinal);

    /// <summary>宛名番号 → person, from the resident source (residents, 除票 and 住登外).</summary>
    public Dictionary<string, PersonLink> Persons { get; } = new(StringComparer.Ordinal);

    /// <summary>受給者番号 → 受給者宛名番号, from the allowance recipients.</summary>
    public Dictionary<string, string> Recipients { get; } = new(StringComparer.Ordinal);

    /// <summary>Resolves a named lookup (<c>lookup:&lt;name&gt;</c> in a field map).</summary>
    public bool TryLookup(string name, string key, out string? value)
    {
        value = null;
        switch (name)
        {
            case "household-head-name":
                return Households.TryGetValue(key, out value);
            case "recipient-atena":
                if (Recipients.TryGetValue(key, out var a)) { value = a; return true; }
                return false;
            default:
                return false;
        }
    }

    public static IReadOnlyList<string> LookupNames { get; } = ["household-head-name", "recipient-atena"];
}
