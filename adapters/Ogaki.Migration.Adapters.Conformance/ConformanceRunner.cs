using System.Globalization;
using System.Reflection;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Conformance;

/// <summary>
/// Runs the conformance checks against a vendor's adapter and returns a readable report. Check ids:
/// <list type="bullet">
/// <item>required: <c>stream-completes</c>, <c>record-count</c>, <c>field-values</c>, <c>decimal-exactness</c>,
/// <c>kana-kanji</c>, <c>location</c>, <c>deterministic</c>, <c>cancellation</c>, and <c>bad-input:&lt;reason&gt;</c> for every
/// supplied bad input (no exception, the reject with file, record number and field, the other records still read).</item>
/// <item>optional: <c>gaiji</c> (PUA 外字 decoded, not dropped), <c>decimal-scale</c> (scale kept, e.g. 10.50),
/// <c>bad-input:&lt;reason&gt;</c> for reasons the vendor supplied no sample for.</item>
/// </list>
/// </summary>
public static class ConformanceRunner
{
    public static readonly IReadOnlyList<string> AllRejectReasons = typeof(RejectReasons)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    public static async Task<ConformanceReport> RunAsync(ConformanceSuite suite, CancellationToken cancellationToken = default)
    {
        var checks = new List<CheckResult>();
        var adapterName = "?";
        List<LegacyReadResult>? items = null;
        try
        {
            var adapter = suite.CreateAdapter(suite.SamplePath);
            adapterName = adapter.Name;
            items = await ReadAll(adapter, cancellationToken).ConfigureAwait(false);
            checks.Add(Pass("stream-completes", $"{items.Count} items read"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            checks.Add(Fail("stream-completes", $"reading the good sample threw {ex.GetType().Name}: {ex.Message}"));
        }

        if (items is not null)
        {
            checks.Add(RecordCount(suite, items));
            checks.AddRange(Values(suite, items));
            checks.Add(Location(suite, items));
            checks.Add(await Deterministic(suite, items, cancellationToken).ConfigureAwait(false));
            checks.Add(await Cancellation(suite, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            foreach (var id in new[] { "record-count", "field-values", "decimal-exactness", "kana-kanji", "location", "deterministic", "cancellation" })
                checks.Add(Fail(id, "not run: the good sample could not be read"));
        }
        checks.AddRange(await BadInputs(suite, cancellationToken).ConfigureAwait(false));
        return new ConformanceReport(suite.Name, adapterName, checks);
    }

    static CheckResult Pass(string id, string message, bool required = true) => new(id, required, CheckStatus.Passed, message);

    static CheckResult Fail(string id, string message, bool required = true) => new(id, required, CheckStatus.Failed, message);

    static async Task<List<LegacyReadResult>> ReadAll(ILegacyAdapter adapter, CancellationToken ct)
    {
        var list = new List<LegacyReadResult>();
        await foreach (var r in adapter.ReadAsync(ct).ConfigureAwait(false)) list.Add(r);
        return list;
    }

    static SourceLocation Loc(LegacyReadResult r) => r.Record?.Location ?? r.Reject!.Location;

    static CheckResult RecordCount(ConformanceSuite suite, List<LegacyReadResult> items)
    {
        var records = items.Count(i => i.IsRecord);
        var rejects = items.Where(i => !i.IsRecord).Select(i => i.Reject!).ToList();
        if (rejects.Count > 0)
            return Fail("record-count", $"the good sample gave {rejects.Count} reject(s), first: {rejects[0]}");
        if (items.Any(i => i.Record is null && i.Reject is null))
            return Fail("record-count", "an item is neither a record nor a reject");
        return records == suite.ExpectedRecordCount
            ? Pass("record-count", $"{records} records")
            : Fail("record-count", $"expected {suite.ExpectedRecordCount} records, read {records}");
    }

    static IEnumerable<CheckResult> Values(ConformanceSuite suite, List<LegacyReadResult> items)
    {
        var byNumber = new Dictionary<long, LegacyRecord>();
        foreach (var r in items.Where(i => i.IsRecord).Select(i => i.Record!)) byNumber.TryAdd(r.Location.RecordNumber, r);
        var valueErrors = new List<string>();
        var typeErrors = new List<string>();
        var scaleErrors = new List<string>();
        int decimals = 0, kana = 0, kanji = 0, gaiji = 0, strings = 0;
        var kanaErrors = new List<string>();
        var gaijiErrors = new List<string>();
        foreach (var e in suite.ExpectedRecords)
        {
            if (!byNumber.TryGetValue(e.RecordNumber, out var rec))
            {
                valueErrors.Add($"record {e.RecordNumber} missing");
                continue;
            }
            if (e.RecordType is { } t && !string.Equals(rec.RecordType, t, StringComparison.Ordinal))
                valueErrors.Add($"record {e.RecordNumber}: type '{rec.RecordType}', expected '{t}'");
            foreach (var (path, expected) in e.Fields)
            {
                var where = $"record {e.RecordNumber} {path}";
                if (!rec.Has(path))
                {
                    valueErrors.Add($"{where}: no such field");
                    continue;
                }
                var actual = rec.Get(path);
                switch (expected)
                {
                    case null:
                        if (actual is not null) valueErrors.Add($"{where}: expected null, got {Show(actual)}");
                        break;
                    case decimal d:
                        decimals++;
                        if (actual is not decimal a)
                        {
                            typeErrors.Add($"{where}: expected a decimal, got {actual?.GetType().Name ?? "null"} {Show(actual)}");
                            break;
                        }
                        if (a != d) valueErrors.Add($"{where}: expected {Show(d)}, got {Show(a)}");
                        else if (d.Scale != a.Scale) scaleErrors.Add($"{where}: expected {Show(d)}, got {Show(a)} (scale {a.Scale})");
                        break;
                    case string s:
                        strings++;
                        var hasKana = s.Any(c => c is >= '\uFF61' and <= '\uFF9F' or >= '\u30A0' and <= '\u30FF');
                        var hasKanji = s.Any(c => c is >= '\u4E00' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF');
                        var hasGaiji = s.Any(c => c is >= '\uE000' and <= '\uF8FF');
                        kana += hasKana ? 1 : 0;
                        kanji += hasKanji ? 1 : 0;
                        gaiji += hasGaiji ? 1 : 0;
                        if (actual is not string a2 || !string.Equals(a2, s, StringComparison.Ordinal))
                        {
                            var msg = $"{where}: expected \"{s}\", got {Show(actual)}";
                            valueErrors.Add(msg);
                            if (hasKana || hasKanji) kanaErrors.Add(msg);
                            if (hasGaiji) gaijiErrors.Add(msg);
                        }
                        break;
                    default:
                        if (!Equals(expected, actual)) valueErrors.Add($"{where}: expected {Show(expected)}, got {Show(actual)}");
                        break;
                }
            }
        }
        var fieldCount = suite.ExpectedRecords.Sum(e => e.Fields.Count);
        yield return valueErrors.Count == 0 && fieldCount > 0
            ? Pass("field-values", $"{fieldCount} expected values in {suite.ExpectedRecords.Count} records match")
            : Fail("field-values", fieldCount == 0 ? "the suite gives no expected values" : Summarise(valueErrors));
        if (!suite.HasTypedNumbers && decimals == 0)
            yield return new CheckResult("decimal-exactness", false, CheckStatus.NotTested, "the format carries no typed numbers");
        else
            yield return typeErrors.Count == 0 && decimals > 0
                ? Pass("decimal-exactness", $"{decimals} numeric values are exact decimals")
                : Fail("decimal-exactness", decimals == 0 ? "the suite gives no numeric expected values" : Summarise(typeErrors));
        yield return scaleErrors.Count == 0
            ? (decimals > 0 ? Pass("decimal-scale", "decimal scales kept", required: false) : new CheckResult("decimal-scale", false, CheckStatus.NotTested, "no numeric values"))
            : Fail("decimal-scale", Summarise(scaleErrors), required: false);
        yield return kana == 0 || kanji == 0
            ? Fail("kana-kanji", $"the sample must include kana and kanji values (kana {kana}, kanji {kanji})")
            : kanaErrors.Count == 0 ? Pass("kana-kanji", $"{kana} kana and {kanji} kanji values decoded exactly") : Fail("kana-kanji", Summarise(kanaErrors));
        yield return gaiji == 0
            ? new CheckResult("gaiji", false, CheckStatus.NotTested, "no 外字 (private use area) values in the expectations")
            : gaijiErrors.Count == 0 ? Pass("gaiji", $"{gaiji} values with 外字 kept as their PUA code points", required: false) : Fail("gaiji", Summarise(gaijiErrors), required: false);
        _ = strings;
    }

    static CheckResult Location(ConformanceSuite suite, List<LegacyReadResult> items)
    {
        var errors = new List<string>();
        long expectedNumber = 1;
        long lastOffset = -1;
        foreach (var item in items.Where(i => Loc(i).RecordNumber > 0))
        {
            var l = Loc(item);
            if (string.IsNullOrEmpty(l.File)) errors.Add($"record {l.RecordNumber}: no file name");
            if (l.RecordNumber != expectedNumber) errors.Add($"record number {l.RecordNumber} where {expectedNumber} was next");
            expectedNumber = l.RecordNumber + 1;
            if (suite.HasByteOffsets)
            {
                if (l.ByteOffset < 0 || l.ByteOffset < lastOffset) errors.Add($"record {l.RecordNumber}: byte offset {l.ByteOffset} after {lastOffset}");
                lastOffset = l.ByteOffset;
            }
            else if (l.ByteOffset != -1) errors.Add($"record {l.RecordNumber}: byte offset {l.ByteOffset}, expected -1 for a source without bytes");
        }
        foreach (var e in suite.ExpectedRecords.Where(e => e.ByteOffset is not null))
        {
            var hit = items.FirstOrDefault(i => i.IsRecord && i.Record!.Location.RecordNumber == e.RecordNumber);
            if (hit.Record is { } r && r.Location.ByteOffset != e.ByteOffset) errors.Add($"record {e.RecordNumber}: byte offset {r.Location.ByteOffset}, expected {e.ByteOffset}");
        }
        return errors.Count == 0 ? Pass("location", "file, record numbers 1…n and byte offsets consistent") : Fail("location", Summarise(errors));
    }

    static async Task<CheckResult> Deterministic(ConformanceSuite suite, List<LegacyReadResult> first, CancellationToken ct)
    {
        try
        {
            var again = await ReadAll(suite.CreateAdapter(suite.SamplePath), ct).ConfigureAwait(false);
            if (again.Count != first.Count) return Fail("deterministic", $"second read gave {again.Count} items, first {first.Count}");
            for (var i = 0; i < again.Count; i++)
            {
                var a = Describe(first[i]);
                var b = Describe(again[i]);
                if (!string.Equals(a, b, StringComparison.Ordinal)) return Fail("deterministic", $"item {i + 1} differs between two reads");
            }
            return Pass("deterministic", "two reads give identical streams");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Fail("deterministic", $"second read threw {ex.GetType().Name}: {ex.Message}");
        }
    }

    static string Describe(LegacyReadResult r) =>
        r.Record is { } rec ? $"{rec.Location}|{rec.RecordType}|{DescribeGroup(rec.Fields)}" : r.Reject!.ToString();

    static string DescribeGroup(LegacyGroup g) =>
        string.Join(";", g.Pairs().Select(p => p.Key + "=" + DescribeValue(p.Value)));

    static string DescribeValue(object? v) => v switch
    {
        null => "null",
        LegacyGroup g => "{" + DescribeGroup(g) + "}",
        string s => "\"" + s + "\"",
        IReadOnlyList<object?> l => "[" + string.Join(",", l.Select(DescribeValue)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        byte[] b => Convert.ToHexString(b),
        _ => v.ToString() ?? "",
    };

    static async Task<CheckResult> Cancellation(ConformanceSuite suite, CancellationToken outer)
    {
        if (suite.ExpectedRecordCount < 2) return Fail("cancellation", "the sample needs at least 2 records to test cancellation");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        var seen = 0;
        try
        {
            await foreach (var _ in suite.CreateAdapter(suite.SamplePath).ReadAsync(cts.Token).ConfigureAwait(false))
            {
                seen++;
                if (seen == 1) await cts.CancelAsync().ConfigureAwait(false);
                if (seen > 1 + 100_000) break;
            }
        }
        catch (OperationCanceledException) when (!outer.IsCancellationRequested)
        {
            return Pass("cancellation", $"stopped with OperationCanceledException after {seen} item(s)");
        }
        catch (Exception ex)
        {
            return Fail("cancellation", $"threw {ex.GetType().Name} instead of OperationCanceledException: {ex.Message}");
        }
        return Fail("cancellation", $"the stream ignored the cancelled token and returned {seen} items");
    }

    static async Task<IEnumerable<CheckResult>> BadInputs(ConformanceSuite suite, CancellationToken ct)
    {
        var results = new List<CheckResult>();
        var supplied = new HashSet<string>(StringComparer.Ordinal);
        var counter = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in suite.BadInputs)
        {
            supplied.Add(c.Reason);
            counter[c.Reason] = counter.GetValueOrDefault(c.Reason) + 1;
            var id = $"bad-input:{c.Reason}" + (suite.BadInputs.Count(x => x.Reason == c.Reason) > 1 ? $"#{counter[c.Reason]}" : "");
            var label = c.Description is null ? Path.GetFileName(c.DataPath) : $"{c.Description} ({Path.GetFileName(c.DataPath)})";
            List<LegacyReadResult> items;
            try
            {
                items = await ReadAll(suite.CreateAdapter(c.DataPath), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                results.Add(Fail(id, $"{label}: the adapter threw {ex.GetType().Name} instead of rejecting: {ex.Message}"));
                continue;
            }
            var rejects = items.Where(i => !i.IsRecord).Select(i => i.Reject!).ToList();
            var match = rejects.FirstOrDefault(r => r.Reason == c.Reason && r.Location.RecordNumber == c.RecordNumber
                && (c.Field is null || string.Equals(r.Location.Field, c.Field, StringComparison.Ordinal)));
            var records = items.Count(i => i.IsRecord);
            var problems = new List<string>();
            if (match is null)
            {
                problems.Add(rejects.Count == 0
                    ? "no reject at all"
                    : $"no '{c.Reason}' reject at record {c.RecordNumber}{(c.Field is null ? "" : $" field {c.Field}")}; got: {string.Join(" | ", rejects.Take(3))}");
            }
            else
            {
                if (string.IsNullOrEmpty(match.Location.File)) problems.Add("the reject names no file");
                if (string.IsNullOrWhiteSpace(match.Message)) problems.Add("the reject has no message");
                if (suite.HasByteOffsets && match.Location.RecordNumber > 0 && match.Location.ByteOffset < 0) problems.Add("the reject has no byte offset");
            }
            if (records != c.ExpectedRecords) problems.Add($"expected the other {c.ExpectedRecords} records to be read, got {records}");
            var numbered = items.Select(Loc).Where(l => l.RecordNumber > 0).Select(l => l.RecordNumber).ToList();
            if (numbered.Count > 0 && !numbered.SequenceEqual(Enumerable.Range(1, numbered.Count).Select(i => (long)i)))
                problems.Add("records read ≠ passed + rejected: record numbers are not 1…n, each once");
            results.Add(problems.Count == 0
                ? Pass(id, $"{label}: rejected at {match!.Location}, {records} other records read")
                : Fail(id, $"{label}: {string.Join("; ", problems)}"));
        }
        foreach (var reason in AllRejectReasons.Where(r => !supplied.Contains(r)))
        {
            results.Add(new CheckResult($"bad-input:{reason}", false, CheckStatus.NotTested,
                suite.NotApplicable.Contains(reason) ? "not applicable to this format" : "no sample supplied"));
        }
        return results;
    }

    static string Show(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        _ => DescribeValue(v),
    };

    static string Summarise(List<string> errors) =>
        errors.Count <= 3 ? string.Join("; ", errors) : string.Join("; ", errors.Take(3)) + $"; … {errors.Count - 3} more";
}
