namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// Stable reason codes of mapping rejects. The first group equals the estate's ground-truth defect kinds,
/// so reconciliation can compare them one for one.
/// </summary>
public static class MappingRejectReasons
{
    public const string InvalidCheckDigit = "invalid-check-digit";
    public const string UnmappedCode = "unmapped-code";
    public const string ImpossibleDate = "impossible-date";     // non-existent date in an item of type date
    public const string OrphanMember = "orphan-member";         // resident whose household does not exist
    public const string DuplicateKey = "duplicate-key";
    public const string OverLength = "over-length";
    public const string UnmappableGaiji = "unmappable-gaiji";

    public const string InvalidDate = "invalid-date";           // unparseable or 不詳 text in an item of type date
    public const string InvalidAmount = "invalid-amount";
    public const string InvalidValue = "invalid-value";         // a value the conversion cannot read (type)
    public const string RequiredMissing = "required-missing";
    public const string CodeDomain = "code-domain";             // standard code outside its table after mapping
    public const string HouseholdHeadCount = "household-head-count"; // 世帯主 not exactly one
    public const string UnresolvedPerson = "unresolved-person"; // taxpayer / recipient not a resident nor 住登外
    public const string ChildNotInHousehold = "child-not-in-household";
    public const string SourceReject = "source-reject";         // prefix for adapter rejects: source-reject:<adapter reason>
}
