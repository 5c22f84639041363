namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>One differing item of a record. Values are as shown in reports (pseudonymised or masked as the privacy says).</summary>
public sealed record FieldDifference(string ItemId, string ItemNameJa, string Identifier, string? Source, string? Target);
