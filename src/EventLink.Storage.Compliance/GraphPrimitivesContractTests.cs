using System.Runtime.CompilerServices;
using System.Text.Json;
using EventLink.Storage.InMemory;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The identity graph primitives (claims, identities, conflicts, unmerge rules, memberships, history kinds), driven
/// directly through store sessions. Each scenario runs on the fixture's store and on a fresh in-memory store (the
/// reference), and everything it observes must be equal, orders included; explicit expectations pin the reference.
/// </summary>
public abstract class GraphPrimitivesContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private const string Tenant = "acme";
    private const string Other = "globex";

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    private static readonly Guid P1 = Guid.Parse("01900000-0000-7000-8000-000000000001");
    private static readonly Guid P2 = Guid.Parse("01900000-0000-7000-8000-000000000002");
    private static readonly Guid P3 = Guid.Parse("01900000-0000-7000-8000-000000000003");

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ClaimKey RecordR1 = new(ClaimKind.Record, "crm", "r1");
    private static readonly ClaimKey RecordR2 = new(ClaimKind.Record, "crm", "r2");
    private static readonly ClaimKey EventE1 = new(ClaimKind.Event, "web", "e1");

    // Same source and id as a record claim: the record sorts first. "B" < "a" ordinally (not culturally).
    private static readonly ClaimKey EventR1 = new(ClaimKind.Event, "crm", "r1");
    private static readonly ClaimKey RecordUpper = new(ClaimKind.Record, "B", "x");

    private static readonly IdentityKey EmailA = new("email", "a@example.com");
    private static readonly IdentityKey EmailB = new("email", "b@example.com");
    private static readonly IdentityKey EmailUpper = new("email", "Z@example.com");
    private static readonly IdentityKey Phone = new("phone", "+100");
    private static readonly IdentityKey Account1 = new("account", "acc-1");
    private static readonly IdentityKey Account2 = new("account", "acc-2");

    private readonly List<EventLinkStore> _stores = [];

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Upserting_a_claim_keeps_the_earliest_occurrence_and_the_union_of_its_identities()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            var eventId = await SeedAsync(store, Tenant);
            var versions = new List<long>();
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.UpsertClaimAsync(RecordR1, "contact", At(20), [EmailA]);
                await session.UpsertClaimAsync(RecordR1, "renamed", At(10), [Phone, EmailA]);
                await session.UpsertClaimAsync(RecordR1, "contact", At(30), [EmailB, EmailUpper]);
                await session.UpsertClaimAsync(EventE1, "signup", At(5), [EmailA]);
                await session.UpsertClaimAsync(RecordR2, "contact", At(7), []);
                await session.UpsertClaimAsync(new ClaimKey(ClaimKind.Record, "crm", "nowhere"), "contact", At(8), [EmailB]);
                versions.Add(await session.CommitAsync());
            }

            // Nothing new: a later occurrence and identities already asserted change nothing (no new version).
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.UpsertClaimAsync(RecordR1, "contact", At(40), [EmailA, Phone]);
                versions.Add(await session.CommitAsync());
            }

            ClaimState? inSession, missingInSession;
            await using (var read = await store.BeginAsync(Tenant))
            {
                inSession = await read.GetClaimAsync(RecordR1);
                missingInSession = await read.GetClaimAsync(EventR1);
            }

            var eventClaim = await store.GetClaimAsync(Tenant, EventE1);
            eventClaim!.EventId.Should().Be(eventId);
            return new
            {
                Versions = versions,
                R1 = await store.GetClaimAsync(Tenant, RecordR1),
                R1InSession = inSession,
                E1 = eventClaim with { EventId = null },
                R2 = await store.GetClaimAsync(Tenant, RecordR2),
                Nowhere = await store.GetClaimAsync(Tenant, new ClaimKey(ClaimKind.Record, "crm", "nowhere")),
                Missing = await store.GetClaimAsync(Tenant, EventR1),
                MissingInSession = missingInSession,
            };
        });

        actual.Versions[1].Should().Be(actual.Versions[0]);
        actual.R1!.FirstOccurredAt.Should().Be(At(10));
        actual.R1.RecordType.Should().Be("contact");
        actual.R1.Identities.Should().Equal(EmailUpper, EmailA, EmailB, Phone);
        actual.R1.ProfileId.Should().Be(P1);
        actual.R1.EventId.Should().BeNull();
        actual.E1.ProfileId.Should().Be(P2);
        actual.R2!.ProfileId.Should().BeNull("the record is quarantined");
        actual.R2.Identities.Should().BeEmpty();
        actual.Nowhere!.ProfileId.Should().BeNull("no source record");
        actual.Missing.Should().BeNull();
        actual.MissingInSession.Should().BeNull();
    }

    [StoreFact]
    public virtual async Task Claims_by_identity_are_ordered_by_source_record_id_then_kind()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.UpsertClaimAsync(EventE1, "signup", At(1), [EmailA]);
                await session.UpsertClaimAsync(EventR1, "contact", At(1), [EmailA, Phone]);
                await session.UpsertClaimAsync(RecordR1, "contact", At(2), [EmailA]);
                await session.UpsertClaimAsync(RecordUpper, "contact", At(3), [EmailA]);
                await session.UpsertClaimAsync(RecordR2, "contact", At(3), [EmailB]);
                await session.CommitAsync();
            }

            await using var read = await store.BeginAsync(Tenant);
            return new
            {
                ByEmailA = await read.GetClaimsByIdentityAsync(EmailA),
                ByPhone = await read.GetClaimsByIdentityAsync(Phone),
                ByNothing = await read.GetClaimsByIdentityAsync(EmailUpper),
            };
        });

        actual.ByEmailA.Should().Equal(RecordUpper, RecordR1, EventR1, EventE1);
        actual.ByPhone.Should().Equal(EventR1);
        actual.ByNothing.Should().BeEmpty();
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Identities_are_set_moved_and_removed()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await SeedAsync(store, Tenant);
            var versions = new List<long>();
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.SetIdentityAsync(new IdentityRow(EmailA, P1, "crm", "contact", "r1", At(1)));
                await session.SetIdentityAsync(new IdentityRow(EmailB, P1, "crm", "contact", "r1", At(1)));
                await session.SetIdentityAsync(new IdentityRow(Phone, P1, "crm", "contact", "r1", At(1)));
                versions.Add(await session.CommitAsync());
            }

            var before = await store.GetIdentityAsync(Tenant, EmailB);
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.SetIdentityAsync(new IdentityRow(EmailB, P2, "web", "signup", "e1", At(2)));
                await session.RemoveIdentityAsync(Phone);
                await session.RemoveIdentityAsync(EmailUpper);
                versions.Add(await session.CommitAsync());
            }

            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.RemoveIdentityAsync(Phone);
                versions.Add(await session.CommitAsync());
            }

            var movedFromStore = await store.GetIdentityAsync(Tenant, EmailB);
            var removedFromStore = await store.GetIdentityAsync(Tenant, Phone);
            var found = await store.FindProfileIdAsync(Tenant, EmailB);
            await using var read = await store.BeginAsync(Tenant);
            return new
            {
                Versions = versions,
                Before = before,
                Moved = await read.GetIdentityAsync(EmailB),
                MovedFromStore = movedFromStore,
                Removed = await read.GetIdentityAsync(Phone),
                RemovedFromStore = removedFromStore,
                OfP1 = await read.GetIdentitiesAsync(P1),
                OfP2 = await read.GetIdentitiesAsync(P2),
                Found = found,
            };
        });

        actual.Before!.ProfileId.Should().Be(P1);
        actual.Moved.Should().Be(new IdentityRow(EmailB, P2, "web", "signup", "e1", At(2)));
        actual.MovedFromStore.Should().Be(actual.Moved);
        actual.Removed.Should().BeNull();
        actual.RemovedFromStore.Should().BeNull();
        actual.OfP1.Select(i => i.Key).Should().Equal(EmailA);
        actual.OfP2.Select(i => i.Key).Should().Equal(EmailB);
        actual.Found.Should().Be(P2);
        actual.Versions[2].Should().Be(actual.Versions[1], "removing an identity that is not there changes nothing");
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Events_of_a_profile_are_ordered_by_id_and_unlinking_puts_one_back_in_quarantine()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            var e1 = await SeedAsync(store, Tenant);
            long?[] ids;
            await using (var session = await store.BeginAsync(Tenant))
            {
                ids = [.. await session.TryInsertEventsAsync([Event("e3", P1, At(3)), Event("e2", P1, At(1)), Event("e4", P2, At(2))])];
                await session.CommitAsync();
            }

            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.UnlinkEventAsync(ids[0]!.Value, IngestReason.NoMatchingProfile, "split off");
                await session.CommitAsync();
            }

            IReadOnlyList<EventRow> ofP1, ofP2, ofP3;
            await using (var read = await store.BeginAsync(Tenant))
            {
                ofP1 = await read.GetEventsOfProfileAsync(P1);
                ofP2 = await read.GetEventsOfProfileAsync(P2);
                ofP3 = await read.GetEventsOfProfileAsync(P3);
            }

            ofP2.Select(e => e.Id).Should().Equal(e1, ids[2]!.Value);
            return new
            {
                OfP1 = ofP1.Select(WithoutId).ToList(),
                OfP2 = ofP2.Select(WithoutId).ToList(),
                OfP3 = ofP3,
                Unlinked = WithoutId((await store.GetEventAsync(Tenant, "web", "e3"))!),
                Linked = WithoutId((await store.GetEventAsync(Tenant, "web", "e2"))!),
                Missing = await store.GetEventAsync(Tenant, "web", "nope"),
                Record = await store.GetSourceRecordAsync(Tenant, "crm", "r1"),
                Quarantined = await store.GetSourceRecordAsync(Tenant, "crm", "r2"),
                MissingRecord = await store.GetSourceRecordAsync(Tenant, "crm", "nope"),
            };
        });

        actual.OfP1.Select(e => e.RecordId).Should().Equal("e2");
        actual.OfP2.Select(e => e.RecordId).Should().Equal("e1", "e4");
        actual.OfP3.Should().BeEmpty();
        actual.Unlinked.Should().Be(Event("e3", null, At(3)) with { LinkIndex = -1, QuarantineReason = IngestReason.NoMatchingProfile, QuarantineMessage = "split off" });
        actual.Linked.ProfileId.Should().Be(P1);
        actual.Missing.Should().BeNull();
        actual.Record!.ProfileId.Should().Be(P1);
        actual.Quarantined!.QuarantineReason.Should().Be(IngestReason.NoMatchingProfile);
        actual.MissingRecord.Should().BeNull();
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Conflicts_are_replaced_per_claim_and_read_by_claim_then_identity()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.ReplaceConflictsAsync(
                    [RecordR1, EventE1, RecordUpper],
                    [
                        new ConflictRow(EventE1, "signup", Phone, ConflictReason.IdentityLimit, null),
                        new ConflictRow(RecordR1, "contact", EmailB, ConflictReason.Unmerged, EventE1),
                        new ConflictRow(RecordR1, "contact", EmailA, ConflictReason.MergeLimit, null),
                        new ConflictRow(RecordR1, "contact", EmailA, ConflictReason.MergeWouldExceedIdentityLimit, RecordUpper),
                        new ConflictRow(RecordUpper, "contact", EmailA, ConflictReason.IdentityLimit, null),
                        new ConflictRow(EventR1, "contact", EmailUpper, ConflictReason.Unmerged, RecordR1),
                    ]);
                await session.CommitAsync();
            }

            var first = await store.ReadConflictsAsync(Tenant).ToListAsync();
            var versions = new List<long>();
            await using (var session = await store.BeginAsync(Tenant))
            {
                // R1's conflicts are replaced, E1's removed, E1 of "crm/r1" (not listed) gets one more.
                await session.ReplaceConflictsAsync(
                    [RecordR1, EventE1, RecordR1],
                    [
                        new ConflictRow(RecordR1, "contact", Phone, ConflictReason.IdentityLimit, null),
                        new ConflictRow(EventR1, "contact", EmailA, ConflictReason.MergeLimit, null),
                    ]);
                versions.Add(await session.CommitAsync());
            }

            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.ReplaceConflictsAsync([RecordR2], []);
                versions.Add(await session.CommitAsync());
            }

            return new { First = first, Second = await store.ReadConflictsAsync(Tenant).ToListAsync(), Versions = versions };
        });

        actual.First.Select(c => (c.Claim, c.Identity, c.Reason)).Should().Equal(
            (RecordUpper, EmailA, ConflictReason.IdentityLimit),
            (RecordR1, EmailA, ConflictReason.MergeLimit),
            (RecordR1, EmailA, ConflictReason.MergeWouldExceedIdentityLimit),
            (RecordR1, EmailB, ConflictReason.Unmerged),
            (EventR1, EmailUpper, ConflictReason.Unmerged),
            (EventE1, Phone, ConflictReason.IdentityLimit));
        actual.First[2].Other.Should().Be(RecordUpper);
        actual.First[1].Other.Should().BeNull();
        actual.Second.Select(c => (c.Claim, c.Identity)).Should().Equal(
            (RecordUpper, EmailA),
            (RecordR1, Phone),
            (EventR1, EmailUpper),
            (EventR1, EmailA));
        actual.Versions[1].Should().Be(actual.Versions[0], "replacing nothing with nothing changes nothing");
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Unmerge_rules_are_added_once_and_read_in_order()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            var versions = new List<long>();
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.AddUnmergeRuleAsync(Phone, At(1));
                await session.AddUnmergeRuleAsync(EmailB, At(2));
                await session.AddUnmergeRuleAsync(EmailUpper, At(3));
                await session.AddUnmergeRuleAsync(EmailB, At(4));
                (await session.GetUnmergeRulesAsync()).Should().HaveCount(3, "a session reads its own writes");
                versions.Add(await session.CommitAsync());
            }

            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.AddUnmergeRuleAsync(Phone, At(5));
                versions.Add(await session.CommitAsync());
            }

            await using var read = await store.BeginAsync(Tenant);
            return new { Rules = await read.GetUnmergeRulesAsync(), Versions = versions };
        });

        actual.Rules.Should().Equal(EmailUpper, EmailB, Phone);
        actual.Versions[1].Should().Be(actual.Versions[0]);
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Memberships_are_looked_up_by_account_and_by_member()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.AddMembershipAsync(new MembershipRow(EmailB, Account1, "crm", "m1"));
                await session.AddMembershipAsync(new MembershipRow(EmailA, Account1, "crm", "m2"));
                await session.AddMembershipAsync(new MembershipRow(EmailA, Account1, "crm", "m3"));
                await session.AddMembershipAsync(new MembershipRow(EmailA, Account2, "crm", "m3"));
                await session.AddMembershipAsync(new MembershipRow(Phone, Account2, "crm", "m4"));
                await session.AddMembershipAsync(new MembershipRow(Phone, Account2, "crm", "m4"));
                await session.CommitAsync();
            }

            return new
            {
                MembersOf1 = await store.GetMembersAsync(Tenant, [Account1]),
                MembersOfBoth = await store.GetMembersAsync(Tenant, [Account2, Account1, Account2]),
                MembersOfNone = await store.GetMembersAsync(Tenant, []),
                MembersOfUnknown = await store.GetMembersAsync(Tenant, [EmailA]),
                AccountsOfA = await store.GetAccountsAsync(Tenant, [EmailA]),
                AccountsOfBAndPhone = await store.GetAccountsAsync(Tenant, [Phone, EmailB]),
            };
        });

        actual.MembersOf1.Should().Equal(EmailA, EmailB);
        actual.MembersOfBoth.Should().Equal(EmailA, EmailB, Phone);
        actual.MembersOfNone.Should().BeEmpty();
        actual.MembersOfUnknown.Should().BeEmpty();
        actual.AccountsOfA.Should().Equal(Account1, Account2);
        actual.AccountsOfBAndPhone.Should().Equal(Account1, Account2);
    }

    [StoreFact]
    public virtual async Task History_entries_keep_their_kind_order_by_time_and_move_with_the_survivor()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await SeedAsync(store, Tenant);
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.MergeProfilesAsync(new MergeRow(P1, P2, EmailA, "web", "signup", "e1", At(20)));
                await session.AddHistoryAsync(new MergeRow(P1, P2, EmailB, "crm", "contact", "r1", At(10), MergeKind.Split));
                await session.AddHistoryAsync(new MergeRow(P1, P2, Phone, "crm", "contact", "r1", At(30), MergeKind.Split));
                await session.CommitAsync();
            }

            var ofP1 = (await store.GetProfileAsync(Tenant, P1))!.Merges;
            await using (var session = await store.BeginAsync(Tenant))
            {
                await session.AddHistoryAsync(new MergeRow(P3, P1, EmailUpper, "crm", "contact", "r2", At(15), MergeKind.Split));
                await session.MergeProfilesAsync(new MergeRow(P3, P1, EmailA, "crm", "contact", "r2", At(40)));
                await session.CommitAsync();
            }

            return new
            {
                OfP1 = ofP1,
                OfP3 = (await store.GetProfileAsync(Tenant, P3))!.Merges,
                ThroughP2 = (await store.GetProfileAsync(Tenant, P2))!.Merges,
                Live = await store.ReadProfilesAsync(Tenant).Select(p => (p.Profile.Id, p.Merges.Count)).ToListAsync(),
            };
        });

        actual.OfP1.Select(m => (m.Identity, m.Kind)).Should().Equal((EmailB, MergeKind.Split), (EmailA, MergeKind.Merge), (Phone, MergeKind.Split));
        actual.OfP3.Select(m => (m.Identity, m.Kind, m.SurvivorId)).Should().Equal(
            (EmailB, MergeKind.Split, P1),
            (EmailUpper, MergeKind.Split, P3),
            (EmailA, MergeKind.Merge, P1),
            (Phone, MergeKind.Split, P1),
            (EmailA, MergeKind.Merge, P3));
        actual.ThroughP2.Should().Equal(actual.OfP3);
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task Every_primitive_is_scoped_to_its_tenant()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await SeedAsync(store, Tenant);
            await using (var session = await store.BeginAsync(Tenant))
            {
                await WriteEverythingAsync(session);
                await session.CommitAsync();
            }

            var other = await ObserveAsync(store, Other);
            await SeedAsync(store, Other);
            var seededOther = await ObserveAsync(store, Other);
            return new { Tenant = await ObserveAsync(store, Tenant), Other = other, SeededOther = seededOther };
        });

        actual.Tenant.Claim.Should().NotBeNull();
        actual.Tenant.Conflicts.Should().NotBeEmpty();
        actual.Tenant.Rules.Should().NotBeEmpty();
        actual.Tenant.Members.Should().NotBeEmpty();
        actual.Tenant.History.Should().NotBeEmpty();
        actual.Other.Claim.Should().BeNull();
        actual.Other.Conflicts.Should().BeEmpty();
        actual.Other.Members.Should().BeEmpty();
        actual.Other.Identity.Should().BeNull();
        actual.Other.Event.Should().BeNull();
        actual.Other.Record.Should().BeNull();
        actual.SeededOther.Claim.Should().BeNull();
        actual.SeededOther.ClaimsByIdentity.Should().BeEmpty();
        actual.SeededOther.Rules.Should().BeEmpty();
        actual.SeededOther.Conflicts.Should().BeEmpty();
        actual.SeededOther.Members.Should().BeEmpty();
        actual.SeededOther.Accounts.Should().BeEmpty();
        actual.SeededOther.Identity.Should().BeNull();
        actual.SeededOther.History.Should().BeEmpty();
    }

    [StoreFact]
    [RequiresCapability(StoreCapabilities.IdentityGraph)]
    public virtual async Task A_session_disposed_without_commit_leaves_nothing()
    {
        var (actual, _) = await BothAsync(async store =>
        {
            await SeedAsync(store, Tenant);
            var before = await ObserveAsync(store, Tenant);
            long version;
            await using (var session = await store.BeginAsync(Tenant))
            {
                version = session.Version;
                await WriteEverythingAsync(session);
                (await session.GetClaimAsync(RecordR1)).Should().NotBeNull("a session reads its own writes");
            }

            var after = await ObserveAsync(store, Tenant);
            await using var again = await store.BeginAsync(Tenant);
            return new { Before = before, After = after, Version = version, VersionAfter = again.Version };
        });

        JsonSerializer.Serialize(actual.After, Json).Should().Be(JsonSerializer.Serialize(actual.Before, Json));
        actual.VersionAfter.Should().Be(actual.Version);
    }

    /// <summary>Disposes the stores the test opened directly, then what the base built.</summary>
    /// <returns>A task that completes when everything is disposed.</returns>
    public override async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Runs a scenario on the fixture's store and on the in-memory reference; what they observe must be equal.</summary>
    private async Task<(T Actual, T Expected)> BothAsync<T>(Func<EventLinkStore, Task<T>> scenario, [CallerMemberName] string name = "")
    {
        var store = await Fixture.CreateStoreAsync($"{GetType().Name}_{name}".ToLowerInvariant());
        _stores.Add(store);
        await store.InitializeAsync();
        var reference = new InMemoryEventLinkStore();
        _stores.Add(reference);

        var actual = await scenario(store);
        var expected = await scenario(reference);
        JsonSerializer.Serialize(actual, Json).Should().Be(JsonSerializer.Serialize(expected, Json), "the store must behave like the in-memory reference");
        return (actual, expected);
    }

    /// <summary>Creates three profiles, a merged and a quarantined record, and an event linked to P2; returns the event's id.</summary>
    private static async Task<long> SeedAsync(EventLinkStore store, string tenant)
    {
        await using var session = await store.BeginAsync(tenant);
        await session.CreateProfileAsync(new ProfileRow(P1, "person", T0));
        await session.CreateProfileAsync(new ProfileRow(P2, "person", T0));
        await session.CreateProfileAsync(new ProfileRow(P3, "person", T0));
        await session.UpsertSourceRecordAsync(new SourceRecordRow("crm", "r1", "contact", P1, At(1), At(1), "h1", "{}"));
        await session.UpsertSourceRecordAsync(new SourceRecordRow("crm", "r2", "contact", null, At(1), At(1), "h2", "{}", IngestReason.NoMatchingProfile, "waiting"));
        var id = await session.TryInsertEventAsync(Event("e1", P2, At(2)));
        await session.CommitAsync();
        return id!.Value;
    }

    private static EventRow Event(string recordId, Guid? profile, DateTimeOffset occurredAt) =>
        new(0, "web", recordId, "signup", "signed_up", occurredAt, At(100), profile, profile is null ? -1 : 0, IngestReason.None, null, "{\"n\":1}");

    private static EventRow WithoutId(EventRow row) => row with { Id = 0 };

    /// <summary>Writes something through every write primitive.</summary>
    private static async Task WriteEverythingAsync(EventLinkStoreSession session)
    {
        await session.UpsertClaimAsync(RecordR1, "contact", At(1), [EmailA, Phone]);
        await session.UpsertClaimAsync(EventE1, "signup", At(2), [EmailA]);
        await session.SetIdentityAsync(new IdentityRow(EmailA, P1, "crm", "contact", "r1", At(1)));
        await session.ReplaceConflictsAsync([RecordR1], [new ConflictRow(RecordR1, "contact", Phone, ConflictReason.IdentityLimit, EventE1)]);
        await session.AddUnmergeRuleAsync(Phone, At(3));
        await session.AddMembershipAsync(new MembershipRow(EmailA, Account1, "crm", "r1"));
        await session.AddHistoryAsync(new MergeRow(P1, P2, Phone, "crm", "contact", "r1", At(4), MergeKind.Split));
        var events = await session.GetEventsOfProfileAsync(P2);
        if (events.Count > 0)
        {
            await session.UnlinkEventAsync(events[0].Id, IngestReason.NoMatchingProfile, "split off");
        }
    }

    /// <summary>Reads what <see cref="WriteEverythingAsync"/> writes, through the store and a session of the tenant.</summary>
    private static async Task<Observation> ObserveAsync(EventLinkStore store, string tenant)
    {
        // Store reads first: the in-memory store's reads wait for the tenant's session to end.
        var claim = await store.GetClaimAsync(tenant, RecordR1);
        var eventClaim = await store.GetClaimAsync(tenant, EventE1);
        var identity = await store.GetIdentityAsync(tenant, EmailA);
        var conflicts = await store.ReadConflictsAsync(tenant).ToListAsync();
        var members = await store.GetMembersAsync(tenant, [Account1]);
        var accounts = await store.GetAccountsAsync(tenant, [EmailA]);
        var history = (await store.GetProfileAsync(tenant, P1))?.Merges ?? [];
        var @event = await store.GetEventAsync(tenant, "web", "e1");
        var record = await store.GetSourceRecordAsync(tenant, "crm", "r1");
        await using var session = await store.BeginAsync(tenant);
        return new Observation(
            claim,
            eventClaim is null ? null : eventClaim with { EventId = null },
            await session.GetClaimsByIdentityAsync(EmailA),
            identity,
            conflicts,
            await session.GetUnmergeRulesAsync(),
            members,
            accounts,
            history,
            @event is null ? null : WithoutId(@event),
            record,
            (await session.GetEventsOfProfileAsync(P2)).Select(WithoutId).ToList());
    }

    private sealed record Observation(
        ClaimState? Claim,
        ClaimState? EventClaim,
        IReadOnlyList<ClaimKey> ClaimsByIdentity,
        IdentityRow? Identity,
        IReadOnlyList<ConflictRow> Conflicts,
        IReadOnlyList<IdentityKey> Rules,
        IReadOnlyList<IdentityKey> Members,
        IReadOnlyList<IdentityKey> Accounts,
        IReadOnlyList<MergeRow> History,
        EventRow? Event,
        SourceRecordRow? Record,
        IReadOnlyList<EventRow> EventsOfP2);
}
