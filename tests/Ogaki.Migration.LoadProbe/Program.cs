using System.Globalization;
using Ogaki.Migration.LoadProbe;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

// Usage: Ogaki.Migration.LoadProbe <target connection> <run id> <record count> <batch size> [<batches per group>]
// Loads Resident records 0..count-1 in batches (batch b = records b*size .. b*size+size-1) and prints
// "committed <batch>" after each batch, so a test can kill it at a known or random point. With a group size, the
// batches go through LoadBatchesAsync that many at a time (on PostgreSQL one transaction per group).
// The connection comes from the environment variable named by the first argument when it starts with "env:".
if (args.Length is not (4 or 5))
{
    Console.Error.WriteLine("usage: LoadProbe <connection|env:VAR> <run id> <count> <batch size> [<batches per group>]");
    return 2;
}
var connection = args[0].StartsWith("env:", StringComparison.Ordinal) ? Environment.GetEnvironmentVariable(args[0][4..]) ?? "" : args[0];
var runId = args[1];
var count = long.Parse(args[2], CultureInfo.InvariantCulture);
var size = int.Parse(args[3], CultureInfo.InvariantCulture);
var group = args.Length == 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
try
{
    await using var target = TargetFactory.Create(connection);
    await target.EnsureSchemaAsync([ResidentSpec.Entity], StandardSpec.Version);
    await LoadRun.ResidentsAsync(target, runId, count, size, b => Console.Out.WriteLine("committed " + b.ToString(CultureInfo.InvariantCulture)), group: group);
    Console.Out.WriteLine("done");
    return 0;
}
catch (TargetLoadException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

namespace Ogaki.Migration.LoadProbe
{
    /// <summary>The deterministic run the probe and the tests share.</summary>
    public static class LoadRun
    {
        /// <param name="group">Batches handed to <see cref="IStandardTarget.LoadBatchesAsync"/> at a time (1: <see cref="IStandardTarget.LoadBatchAsync"/> per batch).</param>
        public static async Task<IReadOnlyList<BatchResult>> ResidentsAsync(IStandardTarget target, string runId, long count, int batchSize, Action<int>? committed = null,
            CancellationToken cancellationToken = default, int group = 1)
        {
            var results = new List<BatchResult>();
            var batches = (int)((count + batchSize - 1) / batchSize);
            for (var b = 0; b < batches; b += group)
            {
                if (group == 1)
                {
                    results.Add(await target.LoadBatchAsync(Batch(runId, b, count, batchSize), cancellationToken));
                    committed?.Invoke(b);
                    continue;
                }
                var these = Enumerable.Range(b, Math.Min(group, batches - b)).Select(n => Batch(runId, n, count, batchSize)).ToAsyncEnumerable();
                await foreach (var result in target.LoadBatchesAsync(these, cancellationToken))
                {
                    results.Add(result);
                    committed?.Invoke(result.BatchNumber);
                }
            }
            return results;
        }

        /// <summary>Batch <paramref name="b"/> of the run: records b*size .. min(count, (b+1)*size)-1, input numbers 1-based.</summary>
        public static LoadBatch Batch(string runId, int b, long count, int batchSize)
        {
            var first = (long)b * batchSize;
            var last = Math.Min(count, first + batchSize) - 1;
            var records = new List<IStandardRecord>();
            for (var n = first; n <= last; n++) records.Add(TestRecords.Resident(n));
            return new LoadBatch(runId, StandardSpec.Version, ResidentSpec.Entity, b, first + 1, last + 1, records);
        }
    }
}
