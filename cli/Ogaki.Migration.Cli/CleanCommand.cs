using System.CommandLine;
using System.Globalization;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Pipeline;

namespace Ogaki.Migration.Cli;

/// <summary><c>clean</c>: removes the work folders of finished runs and, when asked, of abandoned ones.</summary>
static class CleanCommand
{
    public static Command Build(TextWriter output)
    {
        var runs = new Option<string?>("--runs") { Description = "Local runs folder (default runs; env OGAKI_RunsDirectory)." };
        var store = new Option<string?>("--store") { Description = "Artifact store that says which runs are finished (default: env OGAKI_Store, else the runs folder)." };
        var olderThan = new Option<double?>("--older-than") { Description = "Also remove the work folders of unfinished runs untouched for at least this many days (they can no longer be resumed)." };
        var command = new Command("clean",
            "Remove the work folders (runs/.work/<run-id>: sample, SQLite target, spill files, run.log) of finished runs; their reports stay. " +
            "With --older-than, also those of unfinished runs untouched for that many days. Prints each folder it removed.\n\n" +
            "Examples:\n  ogaki-migrate clean\n  ogaki-migrate clean --older-than 14")
        {
            runs, store, olderThan,
        };
        command.SetAction(async (parse, ct) =>
        {
            var days = parse.GetValue(olderThan);
            if (days is { } d && (double.IsNaN(d) || d < 0 || d > 36_500))
                throw new CliException($"--older-than {d.ToString(CultureInfo.InvariantCulture)} is out of range; give a number of days from 0 to 36500.");
            var runsDirectory = parse.GetValue(runs) ?? Environment.GetEnvironmentVariable("OGAKI_RunsDirectory") ?? "runs";
            IArtifactStore artifactStore;
            try
            {
                artifactStore = ArtifactStoreFactory.Create(parse.GetValue(store) ?? Environment.GetEnvironmentVariable("OGAKI_Store"), runsDirectory);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }
            var removed = await RunFolders.CleanAsync(runsDirectory, artifactStore, days is { } n ? TimeSpan.FromDays(n) : null, DateTime.UtcNow, ct);
            foreach (var r in removed) output.WriteLine($"removed {r.Path} (run {r.RunId}, {r.Reason})");
            output.WriteLine(removed.Count == 0 ? "clean: nothing to remove" : $"clean: {removed.Count} work folder(s) removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
