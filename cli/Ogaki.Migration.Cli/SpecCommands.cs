using System.CommandLine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Import;

namespace Ogaki.Migration.Cli;

/// <summary><c>spec diff</c> and <c>spec list</c>: the spec versions shipped with the tool and what changed between them.</summary>
static class SpecCommands
{
    public static Command Build(TextWriter output)
    {
        var spec = new Command("spec", "Spec versions (基本データリスト) shipped with the tool.");

        var from = new Argument<string>("from") { Description = "The older spec version, e.g. 1.0." };
        var to = new Argument<string>("to") { Description = "The newer spec version, e.g. 1.1." };
        var root = new Option<string?>("--spec-root") { Description = "Folder holding <version>/ spec folders (default: the ones shipped with the tool)." };
        var diff = new Command("diff", "List items, code tables and code values added, removed or changed between two spec versions.\n\nExample:\n  ogaki-migrate spec diff 1.0 1.1")
        {
            from, to, root,
        };
        diff.SetAction(parse =>
        {
            var a = Load(parse.GetValue(from)!, parse.GetValue(root));
            var b = Load(parse.GetValue(to)!, parse.GetValue(root));
            output.Write(SpecDiff.Format(a, b, SpecDiff.Compare(a, b)));
            return ExitCodes.Ok;
        });
        spec.Subcommands.Add(diff);

        var list = new Command("list", "List the spec versions, their entities and item counts.\n\nExample:\n  ogaki-migrate spec list") { root };
        list.SetAction(parse =>
        {
            var dir = parse.GetValue(root);
            foreach (var v in SpecCatalog.Versions(dir))
            {
                var c = Load(v, dir);
                output.WriteLine($"{v}: {c.Entities.Count} entities, {c.Entities.Sum(e => e.Items.Count)} items, {c.CodeTables.Count} code tables ({c.CodeTables.Count(t => t.Status == SpecStatus.Provisional)} provisional)");
                foreach (var e in c.Entities)
                    output.WriteLine($"  {e.Area} {e.Name} {e.NameJa}: {e.Items.Count} items, key {string.Join("+", e.Key)}");
            }
            return ExitCodes.Ok;
        });
        spec.Subcommands.Add(list);
        spec.Subcommands.Add(BuildImport(output));
        return spec;
    }

    static Command BuildImport(TextWriter output)
    {
        var workbook = new Argument<string>("workbook") { Description = "An official 基本データリスト / 項目定義書 workbook (.xlsx): item sheet and コード一覧 sheet." };
        var outDir = new Option<string>("--out") { Description = "The new version folder, e.g. spec/standard/2.0/ (must not exist or be empty).", Required = true };
        var attribution = new Option<string?>("--attribution") { Description = "The 出典 text the workbook's licence asks for, written to SOURCE.md." };
        var import = new Command("import", "Turn an official workbook into spec files of a new version (official shape), checked by loading them back.\n\nExample:\n  ogaki-migrate spec import koumoku-teigisho.xlsx --out spec/standard/2.0/")
        {
            workbook, outDir, attribution,
        };
        import.SetAction(parse =>
        {
            var path = parse.GetValue(workbook)!;
            if (!File.Exists(path)) throw new CliException($"{path}: no such workbook.");
            var dir = parse.GetValue(outDir)!;
            ImportResult result;
            try
            {
                result = OfficialWorkbookImporter.Import(path, dir, parse.GetValue(attribution));
            }
            catch (WorkbookImportException e)
            {
                throw new CliException(e.Message);
            }
            // The written files must load with the same rules the generator applies.
            var full = Path.GetFullPath(dir);
            var catalog = Load(result.Version, Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)));
            output.WriteLine($"spec {result.Version}: {result.Items} items in {result.Groups.Count} グループ ({string.Join(", ", result.Groups)}), {result.CodeTables.Count} code tables; {result.Files.Count} files in {dir}");
            foreach (var e in catalog.Entities)
                output.WriteLine($"  {e.Name} {e.NameJa}: {e.Items.Count} items, key {string.Join("+", e.Key)}");
            return ExitCodes.Ok;
        });
        return import;
    }

    static SpecCatalog Load(string version, string? root)
    {
        try
        {
            return SpecCatalog.Load(version, root);
        }
        catch (SpecLoadException e)
        {
            throw new CliException($"{e.Message} — available versions: {string.Join(", ", SafeVersions(root))}.");
        }
    }

    static IEnumerable<string> SafeVersions(string? root)
    {
        try { return SpecCatalog.Versions(root); } catch (SpecLoadException) { return []; }
    }
}
