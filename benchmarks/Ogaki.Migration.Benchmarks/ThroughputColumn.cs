using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Ogaki.Migration.Benchmarks;

/// <summary>
/// Throughput of a benchmark case from its median time per operation: rows/s or MB/s (MiB per second), with the
/// amount one operation handles supplied by the benchmark. Medians, because on a shared 2-core machine a single
/// slow iteration moves the mean a lot. The one throughput column of every benchmark here.
/// </summary>
/// <param name="megabytes">MB/s (true) or rows/s (false).</param>
/// <param name="legend">What is counted, for the legend under the table.</param>
/// <param name="perOperation">Rows (or bytes) one operation handles; null when unknown for the case.</param>
public sealed class ThroughputColumn(bool megabytes, string legend, Func<BenchmarkCase, double?> perOperation) : IColumn
{
    /// <summary>rows/s, one operation = <paramref name="rowsPerOperation"/> rows (1 when OperationsPerInvoke counts rows).</summary>
    public static ThroughputColumn Rows(string legend, Func<BenchmarkCase, double?> rowsPerOperation) => new(false, legend, rowsPerOperation);

    /// <summary>MB/s (MiB per second), one operation = <paramref name="bytesPerOperation"/> bytes.</summary>
    public static ThroughputColumn Megabytes(string legend, Func<BenchmarkCase, double?> bytesPerOperation) => new(true, legend, bytesPerOperation);

    public string Id => megabytes ? "ThroughputMBps" : "ThroughputRowsPerSecond";
    public string ColumnName => megabytes ? "MB/s" : "rows/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => megabytes ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend + (megabytes ? " (MiB per second, median)" : " (per second, median)");

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (median is not > 0 || perOperation(benchmarkCase) is not { } amount) return "-";
        var perSecond = amount / (median.Value / 1e9);
        return megabytes
            ? (perSecond / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture)
            : perSecond.ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}

/// <summary>Decode: MB/s of input and rows/s, from each category's deterministic file shape.</summary>
public sealed class DecodeBenchmarkConfig : ManualConfig
{
    public DecodeBenchmarkConfig() => AddColumn(StatisticColumn.Median,
        ThroughputColumn.Megabytes("Input decoded", c => DecodeBenchmarks.FileBytes(Category(c))),
        ThroughputColumn.Rows("Records decoded", c => DecodeBenchmarks.Shape(Category(c)).Records));

    static string Category(BenchmarkCase c) => c.Descriptor.Categories.FirstOrDefault() ?? DecodeBenchmarks.Cp932;
}
