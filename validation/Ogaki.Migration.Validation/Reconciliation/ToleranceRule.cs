using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>
/// An explicit tolerance (the default is none: exact). <paramref name="Entity"/> may be <c>*</c>.
/// Either the item is ignored, or amounts may differ by at most <paramref name="AbsoluteAmount"/>.
/// </summary>
public sealed record ToleranceRule(string Entity, string Identifier, decimal AbsoluteAmount = 0m, bool Ignore = false)
{
    public bool AppliesTo(SpecEntity entity, SpecItem item) =>
        (Entity == "*" || string.Equals(Entity, entity.Name, StringComparison.Ordinal)) && string.Equals(Identifier, item.Identifier, StringComparison.Ordinal);
}
