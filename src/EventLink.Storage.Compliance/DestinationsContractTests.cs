using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>The schema, payloads and EventLink-with-syncs factory the destinations and erasure suites share.</summary>
/// <typeparam name="TFixture">The fixture that creates the stores under test.</typeparam>
/// <param name="fixture">The fixture xunit shares between the tests of the class.</param>
[RequiresCapability(StoreCapabilities.Destinations)]
public abstract class DestinationsTestBase<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>Defines a merged Stripe customer (e-mail and user id), a merged HubSpot lead (e-mail) and Stripe charges related by e-mail.</summary>
    /// <param name="schema">The schema builder.</param>
    public static void Schema(SchemaBuilder schema) => schema
        .Merged("customer", t => t
            .RecordId("id").OccurredAt("created")
            .Identity("email", IdentityKinds.Email)
            .Identity("user_id", IdentityKinds.UserId))
        .Merged("lead", t => t
            .RecordId("id").OccurredAt("created")
            .Identity("email", IdentityKinds.Email)
            .IncludeAllFields(false))
        .AppendOnly("charge", t => t
            .RecordId("id").OccurredAt("created").EventName("type")
            .RelatesTo("customer_email", "customer", IdentityKinds.Email));

    /// <summary>Creates a Stripe customer of <see cref="Schema"/>, observed on January <paramref name="day"/>, 2026.</summary>
    /// <param name="id">The customer id.</param>
    /// <param name="email">The e-mail identity, or <see langword="null"/>.</param>
    /// <param name="consent">The <c>consent</c> field (any JSON-serializable value), or <see langword="null"/>.</param>
    /// <param name="userId">The user id identity, or <see langword="null"/>.</param>
    /// <param name="day">The day of January 2026.</param>
    /// <param name="dateOfBirth">A sensitive field, or <see langword="null"/>.</param>
    /// <param name="healthNotes">A sensitive field, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord Customer(string id, string? email, object? consent = null, string? userId = null, int day = 1, string? dateOfBirth = null, string? healthNotes = null) =>
        new("stripe", "customer", JsonSerializer.Serialize(new
        {
            id,
            email,
            user_id = userId,
            name = "Customer " + id,
            date_of_birth = dateOfBirth,
            health_notes = healthNotes,
            consent,
            created = new DateTimeOffset(2026, 1, day, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(),
        }));

    /// <summary>Creates a HubSpot lead of <see cref="Schema"/> whose consent is in its <c>prefs</c> field.</summary>
    /// <param name="id">The lead id.</param>
    /// <param name="email">The e-mail identity.</param>
    /// <param name="consent">The <c>prefs</c> field (any JSON-serializable value).</param>
    /// <param name="day">The day of January 2026.</param>
    /// <returns>The record.</returns>
    public static IngestRecord Lead(string id, string email, object consent, int day) =>
        new("hubspot", "lead", JsonSerializer.Serialize(new { id, email, prefs = consent, created = new DateTimeOffset(2026, 1, day, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() }));

    /// <summary>Creates a succeeded Stripe charge of <see cref="Schema"/> on February 1, 2026.</summary>
    /// <param name="id">The charge id.</param>
    /// <param name="email">The customer e-mail it relates to.</param>
    /// <param name="amount">The amount in cents.</param>
    /// <param name="metadata">The <c>metadata</c> field, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static IngestRecord Charge(string id, string email, long amount = 4900, object? metadata = null) =>
        new("stripe", "charge", JsonSerializer.Serialize(new { id, type = "charge.succeeded", amount, customer_email = email, metadata, created = new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() }));

    /// <summary>Builds EventLink over a store with <see cref="Schema"/> and the syncs <paramref name="configure"/> adds; the returned instance owns the store.</summary>
    /// <param name="store">The store, from <see cref="ContractTestBase{TFixture}.NewStoreAsync"/> or <see cref="ContractTestBase{TFixture}.ReopenStoreAsync"/>.</param>
    /// <param name="configure">Adds destinations, syncs and privacy options.</param>
    /// <returns>An <see cref="IEventLink"/> disposed when the test ends.</returns>
    protected IEventLink Open(EventLinkStore store, Action<EventLinkBuilder> configure) => Build(store, Schema, null, configure);
}

/// <summary>Syncs to destinations (delivered once, across restarts), consent, restricted fields and hashed identities.</summary>
public abstract class DestinationsContractTests<TFixture>(TFixture fixture) : DestinationsTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task A_webhook_that_fails_three_times_gets_each_event_once_by_idempotency_key_across_restarts()
    {
        await using var server = new WebhookTestServer(failFirst: 3);
        void Configure(EventLinkBuilder b) => b
            .AddHttpWebhookDestination("crm", o =>
            {
                o.Url = server.Url;
                o.SigningSecret = "s3cret";
                o.Headers["X-Api-Key"] = "key";
            })
            .AddSync("crm-events", s => s.Destination = "crm");

        var link = Open(await NewStoreAsync(), Configure);
        await link.IngestAsync([Customer("cus_1", "ada@example.com"), Charge("ch_1", "ada@example.com"), Charge("ch_2", "ada@example.com"), Charge("ch_3", "ada@example.com")]);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failed = await link.RunSyncOnceAsync("crm-events");
            failed.Failed.Should().Be(1, $"attempt {attempt} gets a 500");
            failed.Delivered.Should().Be(0);

            // Kill and restart: a new EventLink over another instance of the same store.
            await link.DisposeAsync();
            Time.Advance(TimeSpan.FromMinutes(10));
            link = Open(await ReopenStoreAsync(), Configure);
        }

        (await link.RunSyncOnceAsync("crm-events")).Should().Be(new SyncRunResult(3, 0, 0, 0, 0));
        await link.DisposeAsync();
        link = Open(await ReopenStoreAsync(), Configure);
        (await link.RunSyncOnceAsync("crm-events")).Should().Be(new SyncRunResult(0, 0, 0, 0, 0), "acknowledged deliveries are never repeated");

        await link.IngestAsync(Charge("ch_4", "ada@example.com"));
        await link.IngestAsync(Charge("ch_4", "ada@example.com"));
        (await link.RunSyncOnceAsync("crm-events")).Delivered.Should().Be(1, "a duplicate event is never pushed twice");

        server.AcknowledgedKeys.Should().Equal(
            "crm-events:event:stripe:ch_1", "crm-events:event:stripe:ch_2", "crm-events:event:stripe:ch_3", "crm-events:event:stripe:ch_4");
        server.Requests.Take(3).Select(r => r.Key).Should().AllBe("crm-events:event:stripe:ch_1", "every retry carries the same key");
        // Every attempt is signed as Standard Webhooks says, with its own time; the id stays the same across retries.
        var key = System.Text.Encoding.UTF8.GetBytes("s3cret");
        server.Requests.Should().AllSatisfy(r => r.Signature.Verify(key, r.Body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(r.Signature.Timestamp!, System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromMinutes(5)).Should().BeNull());
        server.Requests.Last().Signature.Verify(key, server.Requests.Last().Body, Time.GetUtcNow(), TimeSpan.FromMinutes(5)).Should().BeNull("the last delivery is fresh");
        server.Requests.Select(r => r.Signature.Timestamp).Take(4).Should().OnlyHaveUniqueItems("each retry ran ten minutes after the last");
        server.Requests.Take(3).Select(r => r.Signature.Id).Should().AllBe(HttpWebhookDestination.WebhookId("crm-events:event:stripe:ch_1"));
        server.Requests.First().Signature.Verify(key, server.Requests.First().Body, Time.GetUtcNow(), TimeSpan.FromMinutes(5))
            .Should().Be("timestamp outside the tolerance (a replay?)", "the first attempt, captured and replayed now, is thirty minutes old");
        var body = JsonDocument.Parse(server.Requests.Last().Body).RootElement;
        body.GetProperty("type").GetString().Should().Be("event");
        body.GetProperty("event").GetProperty("data").GetProperty("amount").GetInt64().Should().Be(4900);
        body.GetProperty("identities")[0].GetProperty("value").GetString().Should().Be("ada@example.com");
    }

    [StoreFact]
    public virtual async Task An_item_that_keeps_failing_is_dead_lettered_listed_and_retried_while_later_items_flow()
    {
        var destination = new RecordingDestination { Fail = true };
        var link = Open(await NewStoreAsync(), b => b
            .AddDestination("crm", _ => destination)
            .AddSync("crm", s => s.Destination = "crm")
            .ConfigureSyncs(o => o.MaxAttempts = 2));
        await link.IngestAsync([Customer("cus_1", "ada@example.com"), Charge("ch_1", "ada@example.com")]);

        (await link.RunSyncOnceAsync("crm")).Failed.Should().Be(1);
        (await link.RunSyncOnceAsync("crm")).Should().Be(new SyncRunResult(0, 0, 0, 0, 0), "the backoff has not passed");
        Time.Advance(TimeSpan.FromMinutes(10));
        (await link.RunSyncOnceAsync("crm")).DeadLettered.Should().Be(1);

        var dead = await link.GetDeadLettersAsync("crm");
        dead.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Sync = "crm", IdempotencyKey = "crm:event:stripe:ch_1", Attempts = 2, LastError = "down for the test" });

        destination.Fail = false;
        await link.IngestAsync(Charge("ch_2", "ada@example.com"));
        (await link.RunSyncOnceAsync("crm")).Delivered.Should().Be(1);
        (await link.RetryDeadLettersAsync("crm")).Delivered.Should().Be(1);
        (await link.GetDeadLettersAsync("crm")).Should().BeEmpty();
        destination.Received.Select(m => m.IdempotencyKey).Should().Equal("crm:event:stripe:ch_2", "crm:event:stripe:ch_1");
    }

    [StoreFact]
    public virtual async Task Events_and_profiles_without_consent_for_the_sync_purpose_are_withheld_and_the_most_restrictive_source_wins()
    {
        var destination = new RecordingDestination();
        var link = Open(await NewStoreAsync(), b => b
            .AddDestination("email", _ => destination)
            .AddSync("newsletter", s =>
            {
                s.Destination = "email";
                s.Send = SyncContent.Both;
                s.Purpose = "marketing";
            })
            .ConfigurePrivacy(p =>
            {
                p.ConsentFields["customer"] = "consent";
                p.ConsentFields["lead"] = "prefs";
            }));

        await link.IngestAsync([
            Customer("cus_ada", "ada@example.com", new { marketing = true, analytics = true }),
            Customer("cus_bob", "bob@example.com", new { marketing = false, analytics = true }),
            Customer("cus_cy", "cy@example.com"),
            Customer("cus_dee", "dee@example.com", new[] { "marketing" }),
            Charge("ch_ada", "ada@example.com"),
            Charge("ch_bob", "bob@example.com"),
            Charge("ch_cy", "cy@example.com"),
        ]);

        (await link.RunSyncOnceAsync("newsletter")).Should().Be(new SyncRunResult(3, 4, 0, 0, 0));
        destination.Received.Select(m => m.IdempotencyKey.Split(':')[1] + ":" + JsonDocument.Parse(m.BodyJson).RootElement.GetProperty("identities")[0].GetProperty("value").GetString())
            .Should().BeEquivalentTo("profile:ada@example.com", "event:ada@example.com", "profile:dee@example.com");

        // HubSpot now says Ada refused marketing: the most restrictive statement wins for what follows.
        await link.IngestAsync([Lead("lead_1", "ada@example.com", new { marketing = false }, day: 5), Charge("ch_ada_2", "ada@example.com")]);
        (await link.RunSyncOnceAsync("newsletter")).Should().Be(new SyncRunResult(0, 2, 0, 0, 0));
        destination.Received.Should().HaveCount(3);
    }

    [StoreFact]
    public virtual async Task Restricted_fields_are_stripped_except_for_syncs_allowed_to_receive_them()
    {
        var crm = new RecordingDestination();
        var care = new RecordingDestination();
        var link = Open(await NewStoreAsync(), b => b
            .AddDestination("crm", _ => crm)
            .AddDestination("care", _ => care)
            .AddSync("crm", s =>
            {
                s.Destination = "crm";
                s.Send = SyncContent.Both;
            })
            .AddSync("care", s =>
            {
                s.Destination = "care";
                s.Send = SyncContent.Both;
                s.AllowRestricted = true;
            })
            .AddSync("crm-mapped", s =>
            {
                s.Destination = "crm";
                s.Send = SyncContent.Profiles;
                s.FieldMap["full_name"] = "name";
                s.FieldMap["dob"] = "date_of_birth";
            })
            .ConfigurePrivacy(p => p.RestrictedFields.AddRange(["date_of_birth", "health_*"])));

        await link.IngestAsync([
            Customer("cus_1", "ada@example.com", dateOfBirth: "1815-12-10", healthNotes: "none"),
            Charge("ch_1", "ada@example.com", metadata: new { plan = "pro", health_flag = "x" }),
        ]);
        await link.RunSyncOnceAsync("crm");
        await link.RunSyncOnceAsync("care");
        await link.RunSyncOnceAsync("crm-mapped");

        static JsonElement Body(DestinationMessage m) => JsonDocument.Parse(m.BodyJson).RootElement;
        var crmMessages = crm.Received.ToList();
        var crmProfile = Body(crmMessages.Single(m => m.Kind == DestinationMessageKind.Profile && m.Sync == "crm")).GetProperty("attributes");
        crmProfile.TryGetProperty("date_of_birth", out _).Should().BeFalse();
        crmProfile.TryGetProperty("health_notes", out _).Should().BeFalse();
        crmProfile.GetProperty("name").GetString().Should().Be("Customer cus_1");
        var crmEvent = Body(crmMessages.Single(m => m.Kind == DestinationMessageKind.Event)).GetProperty("event").GetProperty("data").GetProperty("metadata");
        crmEvent.TryGetProperty("health_flag", out _).Should().BeFalse("restricted fields are stripped at every depth");
        crmEvent.GetProperty("plan").GetString().Should().Be("pro");
        crm.Received.Should().AllSatisfy(m => m.BodyJson.Should().NotContain("1815-12-10"));

        var mapped = Body(crmMessages.Single(m => m.Sync == "crm-mapped")).GetProperty("attributes");
        mapped.EnumerateObject().Select(p => p.Name).Should().Equal(["full_name"], "a mapping cannot bring a restricted field back");

        var careProfile = Body(care.Received.Single(m => m.Kind == DestinationMessageKind.Profile)).GetProperty("attributes");
        careProfile.GetProperty("date_of_birth").GetString().Should().Be("1815-12-10");
        careProfile.GetProperty("health_notes").GetString().Should().Be("none");
    }

    [StoreFact]
    public virtual async Task Ad_syncs_send_identities_as_SHA256_of_the_normalised_value()
    {
        var ads = new RecordingDestination();
        var link = Open(await NewStoreAsync(), b => b
            .AddDestination("ads", _ => ads)
            .AddSync("ads", s =>
            {
                s.Destination = "ads";
                s.Send = SyncContent.Profiles;
                s.HashIdentities = true;
            }));

        await link.IngestAsync([Customer("cus_1", " Ada.Lovelace@Example.COM "), Customer("cus_2", "BOB@example.com ")]);
        await link.RunSyncOnceAsync("ads");

        var hashes = ads.Received.Select(m => JsonDocument.Parse(m.BodyJson).RootElement.GetProperty("identities")[0]).ToList();
        hashes.Select(h => h.GetProperty("sha256").GetString()).Should().Equal(
            "e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f",
            "5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018");
        hashes.Should().AllSatisfy(h => h.TryGetProperty("value", out _).Should().BeFalse());
        ads.Received.Should().AllSatisfy(m => m.BodyJson.Should().NotContainEquivalentOf("example.com"));

        IdentityHashing.TryHash(link.Schema, IdentityKinds.Email, "  ADA.lovelace@example.com", out var hash).Should().BeTrue();
        hash.Should().Be("e814ff3dc480a94c7ce9334062ec4733c75a002f4bcec0197f62ffea64059e2f");
    }
}
