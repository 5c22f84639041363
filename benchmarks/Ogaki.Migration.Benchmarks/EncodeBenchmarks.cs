using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Benchmarks;

/// <summary>
/// The client side of the PostgreSQL load, apart from any connection: <see cref="BinaryCopyWriter"/> encoding a batch
/// of records as binary COPY tuples and hashing them (the batch checksum), against the floor every checksummed load
/// pays — the SHA-256 of the same tuple bytes alone. On the 2-core machine this work shares the cores with the
/// server that takes the rows in, so what it costs above the floor is taken from the load.
/// Resident is text-heavy (names with IVS and surrogate pairs); TaxAssessment is amount-heavy (numeric).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EncodeConfig))]
public class EncodeBenchmarks
{
    const int Rows = 20_000;

    [Params("Resident", "TaxAssessment")]
    public string Entity { get; set; } = "Resident";

    LoadBatch _batch = null!;
    SpecItem[] _items = [];
    byte[] _tuples = [];

    /// <summary>Encoded tuple bytes per row of each entity run, for the MB/s column (read after every case has run).</summary>
    static readonly Dictionary<string, double> BytesPerRow = [];

    [GlobalSetup]
    public void Setup()
    {
        var (spec, records) = Entity == "Resident"
            ? (ResidentSpec.Entity, Enumerable.Range(0, Rows).Select(n => (IStandardRecord)BenchRecords.Resident(n)).ToList())
            : (TaxAssessmentSpec.Entity, Enumerable.Range(0, Rows).Select(n => (IStandardRecord)BenchRecords.TaxAssessment(n)).ToList());
        _batch = new LoadBatch("bench-encode", StandardSpec.Version, spec, 1, 1, Rows, records);
        _items = [.. spec.Items];
        using var writer = new BinaryCopyWriter(_items);
        using var bytes = new MemoryStream();
        // The tuples as sent (the 19-byte header first), kept for the hash-only baseline.
        writer.WriteAsync(_batch, chunk => { bytes.Write(chunk.Span); return ValueTask.CompletedTask; }).AsTask().GetAwaiter().GetResult();
        _tuples = bytes.ToArray();
        BytesPerRow[Entity] = (double)_tuples.Length / Rows;
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the same tuple bytes alone (256 KiB chunks)", OperationsPerInvoke = Rows)]
    public byte[] HashOnly()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var at = 0; at < _tuples.Length; at += 1 << 18) hash.AppendData(_tuples, at, Math.Min(1 << 18, _tuples.Length - at));
        return hash.GetHashAndReset();
    }

    [Benchmark(Description = "BinaryCopyWriter: encode + batch checksum", OperationsPerInvoke = Rows)]
    public async Task<string> EncodeAndHash()
    {
        using var writer = new BinaryCopyWriter(_items);
        return await writer.WriteAsync(_batch, null);
    }

    sealed class EncodeConfig : ManualConfig
    {
        // OperationsPerInvoke = rows, so one operation is one row.
        public EncodeConfig() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median,
            ThroughputColumn.Rows("Rows encoded (or hashed)", _ => 1),
            ThroughputColumn.Megabytes("Binary COPY tuple bytes (with --inProcess)", c => BytesPerRow.TryGetValue((string)c.Parameters["Entity"], out var b) ? b : null));
    }
}
