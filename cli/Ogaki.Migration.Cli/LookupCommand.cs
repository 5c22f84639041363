using System.CommandLine;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Reports;

namespace Ogaki.Migration.Cli;

/// <summary>
/// <c>lookup</c>: from a pseudonym in a report back to the legacy record(s) — file, record number, byte offset. For an
/// authorised user holding the run's <c>OGAKI_PSEUDONYM_KEY</c>; prints locations, kinds and item ids, never a value.
/// </summary>
static class LookupCommand
{
    public static Command Build(TextWriter output)
    {
        var run = new Argument<string>("run-id") { Description = "The run: a run id under --runs, a run folder, or a reconciliation.json." };
        var pseudonym = new Argument<string>("pseudonym") { Description = "A pseudonymised key as reports show it (p- and 16 letters)." };
        var runs = new Option<string>("--runs") { Description = "Local runs folder.", DefaultValueFactory = _ => "runs" };
        var verify = new Option<string?>("--verify")
        {
            Description = "A clear identifier (宛名番号, 世帯番号, 受給者番号) to check against the pseudonym with the key; it is never printed.",
        };
        var command = new Command("lookup",
            "Find a pseudonymised key in a run's reports and print where its records are in the legacy data (file, record, byte offset). " +
            $"Needs the run's pseudonymisation key in {Pseudonymizer.EnvironmentVariable}. Exit 0 when found, 2 when not.\n\n" +
            "Examples:\n  ogaki-migrate lookup 20261126-101500-ab12cd p-glcoeggdhjamkpjh\n  ogaki-migrate lookup 20261126-101500-ab12cd p-glcoeggdhjamkpjh --verify 1000001")
        {
            run, pseudonym, runs, verify,
        };
        command.SetAction(parse =>
        {
            var path = ReportCommands.Resolve(parse.GetValue(run)!, parse.GetValue(runs)!);
            var wanted = parse.GetValue(pseudonym)!.Trim();
            var json = File.ReadAllBytes(path);
            string reportKeyId;
            IReadOnlyList<LookupHit> hits;
            try
            {
                reportKeyId = ReportLookup.KeyId(json);
                hits = ReportLookup.Find(json, wanted);
            }
            catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or InvalidOperationException)
            {
                throw new CliException($"cannot read {path}: {e.Message}");
            }
            // Only the holder of the run's key may follow a pseudonym back to its record.
            var key = Environment.GetEnvironmentVariable(Pseudonymizer.EnvironmentVariable);
            if (string.IsNullOrEmpty(key))
                throw new CliException($"lookup is for authorised users: set {Pseudonymizer.EnvironmentVariable} to the pseudonymisation key of the run.");
            Pseudonymizer pseudonymizer;
            try
            {
                pseudonymizer = Pseudonymizer.FromValues(key, null);
            }
            catch (PseudonymKeyMissingException e)
            {
                throw new CliException(e.Message + ".");
            }
            if (!string.Equals(pseudonymizer.KeyId, reportKeyId, StringComparison.Ordinal))
                throw new CliException($"{Pseudonymizer.EnvironmentVariable} is not the key of this run (key id {pseudonymizer.KeyId}; the run's reports were written with {reportKeyId}).");

            if (parse.GetValue(verify) is { } value)
            {
                var matches = string.Equals(pseudonymizer.Pseudonymize(value.Trim()), wanted, StringComparison.Ordinal);
                output.WriteLine(matches ? $"verify: {wanted} is the pseudonym of the given identifier." : $"verify: {wanted} is NOT the pseudonym of the given identifier.");
                if (!matches) return ExitCodes.Discrepancies;
            }
            if (hits.Count == 0)
                throw new CliException($"{wanted} does not occur in the discrepancies, rejects or findings of {path}.");
            output.WriteLine($"{wanted} in {path}: {hits.Count} occurrence(s)");
            foreach (var h in hits)
                output.WriteLine($"  {h.Category}  {h.Subject}  {h.Key}" + (h.Detail.Length > 0 ? $"  [{h.Detail}]" : "") +
                    "  at " + (h.Location is { } at ? at.ToString() : "(source location not recorded)"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
