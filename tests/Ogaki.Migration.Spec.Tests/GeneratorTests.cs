using Microsoft.CodeAnalysis;
using Ogaki.Migration.Spec.Generator;
using Snapshooter;
using Snapshooter.Xunit3;

namespace Ogaki.Migration.Spec.Tests;

public class GeneratorTests
{
    [Fact]
    public void Generated_source_of_every_entity_and_code_table_matches_its_snapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        var result = GeneratorHarness.Driver(GeneratorHarness.SpecFiles("1.1")).RunGenerators(GeneratorHarness.Compilation(), ct).GetRunResult();
        var run = Assert.Single(result.Results);
        Assert.Empty(run.Diagnostics);
        var hints = run.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Contains("Resident.g.cs", hints);
        Assert.Contains("TaxAssessment.g.cs", hints);
        Assert.Contains("AllowanceChild.g.cs", hints);
        foreach (var src in run.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
            Snapshot.Match(src.SourceText.ToString(), SnapshotNameExtension.Create(src.HintName));
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    public void Generated_code_of_each_spec_version_compiles_without_errors(string version)
    {
        var ct = TestContext.Current.CancellationToken;
        GeneratorHarness.Driver(GeneratorHarness.SpecFiles(version))
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(), out var output, out var diagnostics, ct);
        Assert.Empty(diagnostics);
        // CS0436: the test compilation also references the Spec assembly, which holds the same generated types.
        var errors = output.GetDiagnostics(ct).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Empty(errors);
        Assert.Equal(11, output.SyntaxTrees.Count(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) && !t.FilePath.Contains("Codes.", StringComparison.Ordinal) && !t.FilePath.Contains("StandardSpec", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_second_run_on_an_unchanged_compilation_is_fully_cached()
    {
        var ct = TestContext.Current.CancellationToken;
        var comp = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(GeneratorHarness.SpecFiles("1.1"));
        driver = driver.RunGenerators(comp, ct);
        driver = driver.RunGenerators(comp.Clone(), ct);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in new[] { SpecGenerator.ParseStep, SpecGenerator.BuildStep })
        {
            Assert.True(steps.ContainsKey(name), $"step {name} is not tracked");
            var reasons = steps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {r}"));
        }
        // The model holds plain values only: no Roslyn objects that would defeat caching.
        foreach (var output in steps.Values.SelectMany(s => s).SelectMany(s => s.Outputs))
            Assert.False(output.Value is Compilation or ISymbol or SyntaxNode, "Roslyn object in the pipeline model");
    }

    [Fact]
    public void Editing_one_spec_file_reparses_only_that_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var comp = GeneratorHarness.Compilation();
        var files = GeneratorHarness.MiniSpec("P-1,Person,番号,Id,digits,5,M,,,provisional\n");
        var driver = GeneratorHarness.Driver(files).RunGenerators(comp, ct);
        var changed = files.Select(f => f.Path.EndsWith("JUKI.csv", StringComparison.Ordinal) ? (f.Path, f.Text + "P-2,Person,氏名,Name,text,10,O,,,provisional\n") : f).ToList();
        var driver2 = GeneratorHarness.Driver(changed).RunGenerators(comp, ct);
        var sources = driver2.GetRunResult().Results.Single().GeneratedSources;
        Assert.Contains(sources, s => s.HintName == "Person.g.cs" && s.SourceText.ToString().Contains("public string? Name { get; init; }", StringComparison.Ordinal));
        Assert.NotNull(driver);
    }

    public static TheoryData<string, string, int> BadRows => new()
    {
        { "P-1,Person,番号,Id,digits,5,M,,provisional\n", "OGSPEC001", 2 },                              // missing column (9 fields)
        { "P-1,Person,番号,Id,decimal,5,M,,,provisional\n", "OGSPEC002", 2 },                             // unknown type
        { "P-1,Person,番号,Id,digits,5,M,,,provisional\nP-1,Person,番号2,Id2,digits,5,M,,,provisional\n", "OGSPEC003", 3 }, // duplicate item id
        { "P-1,Person,番号,Id,digits,abc,M,,,provisional\n", "OGSPEC004", 2 },                           // bad length
        { "P-1,Person,番号,Id,digits,0,M,,,provisional\n", "OGSPEC004", 2 },                             // zero length
        { "P-1,Person,番号,Id,digits,5,X,,,provisional\n", "OGSPEC005", 2 },                             // bad required flag
        { "P-1,Person,番号,Id,code,1,M,CT-NONE,,provisional\n", "OGSPEC006", 2 },                        // unknown code table
        { "P-1,Ghost,番号,Id,digits,5,M,,,provisional\n", "OGSPEC007", 2 },                              // unknown entity
        { "P-1,Person,番号,番号,digits,5,M,,,provisional\n", "OGSPEC008", 2 },                           // non-ASCII identifier
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_malformed_spec_row_is_a_diagnostic_with_file_and_line_not_a_crash(string rows, string id, int line)
    {
        var ct = TestContext.Current.CancellationToken;
        var run = GeneratorHarness.Driver(GeneratorHarness.MiniSpec(rows)).RunGenerators(GeneratorHarness.Compilation(), ct).GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        var d = Assert.Single(run.Diagnostics, d => d.Id == id && d.Location.GetLineSpan().Path.EndsWith("JUKI.csv", StringComparison.Ordinal));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.EndsWith("JUKI.csv", span.Path, StringComparison.Ordinal);
        Assert.Equal(line, span.StartLinePosition.Line + 1);
    }

    [Fact]
    public void A_header_without_a_required_column_is_reported_on_line_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var files = GeneratorHarness.MiniSpec("");
        files[1] = (files[1].Path, "item_id,entity,name_ja,identifier,type,length,required,notes,status\nP-1,Person,番号,Id,digits,5,M,,provisional\n");
        var run = GeneratorHarness.Driver(files).RunGenerators(GeneratorHarness.Compilation(), ct).GetRunResult().Results.Single();
        var d = Assert.Single(run.Diagnostics, d => d.Id == "OGSPEC001" && d.Location.GetLineSpan().Path.EndsWith("JUKI.csv", StringComparison.Ordinal));
        Assert.Contains("code_table", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(0, d.Location.GetLineSpan().StartLinePosition.Line);
    }
}
