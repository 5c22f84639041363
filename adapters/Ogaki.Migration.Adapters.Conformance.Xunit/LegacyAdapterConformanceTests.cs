namespace Ogaki.Migration.Adapters.Conformance.Xunit;

/// <summary>
/// Derive from this in your xUnit v3 test project and return your <see cref="ConformanceSuite"/>: every required check
/// becomes a test. Example:
/// <code>
/// public sealed class MyAdapterConformance : LegacyAdapterConformanceTests
/// {
///     protected override ConformanceSuite CreateSuite() => new()
///     {
///         Name = "Acme JUKI export",
///         CreateAdapter = path => new AcmeAdapter(path),
///         SamplePath = "samples/JUKI.dat",
///         ExpectedRecordCount = 12,
///         ExpectedRecords = [new(1, new Dictionary&lt;string, object?&gt; { ["SHIMEI"] = "山田太郎", ["ZEIGAKU"] = 1200.50m })],
///         BadInputs = [new("samples/bad-packed.dat", RejectReasons.InvalidPacked, 3, 11, "ZEIGAKU")],
///     };
/// }
/// </code>
/// </summary>
public abstract class LegacyAdapterConformanceTests
{
    // xUnit creates one instance per test: run the suite once per derived class.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Lazy<Task<ConformanceReport>>> Reports = new();

    /// <summary>The vendor's suite: adapter factory, sample and expectations.</summary>
    protected abstract ConformanceSuite CreateSuite();

    protected Task<ConformanceReport> ReportAsync() =>
        Reports.GetOrAdd(GetType(), _ => new Lazy<Task<ConformanceReport>>(() => ConformanceRunner.RunAsync(CreateSuite(), global::Xunit.TestContext.Current.CancellationToken))).Value;

    async Task Check(string id)
    {
        var report = await ReportAsync().ConfigureAwait(false);
        var c = report[id] ?? throw new global::Xunit.Sdk.XunitException($"check {id} was not run");
        global::Xunit.Assert.True(c.Status == CheckStatus.Passed, $"{id}: {c.Message}");
    }

    [global::Xunit.Fact]
    public Task Stream_completes() => Check("stream-completes");

    [global::Xunit.Fact]
    public Task Record_count_matches() => Check("record-count");

    [global::Xunit.Fact]
    public Task Field_values_round_trip() => Check("field-values");

    [global::Xunit.Fact]
    public async Task Numbers_are_exact_decimals()
    {
        var report = await ReportAsync().ConfigureAwait(false);
        var c = report["decimal-exactness"]!;
        // All-text formats (HasTypedNumbers = false) report it as not tested; anything else must pass.
        global::Xunit.Assert.True(c.Status == CheckStatus.Passed || (!c.Required && c.Status == CheckStatus.NotTested), $"decimal-exactness: {c.Message}");
    }

    [global::Xunit.Fact]
    public Task Kana_and_kanji_decode_exactly() => Check("kana-kanji");

    [global::Xunit.Fact]
    public Task Locations_are_reported() => Check("location");

    [global::Xunit.Fact]
    public Task Reads_are_deterministic() => Check("deterministic");

    [global::Xunit.Fact]
    public Task Cancellation_is_honoured() => Check("cancellation");

    [global::Xunit.Fact]
    public async Task Bad_inputs_are_rejected_with_location_and_the_run_continues()
    {
        var report = await ReportAsync().ConfigureAwait(false);
        var bad = report.Checks.Where(c => c.Id.StartsWith("bad-input:", StringComparison.Ordinal) && c.Required).ToList();
        global::Xunit.Assert.True(bad.Count > 0, "the suite supplies no bad inputs");
        var failed = bad.Where(c => c.Status != CheckStatus.Passed).ToList();
        global::Xunit.Assert.True(failed.Count == 0, string.Join("\n", failed.Select(c => $"{c.Id}: {c.Message}")));
    }

    [global::Xunit.Fact]
    public async Task All_required_checks_pass()
    {
        var report = await ReportAsync().ConfigureAwait(false);
        global::Xunit.Assert.True(report.Passed, report.ToText());
    }
}
