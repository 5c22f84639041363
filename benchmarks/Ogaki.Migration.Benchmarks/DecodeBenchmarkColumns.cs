using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Ogaki.Migration.Benchmarks;

/// <summary>Adds the median, and MB/s and rows/s (from the median time and the deterministic file shape of each category).</summary>
public sealed class DecodeBenchmarkConfig : ManualConfig
{
    public DecodeBenchmarkConfig()
    {
        // Medians: on a shared 2-core machine a single slow iteration moves the mean a lot.
        AddColumn(StatisticColumn.Median, new ThroughputColumn(megabytes: true), new ThroughputColumn(megabytes: false));
    }
}

/// <summary>Throughput of a <see cref="DecodeBenchmarks"/> case: MB/s (MiB of input per second) or rows/s.</summary>
public sealed class ThroughputColumn(bool megabytes) : IColumn
{
    public string Id => megabytes ? "DecodeMBps" : "DecodeRowsPerSecond";
    public string ColumnName => megabytes ? "MB/s" : "rows/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => megabytes ? 0 : 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => megabytes ? "Input MiB decoded per second (median)" : "Records decoded per second (median)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var median = report?.ResultStatistics?.Median;
        if (median is null or <= 0) return "-";
        var category = benchmarkCase.Descriptor.Categories.FirstOrDefault() ?? DecodeBenchmarks.Cp932;
        var seconds = median.Value / 1e9;
        var value = megabytes
            ? DecodeBenchmarks.FileBytes(category) / (1024.0 * 1024.0) / seconds
            : DecodeBenchmarks.Shape(category).Records / seconds;
        return value.ToString(megabytes ? "N1" : "N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}
