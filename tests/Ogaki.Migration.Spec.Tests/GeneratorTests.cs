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
        var files = GeneratorHarness.MiniSpec("00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n");
        var driver = GeneratorHarness.Driver(files).RunGenerators(comp, ct);
        var changed = files.Select(f => f.Path.EndsWith("JUKI.csv", StringComparison.Ordinal) ? (f.Path, f.Text + "00100002,氏名,shimei,人,,,Ｎ,10,,,任意,,,,,Name,text,provisional\n") : f).ToList();
        var driver2 = GeneratorHarness.Driver(changed).RunGenerators(comp, ct);
        var sources = driver2.GetRunResult().Results.Single().GeneratedSources;
        Assert.Contains(sources, s => s.HintName == "Person.g.cs" && s.SourceText.ToString().Contains("public string? Name { get; init; }", StringComparison.Ordinal));
        Assert.NotNull(driver);
    }

    public static TheoryData<string, string, int> BadRows => new()
    {
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits\n", "OGSPEC001", 2 }, // missing column (17 fields)
        { "P-1,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n", "OGSPEC001", 2 }, // データ項目ID not 8 digits
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,float,provisional\n", "OGSPEC002", 2 }, // unknown type of ours
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,kana,provisional\n", "OGSPEC002", 2 }, // kana is not X
        { "00100001,番号,bango,人,○,,Z,5,,,必須,,,,,Id,digits,provisional\n", "OGSPEC002", 2 }, // unknown データ型
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n00100001,番号2,bango2,人,,,X,5,,,必須,,,,,Id2,digits,provisional\n", "OGSPEC003", 3 }, // duplicate item id
        { "00100001,番号,bango,人,○,,X,abc,,,必須,,,,,Id,digits,provisional\n", "OGSPEC004", 2 }, // bad 桁数
        { "00100001,番号,bango,人,○,,X,0,,,必須,,,,,Id,digits,provisional\n", "OGSPEC004", 2 }, // zero 桁数
        { "00100001,番号,bango,人,○,,X,5,,,はい,,,,,Id,digits,provisional\n", "OGSPEC005", 2 }, // bad データ出力条件
        { "00100001,番号,bango,人,○,,X,1,CT-NONE,,必須,,,,,Id,code,provisional\n", "OGSPEC006", 2 }, // unknown code table
        { "00100001,番号,bango,幽霊,○,,X,5,,,必須,,,,,Id,digits,provisional\n", "OGSPEC007", 2 }, // unknown グループ
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,番号,digits,provisional\n", "OGSPEC008", 2 }, // non-ASCII identifier
        { "00100001,番号,Bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n", "OGSPEC008", 2 }, // ローマ字 not snake_case
        { "00100001,番号,bango,人,○,,X,5,,,必須,,,,,Id,digits,provisional\n00100002,番号_不詳フラグ,bango_fushofuragu,人,,,9,1,,,任意,,,,,IdFlag,flag,provisional\n", "OGSPEC001", 3 }, // 不詳 pair of no DATE item
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
        files[1] = (files[1].Path, GeneratorHarness.ItemHeader.Replace(",コード,", ",", StringComparison.Ordinal) + "\n00100001,番号,bango,人,○,,X,5,,必須,,,,,Id,digits,provisional\n");
        var run = GeneratorHarness.Driver(files).RunGenerators(GeneratorHarness.Compilation(), ct).GetRunResult().Results.Single();
        var d = Assert.Single(run.Diagnostics, d => d.Id == "OGSPEC001" && d.Location.GetLineSpan().Path.EndsWith("JUKI.csv", StringComparison.Ordinal));
        Assert.Contains("コード", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(0, d.Location.GetLineSpan().StartLinePosition.Line);
    }
}
