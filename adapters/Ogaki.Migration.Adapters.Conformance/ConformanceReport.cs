using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Adapters.Conformance;

public enum CheckStatus
{
    Passed,
    Failed,
    /// <summary>Optional check the sample does not exercise (or not applicable to the format).</summary>
    NotTested,
}

/// <summary>One check's outcome. Required checks must pass; optional ones only inform.</summary>
public sealed record CheckResult(string Id, bool Required, CheckStatus Status, string Message);

/// <summary>The result of <see cref="ConformanceRunner.RunAsync"/>: readable as text, usable by tests and the CLI.</summary>
public sealed class ConformanceReport(string suite, string adapter, IReadOnlyList<CheckResult> checks)
{
    public string Suite { get; } = suite;
    public string Adapter { get; } = adapter;
    public IReadOnlyList<CheckResult> Checks { get; } = checks;

    /// <summary>True when every required check passed.</summary>
    public bool Passed => Checks.All(c => !c.Required || c.Status == CheckStatus.Passed);

    public IEnumerable<CheckResult> Failures => Checks.Where(c => c.Status == CheckStatus.Failed);

    public CheckResult? this[string id] => Checks.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Conformance: {Suite} ({Adapter}) — {(Passed ? "PASSED" : "FAILED")}\n");
        foreach (var c in Checks)
        {
            var mark = c.Status switch { CheckStatus.Passed => "PASS", CheckStatus.Failed => "FAIL", _ => "n/t " };
            sb.Append(CultureInfo.InvariantCulture, $"  [{mark}] {(c.Required ? "required" : "optional")} {c.Id}: {c.Message}\n");
        }
        var required = Checks.Count(c => c.Required);
        var passedRequired = Checks.Count(c => c.Required && c.Status == CheckStatus.Passed);
        sb.Append(CultureInfo.InvariantCulture, $"  {passedRequired}/{required} required checks passed; {Checks.Count(c => !c.Required && c.Status == CheckStatus.Passed)} optional passed, {Checks.Count(c => c.Status == CheckStatus.NotTested)} not tested.\n");
        return sb.ToString();
    }

    public override string ToString() => ToText();
}
