using System.CommandLine;
using Ogaki.Migration.Validation.Reports;

namespace Ogaki.Migration.Cli;

/// <summary><c>report diff</c>: what changed between two rehearsals.</summary>
static class ReportCommands
{
    public static Command Build(TextWriter output)
    {
        var report = new Command("report", "Work with the reports of runs.");
        var a = new Argument<string>("run-a") { Description = "The earlier run: a run id under --runs, a run folder, or a reconciliation.json." };
        var b = new Argument<string>("run-b") { Description = "The later run." };
        var runs = new Option<string>("--runs") { Description = "Local runs folder.", DefaultValueFactory = _ => "runs" };
        var markdown = new Option<bool>("--markdown") { Description = "Print Markdown instead of plain text." };
        var diff = new Command("diff",
            "Compare two rehearsals: counts, control totals, new and resolved discrepancies and rejects (by pseudonymised key).\n\n" +
            "Examples:\n  ogaki-migrate report diff 20261126-101500-ab12cd 20261127-093000-ef34ab\n  ogaki-migrate report diff old/reconciliation.json new/reconciliation.json --markdown")
        {
            a, b, runs, markdown,
        };
        diff.SetAction(parse =>
        {
            var before = Resolve(parse.GetValue(a)!, parse.GetValue(runs)!);
            var after = Resolve(parse.GetValue(b)!, parse.GetValue(runs)!);
            ReportDiff d;
            try
            {
                d = ReportDiff.CompareFiles(before, after);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or KeyNotFoundException or FormatException)
            {
                throw new CliException($"cannot compare {before} and {after}: {e.Message}");
            }
            output.Write(parse.GetValue(markdown) ? d.ToMarkdown() : d.ToText());
            return ExitCodes.Ok;
        });
        report.Subcommands.Add(diff);
        return report;
    }

    /// <summary>The reconciliation.json of a run id under the runs folder, a run folder, or the file itself.</summary>
    internal static string Resolve(string run, string runs)
    {
        foreach (var candidate in new[] { run, Path.Combine(run, "reconciliation.json"), Path.Combine(runs, run, "reconciliation.json") })
            if (File.Exists(candidate) && candidate.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return candidate;
        throw new CliException($"no reconciliation.json for '{run}' (looked for the file, {run}/reconciliation.json and {Path.Combine(runs, run, "reconciliation.json")}).");
    }
}
