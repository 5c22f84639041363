using System.CommandLine;
using Ogaki.Migration.Spec;

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
        return spec;
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
