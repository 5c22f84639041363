using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Generator;

namespace Ogaki.Migration.Spec.Tests;

/// <summary>Runs the spec generator in memory on spec files, as the compiler would.</summary>
static class GeneratorHarness
{
    sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, Encoding.UTF8);
    }

    public static CSharpCompilation Compilation()
    {
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(SpecEntity).Assembly.Location));
        return CSharpCompilation.Create("SpecConsumer", [CSharpSyntaxTree.ParseText("namespace Consumer { class C { } }")], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The real spec files of a version, as the Spec project feeds them to the generator.</summary>
    public static IReadOnlyList<(string Path, string Text)> SpecFiles(string version)
    {
        var root = Path.Combine(SpecCatalog.DefaultRoot(), version);
        return Directory.EnumerateFiles(root, "*.csv", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => ("/repo/spec/standard/" + version + "/" + Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText(p)))
            .ToList();
    }

    public static GeneratorDriver Driver(IEnumerable<(string Path, string Text)> files) =>
        CSharpGeneratorDriver.Create(
            generators: [new SpecGenerator().AsSourceGenerator()],
            additionalTexts: files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Header of an items file: the official columns, then identifier, type and status of ours.</summary>
    public const string ItemHeader = "データ項目ID,データ項目,データ項目（ローマ字）,グループ,主キー,外部キー,データ型,桁数,コード,繰り返し,データ出力条件,条件付き必須の条件,項目定義,標準仕様書関連箇所,実装類型,identifier,type,status";

    /// <summary>Minimal spec: one entity (グループ 人), given item rows in the official shape (CSV lines without the header).</summary>
    public static List<(string Path, string Text)> MiniSpec(string itemRows, string? codeTable = null)
    {
        var files = new List<(string, string)>
        {
            ("/s/standard/9.9/entities.csv", "entity,area,area_name_ja,name_ja,key,table,status,notes\nPerson,JUKI,住民記録,人,Id,person,provisional,\n"),
            ("/s/standard/9.9/items/JUKI.csv", ItemHeader + "\n" + itemRows),
        };
        files.Add(("/s/standard/9.9/codes/CT-SEX.csv", codeTable ?? "# table_id=CT-SEX;identifier=Sex;name_ja=性別;status=provisional;notes=\ncode,name_ja,identifier,status,notes\n1,男,Male,provisional,\n2,女,Female,provisional,\n"));
        return files;
    }
}
