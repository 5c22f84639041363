using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Validation.Canonical;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;
using Ogaki.Migration.Validation.Reconciliation;
// Two SourceCounts are in scope (Mappers.Engine and Validation.Reconciliation); these samples mean the reconciliation one.
using SourceCounts = Ogaki.Migration.Validation.Reconciliation.SourceCounts;

namespace Ogaki.Migration.Validation.Tests;

/// <summary>A small fixed run: three entities with every discrepancy kind, a control-total difference, rejects and findings.</summary>
internal static class ReportSample
{
    public static readonly string A = Samples.Atena("1000001");
    public static readonly string B = Samples.Atena("1000002");
    public static readonly string C = Samples.Atena("1000003");
    public static readonly string D = Samples.Atena("1000004");
    public static readonly string S1 = Samples.Atena("2000001");
    public const string MyNumberB = "123456789018";
    public const string MyNumberB2 = "234567890121";

    public static RunMetadata Run(string id) => new(id, new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 5, 9, 3, 21, TimeSpan.Zero), "host-" + id, "1.0.0");

    public static async Task<ReconciliationResult> BuildAsync(RunMetadata run, bool fixedAfter = false, bool unmask = false, Pseudonymizer? pseudonymizer = null)
    {
        var p = pseudonymizer ?? Samples.Pseudonymizer;
        var renderer = new ValueRenderer(p, new ReportPrivacy(unmask));
        var ct = TestContext.Current.CancellationToken;

        var residents = new[]
        {
            Samples.Resident(A, S1, head: true),
            Samples.Resident(B, S1) with { Shimei = "山田　花子", KojinBango = MyNumberB },
            Samples.Resident(C, S1) with { Shimei = "山田　次郎", SeinengappiYmd = null, SeinengappiYmdFushoFlag = true, SeinengappiYmdFushoHyoki = "平成３０年２月２９日" },
        };
        var loadedResidents = fixedAfter
            ? residents
            : [residents[0], residents[1] with { Shimei = "山田　華子", KojinBango = MyNumberB2 }, Samples.Resident(D, S1) with { Shimei = "鈴木　一郎" }];
        var taxes = new[] { Samples.Tax(A, 2025, 123_456m), Samples.Tax(B, 2025, 7_000m) };
        var loadedTaxes = fixedAfter ? taxes : [taxes[0] with { NenZeigaku = 123_457m }, taxes[1]];
        var children = new[] { Samples.Child(A, C, new DateOnly(2015, 5, 1), "1", new YearMonth(2024, 11)) };
        var household = new[] { Samples.Household(S1, A) };
        var recipients = new[] { Samples.Recipient(A) };

        var validation = new ValidationRun(new ValidationOptions { ReferenceDate = new DateOnly(2026, 1, 1) }, renderer);
        foreach (var r in residents.Cast<IStandardRecord>().Concat(household).Concat(taxes).Concat(recipients).Concat(children)) validation.Add(r);
        validation.Add(Samples.Tax(Samples.Atena("9000001"), 2025, 1m) with { KazeisakiLgCode = "212025" });

        var reconciler = new Reconciler(new ReconcileOptions(), renderer);
        async Task<EntityReconciliation> One(SpecEntity entity, IEnumerable<IStandardRecord> source, IEnumerable<IStandardRecord> target, SourceCounts? counts = null) =>
            await reconciler.ReconcileEntityAsync(entity, Samples.Stream(source.Select(Samples.Row).Reverse()), false,
                Samples.Stream(target.Select(Samples.Row).OrderBy(x => x, new RowKeyComparer(entity))), true, counts, ct);

        var rejected = new Dictionary<string, long>(StringComparer.Ordinal) { [RejectReasons.InvalidPacked] = 1 };
        var entities = new[]
        {
            await One(ResidentSpec.Entity, residents, loadedResidents, new SourceCounts(4, rejected, new Dictionary<string, long>(StringComparer.Ordinal))),
            await One(HouseholdSpec.Entity, household, household),
            await One(TaxAssessmentSpec.Entity, taxes, loadedTaxes),
            await One(AllowanceRecipientSpec.Entity, recipients, recipients),
            await One(AllowanceChildSpec.Entity, children, children),
        };
        var rejects = new[]
        {
            RejectEntry.From("mainframe:JUKIMAST", new LegacyReject(new SourceLocation("JUKIMAST.DAT", 17, 16_320, "R-KOJIN-NO"), RejectReasons.InvalidPacked,
                "packed decimal has an invalid sign nibble near " + MyNumberB)),
            RejectEntry.From("csv:KZEI2025", new LegacyReject(new SourceLocation("kzei2025.csv", 3, -1), RejectReasons.MalformedRow, "row has 12 fields; the layout has 14")),
        }.Concat(RejectEntry.From(new MappingReject("mainframe:JUKIMAST", "JUKI", new SourceLocation("JUKIMAST.DAT", 21, 20_160), ResidentSpec.Entity.Name,
            "1000009", p.Pseudonymize("1000009"),
            [
                new RejectIssue(MappingRejectReasons.InvalidDate, "00100012", "生年月日", "R-SEINEN-YMD", "not a real date"),
                new RejectIssue(MappingRejectReasons.UnmappedCode, "00100005", "続柄", "R-ZOKUGARA", "code 99 has no entry in the code map"),
            ])));
        return ReconciliationResult.Create(StandardSpec.Version, run, p, renderer.Privacy, entities, rejects, validation.Complete());
    }
}
