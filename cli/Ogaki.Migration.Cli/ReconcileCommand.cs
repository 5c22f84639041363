using System.CommandLine;
using System.Globalization;
using Ogaki.Migration.Pipeline;

namespace Ogaki.Migration.Cli;

/// <summary><c>reconcile</c>: reconciles an already loaded target against the legacy source, without reloading.</summary>
static class ReconcileCommand
{
    public static Command Build(TextWriter output)
    {
        var common = new DryRunCommand.CommonOptions();
        var command = new Command("reconcile",
            "Re-read the legacy source, map it, read the target back and compare: counts, control totals, record hashes and field-level diffs. " +
            "Writes reports as a new run. Exit 0 when everything reconciles, 1 on discrepancies, 3 when the comparison cannot be done.\n\n" +
            "Examples:\n  ogaki-migrate reconcile --source estate --target \"Host=127.0.0.1;Port=5432;Username=mig;Database=mig\"\n" +
            "  ogaki-migrate reconcile --source runs/.work/<run-id>/source --target sqlite:runs/.work/<run-id>/target.db");
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var config = RunConfiguration.Load(parse.GetValue(common.Config), common.Overrides(parse));
            if (string.IsNullOrWhiteSpace(config.Source)) throw new CliException("reconcile needs --source (the legacy estate folder the target was loaded from).");
            if (string.IsNullOrWhiteSpace(config.Target)) throw new CliException("reconcile needs --target (sqlite:<path> or a PostgreSQL connection string).");
            // The same run as dry-run, without the load: the mapping only collects the source side the target is compared with.
            var runner = new MigrationRunner(new StageProgress(output, StageProgress.ShouldBeLive(output)));
            var outcome = await runner.RunAsync(config.ToRunRequest(load: false, runId: null, parse.GetValue(common.Unmask)), ct);
            var result = outcome.Reconciliation;
            foreach (var e in result.Entities)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{e.Entity.Name,-20} mapped {e.Mapped,9:N0}  loaded {e.Loaded,9:N0}  matched {e.Matched,9:N0}  missing {e.MissingInTarget:N0}  unexpected {e.UnexpectedInTarget:N0}  duplicate {e.Duplicates:N0}  mismatch {e.FieldMismatches:N0}{(e.Error is null ? "" : "  ERROR " + e.Error)}"));
            foreach (var p in result.Problems.Take(20)) output.WriteLine("  - " + PiiRedactor.Redact(p).ReplaceLineEndings(" "));
            var exit = DryRunCommand.ExitCodeOf(result);
            output.WriteLine($"outcome: {result.Outcome} (exit {exit})");
            output.WriteLine("reports: " + outcome.ReportsAt);
            return exit;
        });
        return command;
    }
}
