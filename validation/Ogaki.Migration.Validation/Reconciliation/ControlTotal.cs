namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>One control total compared: a count or a sum for one group, computed separately on each side.</summary>
/// <param name="Name">Stable id of the definition (e.g. <c>TaxAssessment.NenZeigaku.sum</c>).</param>
/// <param name="NameJa">Japanese label (年税額 合計).</param>
/// <param name="Group">The group, e.g. <c>課税年度=2024</c> (empty for the whole entity).</param>
public sealed record ControlTotal(string Name, string NameJa, string Group, decimal Source, decimal Target, decimal Tolerance)
{
    public decimal Difference => Target - Source;

    public bool Matches => Math.Abs(Difference) <= Tolerance;
}
