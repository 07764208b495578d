using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>Erasure: after ForgetAsync nothing of the person can be queried, a replay does not recreate them, and destinations get a hashed notice.</summary>
[RequiresCapability(StoreCapabilities.Erasure)]
public abstract class ErasureContractTests<TFixture>(TFixture fixture) : DestinationsTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    private static IngestRecord[] Input() =>
    [
        Customer("cus_a", "ada@example.com", day: 1),
        Customer("cus_u", null, userId: "u-42", day: 2),
        Customer("cus_both", "ada@example.com", userId: "u-42", day: 3),
        Charge("ch_1", "ada@example.com"),
        Charge("ch_2", "ADA@example.com"),
        Charge("ch_ghost", "ghost@example.com"),
        Customer("cus_bob", "bob@example.com"),
        Charge("ch_bob", "bob@example.com"),
    ];

    [StoreFact]
    public virtual async Task After_ForgetAsync_nothing_of_the_person_can_be_queried_and_a_replay_does_not_recreate_them()
    {
        var file = Path.Combine(Path.GetTempPath(), $"eventlink-erasure-{Guid.NewGuid():N}.jsonl");
        var destination = new RecordingDestination();
        void Configure(EventLinkBuilder b) => b
            .AddDestination("crm", _ => destination)
            .AddJsonLinesFileDestination("export", file)
            .AddSync("crm", s =>
            {
                s.Destination = "crm";
                s.Send = SyncContent.Both;
            })
            .AddSync("export", s =>
            {
                s.Destination = "export";
                s.Send = SyncContent.Both;
            });

        try
        {
            var link = Open(await NewStoreAsync(), Configure);
            var results = await link.IngestAsync(Input());
            results.Select(r => r.Outcome).Should().Equal(
                IngestOutcome.Created, IngestOutcome.Created, IngestOutcome.Updated, IngestOutcome.Linked, IngestOutcome.Linked,
                IngestOutcome.Quarantined, IngestOutcome.Created, IngestOutcome.Linked);
            var ada = results[2].ProfileId!.Value;
            var mergedAway = results[0].ProfileId == ada ? results[1].ProfileId!.Value : results[0].ProfileId!.Value;
            var bob = results[6].ProfileId!.Value;
            (await link.RunSyncOnceAsync("crm")).Delivered.Should().BeGreaterThan(0, "the CRM got Ada before she asked to be forgotten");

            var erased = await link.ForgetAsync(mergedAway);
            erased.Should().BeEquivalentTo(new { ProfileId = ada, Profiles = 2L, Identities = 2L, Records = 3L, Events = 2L, QuarantinedEvents = 0L, Tombstones = 2 });
            erased.OutboxItems.Should().BeGreaterThan(0, "the export sync had not sent Ada's changes yet");
            var ghost = await link.ForgetAsync(IdentityKinds.Email, " Ghost@Example.com");
            ghost.Should().BeEquivalentTo(new { ProfileId = (Guid?)null, QuarantinedEvents = 1L, Tombstones = 1 });

            // Restart: the erasure is durable.
            await link.DisposeAsync();
            link = Open(await ReopenStoreAsync(), Configure);

            (await link.GetProfileAsync(ada)).Should().BeNull();
            (await link.GetProfileAsync(mergedAway)).Should().BeNull();
            (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();
            (await link.FindProfileAsync(IdentityKinds.UserId, "u-42")).Should().BeNull();
            (await link.GetTimelineAsync(ada).ToListAsync()).Should().BeEmpty();
            (await link.GetProfilesAsync().ToListAsync()).Select(p => p.Id).Should().Equal(bob);
            (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
            (await link.GetTimelineAsync(bob).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_bob");

            // Replaying the original input brings nobody back: the erased person's records are suppressed, replay-safe.
            for (var replay = 0; replay < 2; replay++)
            {
                var again = await link.IngestAsync(Input());
                again.Select(r => r.Outcome).Should().Equal(
                    IngestOutcome.Suppressed, IngestOutcome.Suppressed, IngestOutcome.Suppressed, IngestOutcome.Suppressed, IngestOutcome.Suppressed,
                    IngestOutcome.Suppressed, IngestOutcome.Duplicate, IngestOutcome.Duplicate);
                again.Should().AllSatisfy(r => r.IsAccepted.Should().Be(r.Outcome == IngestOutcome.Duplicate));
            }

            (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();
            (await link.GetProfilesAsync().ToListAsync()).Should().ContainSingle();
            var coverage = await link.GetCoverageAsync();
            coverage["customer"].Suppressed.Should().Be(3);
            coverage["charge"].Suppressed.Should().Be(3);
            coverage["customer"].Total.Should().Be(1);
            coverage["charge"].Should().BeEquivalentTo(new { Total = 1L, Linked = 1L, Quarantined = 0L });

            // Destinations get a notice naming the person only by hashed identities; the export never sees Ada.
            await link.RunSyncOnceAsync("crm");
            await link.RunSyncOnceAsync("export");
            var notices = destination.Received.Where(m => m.Kind == DestinationMessageKind.Erasure).ToList();
            notices.Should().HaveCount(2);
            var hashes = JsonDocument.Parse(notices[0].BodyJson).RootElement.GetProperty("identities").EnumerateArray()
                .Select(i => i.GetProperty("sha256").GetString()).ToList();
            hashes.Should().Contain(IdentityHashing.Sha256("ada@example.com")).And.Contain(IdentityHashing.Sha256("u-42"));
            notices.Should().AllSatisfy(n => n.BodyJson.Should().NotContain("ada@").And.NotContain("ghost@"));

            var lines = await File.ReadAllLinesAsync(file);
            lines.Should().NotContain(l => l.Contains("ada@", StringComparison.Ordinal) || l.Contains("u-42", StringComparison.Ordinal));
            lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).Should().Equal("profile", "event", "erasure", "erasure");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [StoreFact]
    public virtual async Task Forgetting_a_profile_erases_the_events_linked_to_it_after_they_waited_in_quarantine()
    {
        var link = Open(await NewStoreAsync(), _ => { });
        (await link.IngestAsync([Charge("ch_1", "ada@example.com"), Charge("ch_2", "ada@example.com")]))
            .Select(r => r.Outcome).Should().AllBeEquivalentTo(IngestOutcome.Quarantined);
        var ada = (await link.IngestAsync([Customer("cus_a", "ada@example.com")]))[0].ProfileId!.Value;
        (await link.IngestAsync([Customer("cus_bob", "bob@example.com"), Charge("ch_bob", "bob@example.com")]))[1].Outcome.Should().Be(IngestOutcome.Linked);
        (await link.GetTimelineAsync(ada).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_1", "ch_2");

        var erased = await link.ForgetAsync(ada);
        erased.Should().BeEquivalentTo(new { ProfileId = ada, Profiles = 1L, Events = 2L, QuarantinedEvents = 0L });
        (await link.GetTimelineAsync(ada).ToListAsync()).Should().BeEmpty();
        (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
        var charges = (await link.GetCoverageAsync()).RecordTypes.Single(c => c.RecordType == "charge");
        charges.Should().BeEquivalentTo(new { Linked = 1L, Quarantined = 0L });
        var export = await link.ExportTenantAsync().ToListAsync();
        export.Should().NotContain(l => l.Contains("ch_1", StringComparison.Ordinal) || l.Contains("ch_2", StringComparison.Ordinal));
        export.Should().ContainSingle(l => l.Contains("ch_bob", StringComparison.Ordinal));
    }

    [StoreFact]
    public virtual async Task Tombstones_are_keyed_with_the_secret_and_without_it_erasure_and_ingest_refuse_to_run()
    {
        var link = Open(await NewStoreAsync(), _ => { });
        await link.IngestAsync(Input());
        (await link.ForgetAsync(IdentityKinds.Email, "ada@example.com")).Tombstones.Should().Be(2);
        await link.DisposeAsync();

        var store = await ReopenStoreAsync();
        IReadOnlySet<string> tombstones;
        await using (var session = await store.BeginAsync(link.Tenant))
        {
            tombstones = await session.ReadTombstonesAsync();
        }

        await store.DisposeAsync();

        // HMAC-SHA256 of "kind:value" under the secret: a receiver of the store cannot hash a list of addresses to reverse it.
        static string Hmac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TombstoneSecret), Encoding.UTF8.GetBytes(text)));
        tombstones.Should().BeEquivalentTo([Hmac("email:ada@example.com"), Hmac("user_id:u-42")]);
        tombstones.Should().NotContain([IdentityHashing.Sha256("email:ada@example.com"), IdentityHashing.Sha256("ada@example.com")]);

        var unkeyed = Open(await ReopenStoreAsync(), b => b.ConfigurePrivacy(p => p.TombstoneSecret = null));
        var forget = () => unkeyed.ForgetAsync(IdentityKinds.Email, "bob@example.com").AsTask();
        var ingest = () => unkeyed.IngestAsync(Input()).AsTask();

        (await forget.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("EventLinkPrivacyOptions.TombstoneSecret");
        (await ingest.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("holds erasure tombstones");
        (await unkeyed.FindProfileAsync(IdentityKinds.Email, "bob@example.com")).Should().NotBeNull("nothing was erased or ingested");
        (await unkeyed.FindProfileAsync(IdentityKinds.Email, "ada@example.com")).Should().BeNull();
    }
}
