using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ogaki.Migration.LegacyEstate.Legacy;
using Ogaki.Migration.LegacyEstate.Model;
using Ogaki.Migration.LegacyEstate.Writers;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.LegacyEstate;

/// <summary>
/// Generates the synthetic legacy estate (GitHub issue 3): 大垣市 at <see cref="EstateOptions.Scale"/>, deterministic
/// from (seed, scale), written as the four legacy systems with <c>ground-truth.csv</c>, <c>estate.json</c> and
/// <c>gaiji.csv</c>. Households are streamed area by area; only the ground truth is held in memory.
/// </summary>
public static class LegacyEstateGenerator
{
    public const int BaseResidents = 160_485;
    public const int BaseHouseholds = 67_809;
    public const string LgCode = "212024";
    static readonly DateOnly Created = new(2026, 1, 5);

    public static Task<EstateSummary> WriteAsync(EstateOptions options, IProgress<EstateProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Scale > 0) || options.Scale > 100) throw new ArgumentOutOfRangeException(nameof(options), options.Scale, "Scale must be in (0, 100].");
        return Task.Run(() => Generate(options, progress, cancellationToken), cancellationToken);
    }

    static EstateSummary Generate(EstateOptions o, IProgress<EstateProgress>? progress, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var root = Path.GetFullPath(o.OutputDirectory);
        foreach (var d in new[] { "mainframe", "opensys", "csv", "sqlite", "layouts" }) Directory.CreateDirectory(Path.Combine(root, d));

        var rng = new Random(o.Seed);
        var defects = new DefectInjector(o.DefectRates, new Random(unchecked(o.Seed * 7_919 + 104_729)));
        var households = Math.Max(1, (int)Math.Round(BaseHouseholds * o.Scale, MidpointRounding.AwayFromZero));
        var residents = Math.Max(households, (int)Math.Round(BaseResidents * o.Scale, MidpointRounding.AwayFromZero));
        var sizes = DrawSizes(rng, households, residents);
        var towns = Towns.All;
        var perTown = Allocate(rng, households, towns.Count);
        var formerRate = 0.08 * residents / households;
        var nonResidentRate = 0.02 * residents / households;

        var builder = new PopulationBuilder(rng);
        var orphanNumbers = new NumberAllocator(900_000_001);
        var jkySerial = 0L;
        string NextJky() => "24" + LegacyText.Int(++jkySerial, 8);

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        void Count(string key, long n = 1) => counts[key] = counts.GetValueOrDefault(key) + n;

        var files = new List<string>();
        var juminLayout = FixedLayout.Load("JUMIN.layout.csv");
        var setaiLayout = FixedLayout.Load("SETAI.layout.csv");
        var juminPath = Path.Combine(root, "opensys", "JUMIN.dat");
        var setaiPath = Path.Combine(root, "opensys", "SETAI.dat");
        var idoPath = Path.Combine(root, "csv", "IDO_RIREKI.csv");
        var dbPath = Path.Combine(root, "sqlite", "jidoteate.db");
        var zeiPath = Path.Combine(root, "mainframe", "ZEIMAST.dat");
        var idoHeader = LayoutResources.ReadText("IDO_RIREKI.header.csv").TrimStart('\uFEFF').TrimEnd('\r', '\n');

        long operatorSeq = 0;
        using (var jumin = new FixedRecordWriter(juminLayout, juminPath))
        using (var setai = new FixedRecordWriter(setaiLayout, setaiPath))
        using (var ido = new CsvRowWriter(idoPath, idoHeader))
        using (var db = new SqliteEstateWriter(dbPath, LayoutResources.ReadText("jidoteate.sql")))
        using (var zei = o.IncludeMainframe ? new ZeimastWriter(zeiPath, Created) : null)
        {
            var emitter = new Emitter(jumin, setai, ido, db, zei, defects, orphanNumbers, Count, () => ++operatorSeq, new Random(unchecked(o.Seed * 31 + 1_000_003)));
            // Two stages: the producer draws the population (one Random, strictly sequential); this thread encodes and writes.
            using var queue = new System.Collections.Concurrent.BlockingCollection<List<HouseholdBatch>>(boundedCapacity: 16);
            Exception? producerError = null;
            var producer = Task.Factory.StartNew(() =>
            {
                try
                {
                    var sizeIndex = 0;
                    // Chunks of households keep the hand-over cheap.
                    var chunk = new List<HouseholdBatch>(64);
                    for (var t = 0; t < towns.Count; t++)
                    {
                        for (var h = 0; h < perTown[t]; h++)
                        {
                            ct.ThrowIfCancellationRequested();
                            var hh = builder.BuildHousehold(sizes[sizeIndex++], towns[t], formerRate);
                            var persons = hh.Members.Concat(hh.Former).OrderBy(p => p.AtenaNo, StringComparer.Ordinal).ToArray();
                            var taxes = new ZeimastDetail?[persons.Length * 2];
                            for (var i = 0; i < persons.Length; i++)
                            {
                                taxes[2 * i] = TaxCalculator.Assess(persons[i], hh, 2024, rng);
                                taxes[2 * i + 1] = TaxCalculator.Assess(persons[i], hh, 2025, rng);
                            }
                            var allowance = AllowanceCalculator.Build(hh, rng, NextJky);
                            List<Person>? nonResidents = null;
                            var extra = nonResidentRate;
                            while (extra > 0 && rng.NextDouble() < Math.Min(1.0, extra))
                            {
                                (nonResidents ??= []).Add(builder.BuildNonResident());
                                extra -= 1.0;
                            }
                            chunk.Add(new HouseholdBatch(hh, persons, taxes, allowance, nonResidents, sizeIndex));
                            if (chunk.Count == 64)
                            {
                                queue.Add(chunk, ct);
                                chunk = new List<HouseholdBatch>(64);
                            }
                        }
                    }
                    if (chunk.Count > 0) queue.Add(chunk, ct);
                }
                catch (Exception ex)
                {
                    producerError = ex;
                }
                finally
                {
                    queue.CompleteAdding();
                }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            var reported = 0;
            foreach (var batch in queue.GetConsumingEnumerable(ct).SelectMany(c => c))
            {
                emitter.EmitHousehold(batch.Household, batch.Persons, batch.Taxes);
                if (batch.Allowance is not null) emitter.EmitAllowance(batch.Allowance);
                if (batch.NonResidents is not null)
                    foreach (var p in batch.NonResidents) emitter.EmitPerson(p, null, 0);
                if (progress is not null && batch.Done - reported >= 1000)
                {
                    reported = batch.Done;
                    progress.Report(new EstateProgress("households", batch.Done, households));
                }
            }
            producer.Wait(ct);
            if (producerError is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(producerError).Throw();
            zei?.Complete();
            db.Complete();
            Count("opensys/JUMIN.dat", jumin.Count);
            Count("opensys/SETAI.dat", setai.Count);
            Count("csv/IDO_RIREKI.csv", ido.Count);
            Count("sqlite/jidoteate.db:JUKYUSHA", db.JukyushaCount);
            Count("sqlite/jidoteate.db:TAISHO_JIDO", db.TaishoJidoCount);
            Count("sqlite/jidoteate.db:SHIHARAI", db.ShiharaiCount);
            if (zei is not null)
            {
                Count("mainframe/ZEIMAST.dat:H", 1);
                Count("mainframe/ZEIMAST.dat:D", zei.DetailCount);
                Count("mainframe/ZEIMAST.dat:T", 1);
                Count("mainframe/ZEIMAST.dat:control-total-nenzeigaku", (long)zei.NenZeigakuTotal);
            }
        }
        files.AddRange(["opensys/JUMIN.dat", "opensys/SETAI.dat", "csv/IDO_RIREKI.csv", "sqlite/jidoteate.db"]);
        if (o.IncludeMainframe) files.Add("mainframe/ZEIMAST.dat");

        var utf8 = new UTF8Encoding(false);
        File.WriteAllText(Path.Combine(root, "gaiji.csv"), GaijiTable.ToCsv(), utf8);
        File.WriteAllText(Path.Combine(root, "ground-truth.csv"), defects.ToCsv(), utf8);
        foreach (var name in LayoutResources.FileNames)
        {
            using var src = LayoutResources.Open(name);
            using var dst = File.Create(Path.Combine(root, "layouts", name));
            src.CopyTo(dst);
            files.Add("layouts/" + name);
        }
        var defectCounts = defects.CountByKind();
        File.WriteAllText(Path.Combine(root, "estate.json"), EstateJson(o, households, residents, counts, defectCounts), utf8);
        files.AddRange(["gaiji.csv", "ground-truth.csv", "estate.json"]);
        files.Sort(StringComparer.Ordinal);
        progress?.Report(new EstateProgress("done", households, households));
        return new EstateSummary(root, o.Seed, o.Scale, new SortedDictionary<string, long>(counts, StringComparer.Ordinal), defectCounts, files, sw.Elapsed);
    }

    sealed record HouseholdBatch(Household Household, Person[] Persons, ZeimastDetail?[] Taxes, AllowanceCase? Allowance, List<Person>? NonResidents, int Done);

    /// <summary>Household sizes with a realistic distribution, adjusted so they sum to exactly <paramref name="residents"/>.</summary>
    static int[] DrawSizes(Random r, int households, int residents)
    {
        double[] cumulative = [0.335, 0.625, 0.795, 0.93, 0.98, 1.0];
        var sizes = new int[households];
        long sum = 0;
        for (var i = 0; i < households; i++)
        {
            var u = r.NextDouble();
            var s = 1;
            while (s < 6 && u >= cumulative[s - 1]) s++;
            sizes[i] = s;
            sum += s;
        }
        while (sum != residents)
        {
            var i = r.Next(households);
            if (sum < residents && sizes[i] < 7) { sizes[i]++; sum++; }
            else if (sum > residents && sizes[i] > 1) { sizes[i]--; sum--; }
        }
        return sizes;
    }

    /// <summary>Households per 町字 by random weights (largest remainder).</summary>
    static int[] Allocate(Random r, int households, int towns)
    {
        var w = new double[towns];
        for (var i = 0; i < towns; i++) w[i] = 0.2 + r.NextDouble() * 1.8;
        var total = w.Sum();
        var counts = new int[towns];
        var rema = new (double Rem, int Index)[towns];
        var assigned = 0;
        for (var i = 0; i < towns; i++)
        {
            var exact = households * w[i] / total;
            counts[i] = (int)Math.Floor(exact);
            assigned += counts[i];
            rema[i] = (exact - counts[i], i);
        }
        foreach (var (_, i) in rema.OrderByDescending(x => x.Rem).ThenBy(x => x.Index).Take(households - assigned)) counts[i]++;
        return counts;
    }

    static string EstateJson(EstateOptions o, int households, int residents, Dictionary<string, long> counts, Dictionary<string, long> defectCounts)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("generator", "Ogaki.Migration.LegacyEstate");
            w.WriteString("lg_code", LgCode);
            w.WriteNumber("seed", o.Seed);
            w.WriteNumber("scale", o.Scale);
            w.WriteString("as_of", "2025-12-31");
            w.WriteString("created", Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteNumber("households", households);
            w.WriteNumber("current_residents", residents);
            w.WriteStartObject("defect_rates");
            foreach (var k in DefectKinds.All) w.WriteNumber(k, o.DefectRates.RateOf(k));
            w.WriteEndObject();
            w.WriteStartObject("counts");
            foreach (var (k, v) in counts.OrderBy(x => x.Key, StringComparer.Ordinal)) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteStartObject("defects");
            foreach (var k in DefectKinds.All) w.WriteNumber(k, defectCounts[k]);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
