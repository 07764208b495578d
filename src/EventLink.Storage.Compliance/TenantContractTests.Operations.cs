using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>
/// Tenant isolation of every identity-graph and privacy operation, and the per-tenant operations (erase, export):
/// whatever tenant A does, tenant B's exact state is unchanged, and B's ids used from A are not found.
/// </summary>
public abstract partial class TenantContractTests<TFixture>
{
    /// <summary>The same graph story in a tenant: a merge (ada + ops), a conflict (info@acme shared), an account with members, a quarantined ticket.</summary>
    private static async Task<Guid> SeedGraphAsync(IEventLink link, string onlyHere)
    {
        await link.IngestAsync(HubSpotContact(1, "ada@example.com", Day(2026, 1, 1), name: "Ada", plan: "free"));
        await link.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_x","created":1767312000,"email":["ada@example.com","ops@other.io"],"name":"Other Co","plan":"team"}"""));
        await link.IngestAsync([
            StripeCharge("ch_ada", "ada@example.com", Day(2026, 1, 5), 100),
            StripeCharge("ch_ops", "ops@other.io", Day(2026, 1, 6), 200),
            StripeCustomer("cus_a", "info@acme.com", Day(2026, 1, 1), name: "Alice", userId: "u-alice"),
            StripeCustomer("cus_b", "info@acme.com", Day(2026, 1, 2), name: "Bob", userId: "u-bob"),
            new IngestRecord("hubspot", "company", """{"id":"co-1","domain":"acme.io","name":"Acme","updatedAt":"2026-01-01T00:00:00Z"}"""),
            new IngestRecord("hubspot", "contact", JsonSerializer.Serialize(new { vid = 7, updatedAt = 1767225600000, properties = new { email = "cto@acme.io", company_domain = "acme.io" } })),
            ZendeskTicket("zd-1", "cto@acme.io", Day(2026, 2, 15, 11), subject: "charged twice"),
            ZendeskTicket("zd-2", "nobody@example.com", Day(2026, 2, 16)),
            StripeCustomer(onlyHere, onlyHere + "@example.com", Day(2026, 1, 3)),
        ]);
        return (await link.FindProfileAsync("domain", "acme.io"))!.Id;
    }

    [StoreFact]
    public virtual async Task Explaining_merging_unmerging_previewing_and_account_timelines_in_A_never_touch_B()
    {
        var link = await CreateAsync(IdentityGraphContractTests<TFixture>.GraphSchema);
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        var accountA = await SeedGraphAsync(a, "cus_only_a");
        var accountB = await SeedGraphAsync(b, "cus_only_b");
        var adaB = (await b.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!;
        var bBefore = await Snapshot.ExactAsync(b);
        var bConflicts = await b.GetConflictsAsync().ToListAsync();
        bConflicts.Should().NotBeEmpty();
        async Task BUnchanged(string operation)
        {
            (await Snapshot.ExactAsync(b)).Should().Be(bBefore, $"{operation} in A does not touch B");
            (await b.GetConflictsAsync().ToListAsync()).Should().Equal(bConflicts, $"{operation} in A leaves B's conflicts as they were");
        }

        // Reading and explaining: A sees its own, never B's ids or records.
        (await a.ExplainAsync("stripe", "ch_ada"))!.ProfileId.Should().NotBe(adaB.Id);
        (await a.ExplainAsync("stripe", "cus_only_b")).Should().BeNull("a record id of B used from A is not found");
        (await a.GetProfileAsync(adaB.Id)).Should().BeNull("a profile id of B used from A is not found");
        (await a.GetTimelineAsync(adaB.Id).ToListAsync()).Should().BeEmpty();
        (await a.GetAccountTimelineAsync(accountB).ToListAsync()).Should().BeEmpty("an account id of B used from A is not found");
        (await a.GetAccountMembersAsync(accountB).ToListAsync()).Should().BeEmpty();
        (await a.GetAccountTimelineAsync(accountA).ToListAsync()).Select(e => e.RecordId).Should().Equal("zd-1");
        (await a.GetConflictsAsync().ToListAsync()).Should().HaveCount(bConflicts.Count).And.OnlyContain(c => c.ProfileId != adaB.Id);
        await BUnchanged("reading and explaining");

        // Merging: a record tying two of A's profiles together.
        var merge = await a.IngestAsync(new IngestRecord("stripe", "customer", """{"id":"cus_only_a","created":1767398400,"email":["cus_only_a@example.com","cto@acme.io"]}"""));
        merge.Outcome.Should().Be(IngestOutcome.Updated);
        (await a.FindProfileAsync(IdentityKinds.Email, "cto@acme.io"))!.Merges.Should().NotBeEmpty();
        await BUnchanged("merging");

        // Unmerging: A's identity splits off in A only; an identity that only B holds is not found from A.
        var unmerged = await a.UnmergeAsync(IdentityKinds.Email, "ops@other.io");
        unmerged.ProfileAfter.Should().NotBe(unmerged.ProfileBefore!.Value);
        (await a.UnmergeAsync(IdentityKinds.Email, "cus_only_b@example.com")).ProfileBefore.Should().BeNull("B's identity is not A's");
        (await b.FindProfileAsync(IdentityKinds.Email, "ops@other.io"))!.Id.Should().Be(adaB.Id, "B's ada and ops stay merged");
        await BUnchanged("unmerging");

        // Previews and replays change nothing anywhere else.
        (await a.PreviewIdentityRulesAsync(o => o.BlockedValues.Add("cto@acme.io"))).IsEmpty.Should().BeFalse();
        await a.ReplayQuarantineAsync();
        await BUnchanged("previewing and replaying");
    }

    [StoreFact]
    public virtual async Task Forgetting_in_A_never_touches_B_and_B_ids_are_not_found_from_A()
    {
        var link = await CreateAsync(IdentityGraphContractTests<TFixture>.GraphSchema);
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        await SeedGraphAsync(a, "cus_only_a");
        await SeedGraphAsync(b, "cus_only_b");
        var adaA = (await a.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!;
        var adaB = (await b.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!;
        var bBefore = await Snapshot.ExactAsync(b);

        var missing = await a.ForgetAsync(adaB.Id);
        missing.ProfileId.Should().BeNull("a profile id of B used from A is not found");
        missing.Profiles.Should().Be(0);
        (await a.ForgetAsync(IdentityKinds.Email, "cus_only_b@example.com")).ProfileId.Should().BeNull();
        (await Snapshot.ExactAsync(b)).Should().Be(bBefore);

        var erased = await a.ForgetAsync(adaA.Id);
        erased.ProfileId.Should().Be(adaA.Id);
        erased.Events.Should().Be(2);
        (await a.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();
        (await a.ForgetAsync(IdentityKinds.Email, "nobody@example.com")).QuarantinedEvents.Should().Be(1);
        (await Snapshot.ExactAsync(b)).Should().Be(bBefore, "forgetting in A does not touch B");
        (await b.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!.Id.Should().Be(adaB.Id);

        // The same person ingested again in B is still B's Ada; the tombstone is A's alone.
        (await b.IngestAsync(StripeCharge("ch_again", "ada@example.com", Day(2026, 3, 1), 5))).ProfileId.Should().Be(adaB.Id);
    }

    [StoreFact]
    public virtual async Task Erasing_a_tenant_deletes_everything_it_owns_and_nothing_of_another()
    {
        var destination = new RecordingDestination();
        var store = await Fixture.CreateStoreAsync(("erase_" + GetType().Name).ToLowerInvariant());
        var link = BuildWithSync(store, destination);
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        await SeedGraphAsync(a, "cus_only_a");
        await SeedGraphAsync(b, "cus_only_b");
        await a.IngestAsync(new IngestRecord("stripe", "customer", "{not json"));
        await a.UnmergeAsync(IdentityKinds.Email, "ops@other.io");
        (await a.RunSyncOnceAsync("crm")).Delivered.Should().BeGreaterThan(0);
        await a.ForgetAsync(IdentityKinds.Email, "nobody@example.com");
        await a.IngestAsync(StripeCharge("ch_late", "ada@example.com", Day(2026, 5, 1), 1));
        var bBefore = await Snapshot.ExactAsync(b);
        var bExport = await b.ExportTenantAsync().ToListAsync();
        var aProfiles = (await a.GetProfilesAsync().ToListAsync()).Count;

        var result = await a.EraseTenantAsync();

        result.Tenant.Should().Be("acme");
        result.Profiles.Should().BeGreaterThanOrEqualTo(aProfiles, "merged-away profiles count too");
        result.Events.Should().Be(4, "ch_ada, ch_ops, zd-1 and ch_late (zd-2 was forgotten)");
        result.Rows.Should().BeGreaterThan(result.Profiles + result.Events);
        (await a.GetProfilesAsync().ToListAsync()).Should().BeEmpty();
        (await a.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
        (await a.GetRejectionsAsync().ToListAsync()).Should().BeEmpty();
        (await a.GetConflictsAsync().ToListAsync()).Should().BeEmpty();
        (await a.GetCoverageAsync()).RecordTypes.Should().OnlyContain(c => c.Total == 0);
        (await a.ExportTenantAsync().ToListAsync()).Should().ContainSingle("only the header is left");
        (await a.RunSyncOnceAsync("crm")).Delivered.Should().Be(0, "the tenant's change log is gone");
        (await Snapshot.ExactAsync(b)).Should().Be(bBefore, "erasing A does not touch B");
        (await b.ExportTenantAsync().ToListAsync()).Skip(1).Should().Equal(bExport.Skip(1));

        // The erased tenant starts empty: the same records rebuild it (tombstones and unmerge rules are gone too).
        var again = await SeedGraphAsync(a, "cus_only_a");
        (await a.GetAccountMembersAsync(again).ToListAsync()).Should().ContainSingle();
        (await a.FindProfileAsync(IdentityKinds.Email, "ops@other.io"))!.Id.Should().Be((await a.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!.Id);
        (await a.GetQuarantineAsync().ToListAsync()).Select(q => q.RecordId).Should().Equal("zd-2");

        // And a restart sees the same: the erasure is durable and no cached index remembers the tenant's old identities.
        var aAfter = await Snapshot.ExactAsync(a);
        await link.DisposeAsync();
        if (Fixture.IsDurable)
        {
            var reopened = BuildWithSync(await Fixture.OpenStoreAsync(("erase_" + GetType().Name).ToLowerInvariant()), destination);
            (await Snapshot.ExactAsync(reopened.ForTenant("acme"))).Should().Be(aAfter);
            (await Snapshot.ExactAsync(reopened.ForTenant("globex"))).Should().Be(bBefore);
            await reopened.DisposeAsync();
        }
    }

    [StoreFact]
    public virtual async Task Exporting_a_tenant_writes_one_typed_JSON_line_per_profile_event_quarantined_record_rejection_and_conflict()
    {
        var link = await CreateAsync(IdentityGraphContractTests<TFixture>.GraphSchema);
        var a = link.ForTenant("acme");
        var b = link.ForTenant("globex");
        await SeedGraphAsync(a, "cus_only_a");
        await a.IngestAsync(new IngestRecord("stripe", "customer", "{not json"));
        await SeedGraphAsync(b, "cus_only_b");

        var lines = await a.ExportTenantAsync().ToListAsync();
        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var types = parsed.Select(p => p.GetProperty("type").GetString()).ToList();
        types[0].Should().Be("tenant");
        parsed[0].GetProperty("tenant").GetString().Should().Be("acme");
        types.Count(t => t == "profile").Should().Be((await a.GetProfilesAsync().ToListAsync()).Count);
        types.Count(t => t == "event").Should().Be(4, "ch_ada, ch_ops, zd-1 and the quarantined zd-2");
        types.Count(t => t == "quarantine").Should().Be((await a.GetQuarantineAsync().ToListAsync()).Count).And.BeGreaterThan(0);
        types.Count(t => t == "rejection").Should().Be(1);
        types.Count(t => t == "conflict").Should().Be((await a.GetConflictsAsync().ToListAsync()).Count).And.BeGreaterThan(0);
        lines.Should().NotContain(l => l.Contains("cus_only_b", StringComparison.Ordinal), "nothing of B is exported from A");
        lines.Should().Contain(l => l.Contains("cus_only_a", StringComparison.Ordinal));

        var ada = parsed.Single(p => p.GetProperty("type").GetString() == "profile"
            && p.GetProperty("identities").EnumerateArray().Any(i => i.GetProperty("value").GetString() == "ada@example.com"));
        ada.GetProperty("attributes").EnumerateArray().Should().Contain(x => x.GetProperty("name").GetString() == "plan" && x.GetProperty("value").GetString() == "team");
        ada.GetProperty("identities").GetArrayLength().Should().Be(2, "cus_x tied ops@other.io to ada");
        ada.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("recordId").GetString()).Should().BeEquivalentTo("1", "cus_x");
        var charge = parsed.Single(p => p.GetProperty("type").GetString() == "event" && p.GetProperty("recordId").GetString() == "ch_ada");
        charge.GetProperty("profileId").GetGuid().Should().Be(ada.GetProperty("id").GetGuid());
        charge.GetProperty("payload").GetProperty("id").GetString().Should().Be("ch_ada");

        // The stream overload writes the same lines, UTF-8, one per line.
        using var stream = new MemoryStream();
        (await a.ExportTenantAsync(stream)).Should().Be(lines.Count);
        var written = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        written[^1].Should().BeEmpty();
        written[1..^1].Should().Equal(lines.Skip(1), "everything but the header's export time is the same");
    }

    private IEventLink BuildWithSync(EventLinkStore store, RecordingDestination destination)
    {
        var builder = new EventLinkBuilder();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.AddSchema(IdentityGraphContractTests<TFixture>.GraphSchema).UseStore(_ => store)
            .AddDestination("crm", _ => destination)
            .AddSync("crm", s =>
            {
                s.Destination = "crm";
                s.Send = SyncContent.Both;
            })
            .ConfigurePrivacy(p => p.TombstoneSecret = TombstoneSecret);
        return builder.Build();
    }
}
