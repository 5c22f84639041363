using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// One rule across records of the standard data (DOMAIN §4.3). The mapping engine rejects a record that breaks it
/// (<paramref name="MappingReason"/>); validation checks the mapped data again and reports <paramref name="BrokenRule"/>
/// as an error, or <paramref name="RejectedRule"/> as a warning when the reference is to a record the mapping rejected
/// (the reject is the error, so one defect is counted once).
/// </summary>
/// <param name="Entity">The standard entity the rule is about (Resident, Household …).</param>
/// <param name="Item">Identifier of the item the rule is about (SetaiNo), as in the spec.</param>
/// <param name="MappingReason">The mapping's reject reason (<see cref="MappingRejectReasons"/>), or null when only validation checks it.</param>
/// <param name="BrokenRule">Validation's rule id (an error), or null when only the mapping enforces it.</param>
/// <param name="RejectedRule">Validation's rule id (a warning) for a reference to a record rejected in mapping, or null.</param>
public sealed record CrossRecordRule(string Entity, string Item, string? MappingReason, string? BrokenRule, string? RejectedRule);

/// <summary>The cross-record rules, one table for the mapping engine and validation (rule ids are stable: reports count by them).</summary>
public static class CrossRecordRules
{
    // Validation rule ids; constants so the validation's Rules can name them.
    public const string HouseholdHeadCount = "household-head-count";
    public const string HouseholdHeadRejected = "household-head-rejected";
    public const string HouseholdHeadMismatch = "household-head-mismatch";
    public const string MemberHouseholdMissing = "member-household-missing";
    public const string MemberHouseholdRejected = "member-household-rejected";
    public const string TaxpayerUnresolved = "taxpayer-unresolved";
    public const string TaxpayerResidentRejected = "taxpayer-resident-rejected";
    public const string RecipientUnresolved = "recipient-unresolved";
    public const string RecipientResidentRejected = "recipient-resident-rejected";
    public const string ChildUnresolved = "child-unresolved";
    public const string ChildResidentRejected = "child-resident-rejected";
    public const string ChildRecipientMissing = "child-recipient-missing";
    public const string ChildRecipientRejected = "child-recipient-rejected";

    /// <summary>Exactly one live 世帯主 per household.</summary>
    public static readonly CrossRecordRule HouseholdHead = new(nameof(Household), "SetainushiAtenaNo", MappingRejectReasons.HouseholdHeadCount, HouseholdHeadCount, HouseholdHeadRejected);

    /// <summary>The declared 世帯主宛名番号 is the resident whose 続柄 is 世帯主.</summary>
    public static readonly CrossRecordRule HouseholdHeadDeclared = new(nameof(Household), "SetainushiAtenaNo", null, HouseholdHeadMismatch, null);

    /// <summary>A live resident's 世帯番号 is a household.</summary>
    public static readonly CrossRecordRule MemberHousehold = new(nameof(Resident), "SetaiNo", MappingRejectReasons.OrphanMember, MemberHouseholdMissing, MemberHouseholdRejected);

    /// <summary>A taxpayer is a resident (除票 included) or a 住登外者.</summary>
    public static readonly CrossRecordRule Taxpayer = new(nameof(TaxAssessment), "AtenaNo", MappingRejectReasons.UnresolvedPerson, TaxpayerUnresolved, TaxpayerResidentRejected);

    /// <summary>An allowance recipient is a resident (除票 included) or a 住登外者.</summary>
    public static readonly CrossRecordRule Recipient = new(nameof(AllowanceRecipient), "AtenaNo", MappingRejectReasons.UnresolvedPerson, RecipientUnresolved, RecipientResidentRejected);

    /// <summary>A child is a resident (除票 included) or a 住登外者.</summary>
    public static readonly CrossRecordRule Child = new(nameof(AllowanceChild), "JidoAtenaNo", null, ChildUnresolved, ChildResidentRejected);

    /// <summary>A child's 受給者 has an AllowanceRecipient record.</summary>
    public static readonly CrossRecordRule ChildRecipient = new(nameof(AllowanceChild), "JukyushaAtenaNo", null, ChildRecipientMissing, ChildRecipientRejected);

    /// <summary>A child recorded as 同居 is in the recipient's household.</summary>
    public static readonly CrossRecordRule ChildInRecipientHousehold = new(nameof(AllowanceChild), "DobekkyoKbn", MappingRejectReasons.ChildNotInHousehold, null, null);

    /// <summary>A payment's 受給者番号 is a recipient of the recipient source.</summary>
    public static readonly CrossRecordRule PaymentRecipient = new(nameof(AllowancePayment), "JukyushaNo", MappingRejectReasons.UnresolvedPerson, null, null);

    /// <summary>Every rule, in the order above.</summary>
    public static IReadOnlyList<CrossRecordRule> All { get; } =
        [HouseholdHead, HouseholdHeadDeclared, MemberHousehold, Taxpayer, Recipient, Child, ChildRecipient, ChildInRecipientHousehold, PaymentRecipient];
}
