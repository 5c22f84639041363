using System.CommandLine;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Pipeline;

namespace Ogaki.Migration.Cli;

/// <summary><c>verify</c>: re-reads a run's artifacts and reports changed, missing and extra files.</summary>
static class VerifyCommand
{
    public static Command Build(TextWriter output)
    {
        var run = new Argument<string>("run-id") { Description = "The run to verify (a folder under the runs directory, or a blob prefix)." };
        var store = new Option<string?>("--store") { Description = "Artifact store: a folder, or an Azure Blob connection string (default: env OGAKI_Store, else the runs folder)." };
        var runs = new Option<string>("--runs") { Description = "Local runs folder.", DefaultValueFactory = _ => "runs" };
        var command = new Command("verify",
            "Verify a run's artifacts against its manifest (SHA-256 of every file, the manifest's own hash, and its seal: an HMAC under OGAKI_PSEUDONYM_KEY, so a rewritten report with recomputed hashes is found). Exit 0 when intact, 1 when anything changed or the run is unfinished, renamed or unsealed.\n\n" +
            "Examples:\n  ogaki-migrate verify 20261126-101500-ab12cd\n  OGAKI_Store='UseDevelopmentStorage=true' ogaki-migrate verify 20261126-101500-ab12cd")
        {
            run, store, runs,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connection = parse.GetValue(store) ?? Environment.GetEnvironmentVariable("OGAKI_Store");
            var (runId, runsFolder) = RunOf(parse.GetValue(run)!, parse.GetValue(runs)!, connection);
            // The seal is checked with the run's key: only a holder of OGAKI_PSEUDONYM_KEY can call a run intact.
            var sealer = new ManifestSealer(MigrationRunner.CreatePseudonymizer());
            var artifactStore = MigrationRunner.CreateStore(connection, runsFolder, sealer);
            VerifyReport report;
            try
            {
                report = await artifactStore.VerifyAsync(runId, ct);
            }
            catch (ArtifactStoreException e)
            {
                throw new CliException(e.Message, ExitCodes.Infrastructure, e);
            }
            output.WriteLine(report.ToString());
            if (!report.ManifestFound) throw new CliException($"run {report.RunId} has no manifest in {artifactStore.Description}; check the run id and --store.", ExitCodes.InvalidInput);
            foreach (var problem in report.Problems()) output.WriteLine("  - " + problem);
            if (report.IsClean && sealer.IsDevelopmentKey)
                output.WriteLine("verify: intact, but sealed with the development key — anyone can forge that seal; seal real runs with OGAKI_PSEUDONYM_KEY");
            else
                output.WriteLine(report.IsClean ? "verify: intact" : "verify: NOT INTACT — see the reasons above");
            return report.IsClean ? ExitCodes.Ok : ExitCodes.Discrepancies;
        });
        return command;
    }

    /// <summary>
    /// The run id and local runs folder: a path to a run folder (<c>runs/&lt;id&gt;</c>, as the dry-run prints it) is taken
    /// as its folder name under its parent; any other path is explained, since a run id names no folder of its own.
    /// </summary>
    static (string RunId, string RunsFolder) RunOf(string argument, string runsFolder, string? connection)
    {
        if (argument.IndexOfAny(['/', '\\']) < 0) return (argument, runsFolder);
        var full = Path.GetFullPath(argument.TrimEnd('/', '\\'));
        if (string.IsNullOrEmpty(connection) && Directory.Exists(full) && Path.GetDirectoryName(full) is { } parent)
            return (Path.GetFileName(full), parent);
        throw new CliException(string.IsNullOrEmpty(connection)
            ? $"{argument} is not a run folder; verify takes a run id (e.g. 20261126-101500-ab12cd) and --runs the folder that holds the runs."
            : $"{argument} is a path; with an artifact store give the run id only (e.g. 20261126-101500-ab12cd).");
    }
}
