// MappingEngine.RunState, the per-run state of the ordered, single-threaded stage: duplicate keys, cross-area links,
// counts, rejects and exclusions, households, and the batches handed to the sink.

using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Standard.Codes;

namespace Ogaki.Migration.Mappers.Engine;

public sealed partial class MappingEngine
{
    /// <summary>The ordered, single-threaded stage: keys, links, counts, reports.</summary>
    sealed class RunState(MappingConfig config, Pseudonymizer pseudonymizer, bool retain, MappedRecordSink? sink, MappedRecordLocated? located, string? tempDirectory)
        : IDisposable
    {
        /// <summary>Per entity: the retained records and the records waiting for the sink.</summary>
        sealed class EntityBucket(SpecEntity entity)
        {
            public readonly SpecEntity Entity = entity;
            public readonly List<IStandardRecord> Retained = [];
            public List<IStandardRecord> ToSink = [];
        }

        /// <summary>Records made per (source, entity) since the last flush, added to <see cref="SourceCounts.RecordsByEntity"/> there.</summary>
        sealed class Tally(SourceCounts counts, string entity)
        {
            public readonly SourceCounts Counts = counts;
            public readonly string Entity = entity;
            public long Pending;
        }

        readonly List<EntityBucket> _buckets = [];
        readonly List<EntityBucket> _sinkOrder = [];
        readonly List<Tally> _tallies = [];

        public async ValueTask FlushAsync(CancellationToken ct)
        {
            FlushTallies();
            if (sink is null || _sinkOrder.Count == 0) return;
            foreach (var bucket in _sinkOrder)
            {
                var list = bucket.ToSink;
                bucket.ToSink = new List<IStandardRecord>(list.Count); // the sink may keep the list; the next is as large, not grown by doubling
                await sink(bucket.Entity, list, ct).ConfigureAwait(false);
            }
            _sinkOrder.Clear();
        }

        void FlushTallies()
        {
            foreach (var t in _tallies)
            {
                if (t.Pending == 0) continue;
                t.Counts.RecordsByEntity[t.Entity] = t.Counts.RecordsByEntity.GetValueOrDefault(t.Entity) + t.Pending;
                t.Pending = 0;
            }
        }

        EntityBucket BucketOf(SpecEntity entity)
        {
            foreach (var b in _buckets)
                if (ReferenceEquals(b.Entity, entity) || string.Equals(b.Entity.Name, entity.Name, StringComparison.Ordinal)) return b;
            var made = new EntityBucket(entity);
            _buckets.Add(made);
            return made;
        }

        Tally TallyOf(SourceCounts counts, string entity)
        {
            foreach (var t in _tallies)
                if (ReferenceEquals(t.Counts, counts) && string.Equals(t.Entity, entity, StringComparison.Ordinal)) return t;
            var made = new Tally(counts, entity);
            _tallies.Add(made);
            return made;
        }

        public LinkIndex Links { get; } = new(tempDirectory);
        readonly Dictionary<string, SpilledKeySet> _keys = new(StringComparer.Ordinal);
        readonly List<MappingReject> _rejects = [];
        readonly List<ExcludedRecord> _excluded = [];
        readonly List<SourceCounts> _counts = [];
        // Households wait on disk for the 世帯主 check; the live 世帯主 of each household are counted as residents link.
        readonly PendingHouseholds _pendingHouseholds = new(tempDirectory);
        SpilledKeySet? _heads;
        readonly ReportBuilder _reports = new(pseudonymizer);

        public SourceCounts CountsFor(MappingSource s)
        {
            var c = new SourceCounts(s.Adapter.Name, s.Area, s.System) { Expected = s.ExpectedRecords, ExpectedFrom = s.ExpectedFrom };
            _counts.Add(c);
            return c;
        }

        public Pseudonymizer Pseudonymizer => pseudonymizer;

        // Key sets for duplicate detection, per entity, on disk (every key of the estate would not fit in memory); the last one used is kept at hand.
        SpilledKeySet KeySet(SpecEntity entity)
        {
            if (ReferenceEquals(entity, _lastKeyEntity)) return _lastKeySet!;
            if (!_keys.TryGetValue(entity.Name, out var set)) _keys[entity.Name] = set = new SpilledKeySet(tempDirectory);
            (_lastKeyEntity, _lastKeySet) = (entity, set);
            return set;
        }

        SpecEntity? _lastKeyEntity;
        SpilledKeySet? _lastKeySet;

        public void Dispose()
        {
            foreach (var set in _keys.Values) set.Dispose();
            Links.Dispose();
            _pendingHouseholds.Dispose();
            _heads?.Dispose();
            _keys.Clear();
            _lastKeySet = null;
            _lastKeyEntity = null;
        }

        public void Accept(MappingSource source, SourceCounts counts, LegacyReadResult item, ref Outcome o)
        {
            counts.Read++;
            if (item.Reject is { } rj)
            {
                var rejectKey = RecordNumberKey(rj.Location);
                Reject(source, counts, rj.Location, null, rejectKey, null,
                    [new RejectIssue(MappingRejectReasons.SourceReject + ":" + rj.Reason, null, null, rj.Location.Field, rj.Message)]);
                return;
            }
            var loc = item.Record!.Location;
            var key = o.Key;
            if (o.ExcludeReason is not null)
            {
                counts.Excluded++;
                counts.ExcludedByReason[o.ExcludeReason] = counts.ExcludedByReason.GetValueOrDefault(o.ExcludeReason) + 1;
                _excluded.Add(new ExcludedRecord(source.Adapter.Name, source.Area, loc, key, o.Pseudonym ?? pseudonymizer.Pseudonymize(key), o.ExcludeReason));
                if (source.Role == SourceRole.Residents && o.Records.Length > 0 && o.Records[0] is Resident ex && ex.AtenaNo is { } exAtena)
                    Links.AddPerson(exAtena, new PersonLink(null, null, false, true));
                return;
            }
            // Issues are copied only when there are any (most records have none).
            List<RejectIssue>? issues = o.Issues.Length > 0 ? new(o.Issues) : null;
            var duplicate = false;
            if (o.Records.Length > 0)
            {
                var first = o.Records[0];
                if (!KeySet(first.Entity).Add(key))
                {
                    duplicate = true;
                    (issues ??= []).Insert(0, new RejectIssue(MappingRejectReasons.DuplicateKey, null, null, null, $"{first.Entity.NameJa} key already seen in an earlier record"));
                }
            }
            if (!duplicate) Link(source, o.Records, ref issues);
            foreach (var n in o.Notes) _reports.Add(n, key);
            if (issues is not null)
            {
                Reject(source, counts, loc, o.Records.Length > 0 ? o.Records[0].Entity.Name : null, key, o.Pseudonym, issues);
                return;
            }
            if (source.Role == SourceRole.Households && o.Records.Length == 1 && o.Records[0] is Household h)
            {
                _pendingHouseholds.Add(source, counts, loc, h, key);
                return;
            }
            Emit(counts, o.Records, loc);
        }

        void Emit(SourceCounts counts, IStandardRecord[] records, SourceLocation loc) // an array: foreach over the interface would box an enumerator per record
        {
            counts.Mapped++;
            foreach (var r in records)
            {
                located?.Invoke(r, loc);
                var bucket = BucketOf(r.Entity);
                if (retain) bucket.Retained.Add(r);
                if (sink is not null)
                {
                    if (bucket.ToSink.Count == 0) _sinkOrder.Add(bucket);
                    bucket.ToSink.Add(r);
                }
                TallyOf(counts, bucket.Entity.Name).Pending++;
            }
        }

        void Reject(MappingSource source, SourceCounts counts, SourceLocation loc, string? entity, string key, string? pseudonym, List<RejectIssue> issues)
        {
            counts.Rejected++;
            foreach (var reason in issues.Select(i => i.Reason).Distinct(StringComparer.Ordinal))
                counts.RejectedByReason[reason] = counts.RejectedByReason.GetValueOrDefault(reason) + 1;
            _rejects.Add(new MappingReject(source.Adapter.Name, source.Area, loc, entity, key, pseudonym ?? pseudonymizer.Pseudonymize(key), issues));
        }

        /// <summary>Cross-area keys and links, in source order; a broken link adds an issue (the list is made on the first).</summary>
        void Link(MappingSource source, IStandardRecord[] records, ref List<RejectIssue>? issues)
        {
            switch (source.Role)
            {
                case SourceRole.Households:
                    foreach (var r in records)
                        if (r is Household h && h.SetaiNo is { } no) Links.AddHousehold(no, h.SetainushiShimei);
                    break;
                case SourceRole.Residents:
                    foreach (var r in records)
                        if (r is Resident p && p.AtenaNo is { } atena
                            && Links.AddPerson(atena, new PersonLink(p.SetaiNo, p.JuminJotai, p.ZokugaraCd1 == Zokugara.Setainushi, false, issues is { Count: > 0 }))
                            && p.ZokugaraCd1 == Zokugara.Setainushi && p.JuminJotai == JuminJotai.Jumin && p.SetaiNo is { } s)
                            CountHead(s);
                    break;
                case SourceRole.Tax:
                    foreach (var r in records)
                        if (r is TaxAssessment t && t.AtenaNo is { } ta && !Links.ContainsPerson(ta))
                            (issues ??= []).Add(new RejectIssue(CrossRecordRules.Taxpayer.MappingReason!, "00400001", "宛名番号", null, "taxpayer is neither a resident nor a recorded 住登外 person"));
                    break;
                case SourceRole.AllowanceRecipients:
                    foreach (var r in records)
                        if (r is AllowanceRecipient a)
                        {
                            if (a.AtenaNo is { } aa && !Links.ContainsPerson(aa))
                                (issues ??= []).Add(new RejectIssue(CrossRecordRules.Recipient.MappingReason!, "01800001", "宛名番号", null, "recipient is neither a resident nor a recorded 住登外 person"));
                            if (a.JukyushaNo is { } jn && a.AtenaNo is { } an) Links.AddRecipient(jn, an);
                        }
                    break;
                case SourceRole.AllowanceChildren:
                    foreach (var r in records)
                        if (r is AllowanceChild c && c.DobekkyoKbn != DobekkyoKbn.Bekkyo && c.JukyushaAtenaNo is { } ra && c.JidoAtenaNo is { } ca)
                        {
                            var recipientKnown = Links.TryGetPerson(ra, out var rp);
                            var childKnown = Links.TryGetPerson(ca, out var cp);
                            // A person whose own record was rejected is already in the reject stream: no second reject through the link.
                            if (rp.Rejected || cp.Rejected) continue;
                            var recipientHousehold = recipientKnown ? rp.SetaiNo : null;
                            var childHousehold = childKnown ? cp.SetaiNo : null;
                            if (recipientHousehold is null || !string.Equals(recipientHousehold, childHousehold, StringComparison.Ordinal))
                                (issues ??= []).Add(new RejectIssue(CrossRecordRules.ChildInRecipientHousehold.MappingReason!, "01800022", "同別居区分", null, "child is recorded as 同居 but is not in the recipient's household"));
                        }
                    break;
                case SourceRole.AllowancePayments:
                    foreach (var r in records)
                        if (r is AllowancePayment pay && pay.JukyushaNo is { } pj && !Links.ContainsRecipient(pj))
                            (issues ??= []).Add(new RejectIssue(CrossRecordRules.PaymentRecipient.MappingReason!, "01800029", "受給者番号", null, "payment belongs to no recipient of the recipient source"));
                    break;
            }
        }

        /// <summary>
        /// Counts a live 世帯主 of household <paramref name="setaiNo"/> (each person once: the first record of a 宛名番号).
        /// The count is kept as keys "n:世帯番号" for n = 1, 2, … in a set on disk, so it takes no memory per household;
        /// finalizing looks up every household's "1:世帯番号", so blocks read stay in memory up to a budget.
        /// </summary>
        void CountHead(string setaiNo)
        {
            _heads ??= new SpilledKeySet(tempDirectory, cache: new SpilledKeyMap.CacheBudget(4 << 20));
            for (var n = 1; !_heads.Add(HeadKey(n, setaiNo)); n++) { }
        }

        int HeadCount(string setaiNo)
        {
            var n = 0;
            while (_heads is not null && _heads.Contains(HeadKey(n + 1, setaiNo))) n++;
            return n;
        }

        static string HeadKey(int n, string setaiNo) => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + setaiNo;

        /// <summary>Each household needs exactly one current resident with 続柄 世帯主; the households go to the sink in chunks.</summary>
        public async ValueTask FinalizeHouseholdsAsync(CancellationToken ct)
        {
            var n = 0;
            foreach (var (source, counts, loc, h, key) in _pendingHouseholds.Drain())
            {
                var heads = HeadCount(h.SetaiNo!);
                if (heads == 1) Emit(counts, [h], loc);
                else Reject(source, counts, loc, Household.Spec.Name, key, null,
                    [new RejectIssue(CrossRecordRules.HouseholdHead.MappingReason!, "00100123", "世帯主宛名番号", null, $"household has {heads} current 世帯主 (exactly one required)")]);
                if (++n % FinalizeChunk == 0) await FlushAsync(ct).ConfigureAwait(false);
            }
            await FlushAsync(ct).ConfigureAwait(false);
            _heads?.Dispose();
            _heads = null;
        }

        /// <summary>Households handed to the sink at once when they are finalized (the sink is called per chunk, not once for the estate).</summary>
        const int FinalizeChunk = 4096;

        public MappingResult ToResult()
        {
            FlushTallies();
            return new(config,
            _buckets.Where(b => retain && b.Retained.Count > 0).OrderBy(b => EntityOrder(b.Entity.Name))
                .ToDictionary(b => b.Entity.Name, b => (IReadOnlyList<IStandardRecord>)b.Retained, StringComparer.Ordinal),
            _rejects, _excluded, _counts, SourceAccounting.Check(_counts, _rejects),
            _reports.Lines(NoteKind.UnmappedCode), _reports.Lines(NoteKind.UnmappedGaiji), _reports.Lines(NoteKind.UnmatchedAddress), _reports.Lines(NoteKind.KeptUnknownDate));
        }

        static int EntityOrder(string name)
        {
            for (var i = 0; i < StandardSpec.Entities.Count; i++)
                if (StandardSpec.Entities[i].Name == name) return i;
            return int.MaxValue;
        }
    }
}
