using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>How serious a finding is. Errors make the run's outcome "discrepancies"; warnings and information do not.</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One validation finding. <paramref name="Key"/> is already pseudonymised and <paramref name="Message"/> never
/// holds a value of the record, so findings can go into reports and logs as they are.
/// </summary>
/// <param name="Entity">Entity name (Resident, TaxAssessment …).</param>
/// <param name="Key">Pseudonymised record key (see <see cref="ValueRenderer.RenderKey"/>).</param>
/// <param name="ItemId">Spec item id (00100103), or null for a record-level rule.</param>
/// <param name="ItemNameJa">Japanese item name (個人番号), or null.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="RuleId">Stable rule id (see <see cref="Rules"/>).</param>
/// <param name="Message">One sentence, without personal data.</param>
public sealed record Finding(string Entity, string Key, string? ItemId, string? ItemNameJa, Severity Severity, string RuleId, string Message);

/// <summary>Stable rule ids: reports and rehearsal diffs count by them.</summary>
public static class Rules
{
    public const string SpecRequired = "spec-required";
    public const string SpecLength = "spec-length";
    public const string SpecType = "spec-type";
    public const string SpecCodeDomain = "spec-code-domain";
    public const string MyNumberCheckDigit = "mynumber-check-digit";
    public const string CorporateNumberCheckDigit = "corporate-number-check-digit";
    public const string LocalGovernmentCodeCheckDigit = "lg-code-check-digit";
    public const string AtenaCheckDigit = "atena-check-digit";
    public const string JuminhyoCodeCheckDigit = "juminhyo-code-check-digit";
    public const string DateNotReal = "date-not-real";
    public const string HouseholdHeadCount = Mappers.Conversions.CrossRecordRules.HouseholdHeadCount;
    public const string HouseholdHeadMismatch = Mappers.Conversions.CrossRecordRules.HouseholdHeadMismatch;
    public const string MemberHouseholdMissing = Mappers.Conversions.CrossRecordRules.MemberHouseholdMissing;
    public const string TaxpayerUnresolved = Mappers.Conversions.CrossRecordRules.TaxpayerUnresolved;
    public const string RecipientUnresolved = Mappers.Conversions.CrossRecordRules.RecipientUnresolved;
    public const string ChildUnresolved = Mappers.Conversions.CrossRecordRules.ChildUnresolved;
    public const string ChildRecipientMissing = Mappers.Conversions.CrossRecordRules.ChildRecipientMissing;
    public const string ChildAgeOutOfRange = "child-age-out-of-range";
    public const string ChildNotYetBorn = "child-not-yet-born";
    public const string ChildShouldBePaid = "child-should-be-paid";

    // Consequences of a record rejected in mapping: the reference exists in the legacy data but its record was not
    // migrated. Warnings, so a rehearsal is judged by its root causes (the rejects), each counted once.
    public const string HouseholdHeadRejected = Mappers.Conversions.CrossRecordRules.HouseholdHeadRejected;
    public const string MemberHouseholdRejected = Mappers.Conversions.CrossRecordRules.MemberHouseholdRejected;
    public const string TaxpayerResidentRejected = Mappers.Conversions.CrossRecordRules.TaxpayerResidentRejected;
    public const string RecipientResidentRejected = Mappers.Conversions.CrossRecordRules.RecipientResidentRejected;
    public const string ChildResidentRejected = Mappers.Conversions.CrossRecordRules.ChildResidentRejected;
    public const string ChildRecipientRejected = Mappers.Conversions.CrossRecordRules.ChildRecipientRejected;
}
