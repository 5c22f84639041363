namespace Ogaki.Migration.Spec;

/// <summary>What rule of the spec an item breaks.</summary>
public enum ViolationKind
{
    Required,
    Length,
    Type,
    CodeDomain,
}

/// <summary>
/// One broken item rule. The message never holds the value itself, so violations can go into
/// reports and logs without personal data.
/// </summary>
public sealed record SpecViolation(SpecItem Item, ViolationKind Kind, string Message)
{
    public override string ToString() => $"{Item.Entity}.{Item.Identifier} ({Item.ItemId} {Item.NameJa}): {Kind}: {Message}";
}

/// <summary>A record of a standard entity, as generated from the spec.</summary>
public interface IStandardRecord
{
    /// <summary>The spec metadata of the record's entity.</summary>
    SpecEntity Entity { get; }

    /// <summary>The value of the item at an ordinal of <see cref="SpecEntity.Items"/>.</summary>
    object? GetValue(int ordinal);

    /// <summary>Adds a violation for every broken item rule (required, length, type, code domain).</summary>
    void Validate(ICollection<SpecViolation> violations);
}
