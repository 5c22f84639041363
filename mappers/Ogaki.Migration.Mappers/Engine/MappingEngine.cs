using Ogaki.Migration.Adapters;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Standard.Codes;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>What a source holds, which fixes the processing order and the cross-area links checked.</summary>
public enum SourceRole
{
    /// <summary>世帯 (SETAI): mapped first; a household is emitted after the residents prove exactly one 世帯主.</summary>
    Households,
    /// <summary>住民 (JUMIN): residents, 除票 and 住登外 (excluded); each member's household must exist.</summary>
    Residents,
    /// <summary>異動履歴 (IDO_RIREKI).</summary>
    History,
    /// <summary>個人住民税 (ZEIMAST): every taxpayer must be a resident or a recorded 住登外 person.</summary>
    Tax,
    /// <summary>児童手当 受給者 (JUKYUSHA): must be a resident or 住登外 person.</summary>
    AllowanceRecipients,
    /// <summary>児童手当 対象児童 (TAISHO_JIDO): in the recipient's household or recorded as 別居.</summary>
    AllowanceChildren,
    /// <summary>児童手当 支払 (SHIHARAI): must belong to a recipient.</summary>
    AllowancePayments,
}

/// <summary>One legacy source for a run.</summary>
/// <param name="System">Legacy system = config folder (<c>opensys</c>, <c>csv</c>, <c>mainframe</c>, <c>sqlite</c>).</param>
/// <param name="Role">What the source holds.</param>
/// <param name="Adapter">The streaming reader.</param>
/// <param name="RecordType">Field-map record type for records whose own <see cref="LegacyRecord.RecordType"/> is empty or not in the map.</param>
/// <param name="RecordTypeAliases">Adapter record type → field-map record type (e.g. <c>ZM-DETAIL</c> → <c>D</c>).</param>
public sealed record MappingSource(string System, SourceRole Role, ILegacyAdapter Adapter, string RecordType, IReadOnlyDictionary<string, string>? RecordTypeAliases = null)
{
    public string Area => Role switch
    {
        SourceRole.Households or SourceRole.Residents or SourceRole.History => "JUKI",
        SourceRole.Tax => "KZEI",
        _ => "JTEA",
    };
}

/// <summary>Receives mapped records in deterministic order, batch by batch (e.g. to load them into a target).</summary>
/// <param name="entity">The records' entity.</param>
/// <param name="records">Records of one entity, in source order; the list is not reused after the call.</param>
public delegate ValueTask MappedRecordSink(SpecEntity entity, IReadOnlyList<IStandardRecord> records, CancellationToken cancellationToken);

/// <summary>Run options.</summary>
/// <param name="Degree">Mapping workers (default: processor count, at least 1).</param>
/// <param name="BatchSize">Records per batch.</param>
/// <param name="Pseudonymizer">Pseudonyms for keys in reports (default: key from <c>OGAKI_PSEUDONYM_KEY</c>).</param>
/// <param name="Sink">Called with each batch's mapped records, in order, before the next batch is taken (streaming).</param>
/// <param name="RetainRecords">Keep every mapped record in <see cref="MappingResult.Records"/>; false for bounded memory with a sink.</param>
public sealed record MappingOptions(int Degree = 0, int BatchSize = 256, Pseudonymizer? Pseudonymizer = null, MappedRecordSink? Sink = null, bool RetainRecords = true);

/// <summary>
/// The mapping engine: legacy sources → standard records, validated per item, linked across areas, with
/// rejects, the excluded register, counts and reports. Deterministic: same input and config give the same
/// output and reports in the same order, whatever the thread timing.
/// </summary>
public sealed class MappingEngine
{
    readonly MappingConfig _config;
    readonly IReadOnlyDictionary<(string System, string RecordType), RecordMapper> _mappers;

    public MappingEngine(MappingConfig config)
    {
        _config = config;
        _mappers = RecordMapper.BuildAll(config);
    }

    public MappingConfig Config => _config;

    /// <summary>The compiled mapper of a (system, record type), or null.</summary>
    public RecordMapper? FindMapper(string system, string recordType) => _mappers.GetValueOrDefault((system, recordType));

    public async Task<MappingResult> RunAsync(IEnumerable<MappingSource> sources, MappingOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MappingOptions();
        var degree = options.Degree > 0 ? options.Degree : Math.Max(1, Environment.ProcessorCount);
        var run = new RunState(_config, options.Pseudonymizer ?? Pseudonymizer.FromEnvironment(), options.RetainRecords, options.Sink);
        var ordered = sources.Select((s, i) => (s, i)).OrderBy(x => (int)x.s.Role).ThenBy(x => x.i).Select(x => x.s).ToList();
        var householdsFinal = false;
        foreach (var source in ordered)
        {
            if (!householdsFinal && source.Role > SourceRole.Residents)
            {
                run.FinalizeHouseholds();
                await run.FlushAsync(cancellationToken).ConfigureAwait(false);
                householdsFinal = true;
            }
            await RunSourceAsync(source, run, degree, options.BatchSize, cancellationToken).ConfigureAwait(false);
        }
        if (!householdsFinal)
        {
            run.FinalizeHouseholds();
            await run.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return run.ToResult();
    }

    /// <summary>The outcome of one source item, made by a worker.</summary>
    internal sealed class Outcome
    {
        public IStandardRecord[] Records = [];
        public RejectIssue[] Issues = [];
        public MappingNote[] Notes = [];
        public string? ExcludeReason;
        public string RecordType = "";
    }

    sealed class Worker(MappingConfig config, LinkIndex links)
    {
        public MapContext Context { get; } = new(config, links);
        public List<IStandardRecord> Output { get; } = [];
        public List<SpecViolation> Violations { get; } = [];
    }

    string ResolveRecordType(MappingSource source, LegacyRecord r)
    {
        var t = r.RecordType;
        if (t.Length > 0 && source.RecordTypeAliases is { } a && a.TryGetValue(t, out var alias)) return alias;
        if (t.Length > 0 && _mappers.ContainsKey((source.System, t))) return t;
        return t.Length == 0 ? source.RecordType : t;
    }

    async Task RunSourceAsync(MappingSource source, RunState run, int degree, int batchSize, CancellationToken ct)
    {
        var counts = run.CountsFor(source);
        var batches = OrderedBatches.MapAsync<Worker, Outcome>(
            source.Adapter.ReadAsync(ct),
            () => new Worker(_config, run.Links),
            (w, item, i, b) => b.Outcomes[i] = MapOne(source, w, item),
            degree, batchSize, ct);
        await foreach (var b in batches.ConfigureAwait(false))
        {
            for (var i = 0; i < b.Count; i++)
                run.Accept(source, counts, b.Items[i], b.Outcomes[i]);
            await run.FlushAsync(ct).ConfigureAwait(false);
        }
    }

    Outcome MapOne(MappingSource source, Worker w, LegacyReadResult item)
    {
        var o = new Outcome();
        if (item.Record is not { } record) return o;
        var type = ResolveRecordType(source, record);
        o.RecordType = type;
        if (!_mappers.TryGetValue((source.System, type), out var mapper))
        {
            o.ExcludeReason = $"control or unmapped record type '{type}' (no field map rows)";
            return o;
        }
        var ctx = w.Context;
        ctx.ResetRecord(record);
        w.Output.Clear();
        try
        {
            mapper.Map(ctx, w.Output);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A conversion bug must not stop the run: the record becomes a reject naming the exception type.
            ctx.Issues.Add(new RejectIssue(MappingRejectReasons.InvalidValue, null, null, null, "mapping failed: " + ex.GetType().Name));
        }
        if (ctx.ExcludeReason is not null)
        {
            o.ExcludeReason = ctx.ExcludeReason;
            o.Records = [.. w.Output];
            return o;
        }
        foreach (var rec in w.Output)
        {
            w.Violations.Clear();
            rec.Validate(w.Violations);
            foreach (var v in w.Violations)
            {
                if (ctx.FailedItems.Contains(v.Item.ItemId)) continue;
                ctx.Issues.Add(new RejectIssue(ReasonOf(v.Kind), v.Item.ItemId, v.Item.NameJa, FieldOf(mapper, rec.Entity, v.Item), v.Message));
            }
            foreach (var it in WarekiItems(rec.Entity))
                if (rec.GetValue(it.Ordinal) is WarekiDate wd && (wd.IsUnknown || !wd.Exists))
                    ctx.Note(NoteKind.KeptUnknownDate, it.ItemId, source.System, it.NameJa, FieldOf(mapper, rec.Entity, it) ?? "");
        }
        o.Records = [.. w.Output];
        o.Issues = [.. ctx.Issues];
        o.Notes = [.. ctx.Notes];
        return o;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SpecItem[]> WarekiItemsByEntity = new(StringComparer.Ordinal);

    static SpecItem[] WarekiItems(SpecEntity entity) =>
        WarekiItemsByEntity.GetOrAdd(entity.Name, _ => [.. entity.Items.Where(i => i.Type == ItemType.WarekiDate)]);

    static string? FieldOf(RecordMapper mapper, SpecEntity entity, SpecItem item)
    {
        foreach (var e in mapper.Entities)
            if (ReferenceEquals(e.Entity, entity) || e.Entity.Name == entity.Name)
                foreach (var r in e.Rows)
                    if (string.Equals(r.ItemId, item.ItemId, StringComparison.Ordinal) && r.LegacyField.Length > 0) return r.LegacyField;
        return null;
    }

    static string ReasonOf(ViolationKind kind) => kind switch
    {
        ViolationKind.Length => MappingRejectReasons.OverLength,
        ViolationKind.Required => MappingRejectReasons.RequiredMissing,
        ViolationKind.CodeDomain => MappingRejectReasons.CodeDomain,
        _ => MappingRejectReasons.InvalidValue,
    };

    /// <summary>The ordered, single-threaded stage: keys, links, counts, reports.</summary>
    sealed class RunState(MappingConfig config, Pseudonymizer pseudonymizer, bool retain, MappedRecordSink? sink)
    {
        readonly Dictionary<string, (SpecEntity Entity, List<IStandardRecord> Records)> _toSink = new(StringComparer.Ordinal);
        readonly List<string> _sinkOrder = [];

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            if (sink is null || _sinkOrder.Count == 0) return;
            foreach (var name in _sinkOrder)
            {
                var (entity, list) = _toSink[name];
                await sink(entity, list, ct).ConfigureAwait(false);
            }
            _toSink.Clear();
            _sinkOrder.Clear();
        }

        public LinkIndex Links { get; } = new();
        readonly Dictionary<string, List<IStandardRecord>> _records = new(StringComparer.Ordinal);
        readonly Dictionary<string, HashSet<string>> _keys = new(StringComparer.Ordinal);
        readonly List<MappingReject> _rejects = [];
        readonly List<ExcludedRecord> _excluded = [];
        readonly List<SourceCounts> _counts = [];
        readonly List<(MappingSource Source, SourceCounts Counts, SourceLocation Location, Household Record, string Key)> _pendingHouseholds = [];
        readonly ReportBuilder _reports = new(pseudonymizer);

        public SourceCounts CountsFor(MappingSource s)
        {
            var c = new SourceCounts(s.Adapter.Name, s.Area, s.System);
            _counts.Add(c);
            return c;
        }

        static string KeyOf(IStandardRecord r)
        {
            var e = r.Entity;
            var parts = new string[e.Key.Count];
            for (var i = 0; i < parts.Length; i++)
            {
                var item = e.Find(e.Key[i])!;
                parts[i] = r.GetValue(item.Ordinal) switch
                {
                    null => "",
                    IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    var v => v.ToString() ?? "",
                };
            }
            return string.Join('/', parts);
        }

        public void Accept(MappingSource source, SourceCounts counts, LegacyReadResult item, Outcome o)
        {
            counts.Read++;
            if (item.Reject is { } rj)
            {
                Reject(source, counts, rj.Location, null, "#" + rj.Location.RecordNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [new RejectIssue(MappingRejectReasons.SourceReject + ":" + rj.Reason, null, null, rj.Location.Field, rj.Message)]);
                return;
            }
            var loc = item.Record!.Location;
            var key = o.Records.Length > 0 ? KeyOf(o.Records[0]) : "#" + loc.RecordNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (o.ExcludeReason is not null)
            {
                counts.Excluded++;
                counts.ExcludedByReason[o.ExcludeReason] = counts.ExcludedByReason.GetValueOrDefault(o.ExcludeReason) + 1;
                _excluded.Add(new ExcludedRecord(source.Adapter.Name, source.Area, loc, key, pseudonymizer.Pseudonymize(key), o.ExcludeReason));
                if (source.Role == SourceRole.Residents && o.Records.Length > 0 && o.Records[0] is Resident ex && ex.AtenaNo is { } exAtena)
                    Links.Persons.TryAdd(exAtena, new PersonLink(null, null, false, true));
                return;
            }
            var issues = new List<RejectIssue>(o.Issues);
            var duplicate = false;
            if (o.Records.Length > 0)
            {
                var first = o.Records[0];
                var set = _keys.TryGetValue(first.Entity.Name, out var s) ? s : _keys[first.Entity.Name] = new HashSet<string>(StringComparer.Ordinal);
                if (!set.Add(key))
                {
                    duplicate = true;
                    issues.Insert(0, new RejectIssue(MappingRejectReasons.DuplicateKey, null, null, null, $"{first.Entity.NameJa} key already seen in an earlier record"));
                }
            }
            if (!duplicate) Link(source, o, issues);
            foreach (var n in o.Notes) _reports.Add(n, key);
            if (issues.Count > 0)
            {
                Reject(source, counts, loc, o.Records.Length > 0 ? o.Records[0].Entity.Name : null, key, issues);
                return;
            }
            if (source.Role == SourceRole.Households && o.Records.Length == 1 && o.Records[0] is Household h)
            {
                _pendingHouseholds.Add((source, counts, loc, h, key));
                return;
            }
            Emit(counts, o.Records);
        }

        void Emit(SourceCounts counts, IReadOnlyList<IStandardRecord> records)
        {
            counts.Mapped++;
            foreach (var r in records)
            {
                var name = r.Entity.Name;
                if (retain) (_records.TryGetValue(name, out var l) ? l : _records[name] = []).Add(r);
                if (sink is not null)
                {
                    if (!_toSink.TryGetValue(name, out var pending))
                    {
                        pending = (r.Entity, []);
                        _toSink[name] = pending;
                        _sinkOrder.Add(name);
                    }
                    pending.Records.Add(r);
                }
                counts.RecordsByEntity[name] = counts.RecordsByEntity.GetValueOrDefault(name) + 1;
            }
        }

        void Reject(MappingSource source, SourceCounts counts, SourceLocation loc, string? entity, string key, List<RejectIssue> issues)
        {
            counts.Rejected++;
            foreach (var reason in issues.Select(i => i.Reason).Distinct(StringComparer.Ordinal))
                counts.RejectedByReason[reason] = counts.RejectedByReason.GetValueOrDefault(reason) + 1;
            _rejects.Add(new MappingReject(source.Adapter.Name, source.Area, loc, entity, key, pseudonymizer.Pseudonymize(key), issues));
        }

        void Link(MappingSource source, Outcome o, List<RejectIssue> issues)
        {
            switch (source.Role)
            {
                case SourceRole.Households:
                    foreach (var r in o.Records)
                        if (r is Household h && h.SetaiNo is { } no) Links.Households.TryAdd(no, h.SetainushiShimei);
                    break;
                case SourceRole.Residents:
                    foreach (var r in o.Records)
                        if (r is Resident p && p.AtenaNo is { } atena)
                            Links.Persons.TryAdd(atena, new PersonLink(p.SetaiNo, p.JuminJotai, p.ZokugaraCd1 == Zokugara.Setainushi, false, issues.Count > 0));
                    break;
                case SourceRole.Tax:
                    foreach (var r in o.Records)
                        if (r is TaxAssessment t && t.AtenaNo is { } ta && !Links.Persons.ContainsKey(ta))
                            issues.Add(new RejectIssue(MappingRejectReasons.UnresolvedPerson, "KZEI-0001", "宛名番号", null, "taxpayer is neither a resident nor a recorded 住登外 person"));
                    break;
                case SourceRole.AllowanceRecipients:
                    foreach (var r in o.Records)
                        if (r is AllowanceRecipient a)
                        {
                            if (a.AtenaNo is { } aa && !Links.Persons.ContainsKey(aa))
                                issues.Add(new RejectIssue(MappingRejectReasons.UnresolvedPerson, "JTEA-0001", "宛名番号", null, "recipient is neither a resident nor a recorded 住登外 person"));
                            if (a.JukyushaNo is { } jn && a.AtenaNo is { } an) Links.Recipients.TryAdd(jn, an);
                        }
                    break;
                case SourceRole.AllowanceChildren:
                    foreach (var r in o.Records)
                        if (r is AllowanceChild c && c.DobekkyoKbn != DobekkyoKbn.Bekkyo && c.JukyushaAtenaNo is { } ra && c.JidoAtenaNo is { } ca)
                        {
                            var recipientKnown = Links.Persons.TryGetValue(ra, out var rp);
                            var childKnown = Links.Persons.TryGetValue(ca, out var cp);
                            // A person whose own record was rejected is already in the reject stream: no second reject through the link.
                            if (rp.Rejected || cp.Rejected) continue;
                            var recipientHousehold = recipientKnown ? rp.SetaiNo : null;
                            var childHousehold = childKnown ? cp.SetaiNo : null;
                            if (recipientHousehold is null || !string.Equals(recipientHousehold, childHousehold, StringComparison.Ordinal))
                                issues.Add(new RejectIssue(MappingRejectReasons.ChildNotInHousehold, "JTEA-0022", "同別居区分", null, "child is recorded as 同居 but is not in the recipient's household"));
                        }
                    break;
                case SourceRole.AllowancePayments:
                    foreach (var r in o.Records)
                        if (r is AllowancePayment pay && pay.JukyushaNo is { } pj && !Links.Recipients.ContainsKey(pj))
                            issues.Add(new RejectIssue(MappingRejectReasons.UnresolvedPerson, "JTEA-0029", "受給者番号", null, "payment belongs to no recipient of the recipient source"));
                    break;
            }
        }

        /// <summary>Each household needs exactly one current resident with 続柄 世帯主.</summary>
        public void FinalizeHouseholds()
        {
            if (_pendingHouseholds.Count == 0) return;
            var heads = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in Links.Persons.Values)
                if (p.IsHead && p.JuminJotai == JuminJotai.Jumin && p.SetaiNo is { } s)
                    heads[s] = heads.GetValueOrDefault(s) + 1;
            foreach (var (source, counts, loc, h, key) in _pendingHouseholds)
            {
                var n = heads.GetValueOrDefault(h.SetaiNo!);
                if (n == 1) Emit(counts, [h]);
                else Reject(source, counts, loc, Household.Spec.Name, key,
                    [new RejectIssue(MappingRejectReasons.HouseholdHeadCount, "JUKI-0123", "世帯主宛名番号", null, $"household has {n} current 世帯主 (exactly one required)")]);
            }
            _pendingHouseholds.Clear();
        }

        public MappingResult ToResult() => new(config,
            _records.OrderBy(kv => EntityOrder(kv.Key)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<IStandardRecord>)kv.Value, StringComparer.Ordinal),
            _rejects, _excluded, _counts,
            _reports.Lines(NoteKind.UnmappedCode), _reports.Lines(NoteKind.UnmappedGaiji), _reports.Lines(NoteKind.UnmatchedAddress), _reports.Lines(NoteKind.KeptUnknownDate));

        static int EntityOrder(string name)
        {
            for (var i = 0; i < StandardSpec.Entities.Count; i++)
                if (StandardSpec.Entities[i].Name == name) return i;
            return int.MaxValue;
        }
    }
}
