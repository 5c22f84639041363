using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Ogaki.Migration.Spec.Parsing;

namespace Ogaki.Migration.Spec.Generator;

/// <summary>
/// Reads the spec CSVs of one version (AdditionalFiles under <c>standard/&lt;version&gt;/</c>) and emits,
/// per entity, a record type, its metadata table and its validator, plus one type per code table.
/// Pipeline: parse each file → build the equatable model → emit; diagnostics travel on their own output.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public const string ParseStep = "ParseSpec";
    public const string BuildStep = "BuildModel";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static t => SpecFileParser.Classify(t.Path, out _) != SpecFileKind.Unknown)
            .Select(static (t, ct) => SpecFileParser.Parse(NormalisePath(t.Path), t.GetText(ct)?.ToString() ?? ""))
            .WithTrackingName(ParseStep);

        var model = files.Collect()
            .Select(static (all, _) => SpecFileParser.Build(all))
            .WithTrackingName(BuildStep);

        context.RegisterSourceOutput(model.Select(static (m, _) => m.Problems), static (spc, problems) =>
        {
            foreach (var p in problems) spc.ReportDiagnostic(ToDiagnostic(p));
        });

        context.RegisterSourceOutput(model, static (spc, m) =>
        {
            if (m.Entities.Count == 0 && m.CodeTables.Count == 0) return;
            foreach (var t in m.CodeTables)
                spc.AddSource($"Codes.{t.Identifier}.g.cs", SourceText.From(SpecEmitter.EmitCodeTable(m, t), Encoding.UTF8));
            foreach (var e in m.Entities)
                spc.AddSource($"{e.Row.Name}.g.cs", SourceText.From(SpecEmitter.EmitEntity(m, e), Encoding.UTF8));
            spc.AddSource("StandardSpec.g.cs", SourceText.From(SpecEmitter.EmitCatalog(m), Encoding.UTF8));
        });
    }

    // Paths only matter for diagnostics and version detection; keep them stable across machines.
    static string NormalisePath(string path) => path.Replace('\\', '/');

    static Diagnostic ToDiagnostic(SpecProblem p)
    {
        var descriptor = new DiagnosticDescriptor(p.Id, "Malformed spec file", "{0}", "Ogaki.Spec", DiagnosticSeverity.Error, isEnabledByDefault: true);
        var line = new LinePosition(p.Line - 1 < 0 ? 0 : p.Line - 1, 0);
        var location = Location.Create(p.Path, new TextSpan(0, 0), new LinePositionSpan(line, line));
        return Diagnostic.Create(descriptor, location, p.Message);
    }

    internal static ImmutableArray<string> Steps => [ParseStep, BuildStep];
}
