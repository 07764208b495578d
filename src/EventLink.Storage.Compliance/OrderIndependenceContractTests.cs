using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The property EventLink is built on: for any set of records, every arrival order (and any batching) gives the
/// same final profiles, links, timelines, quarantine and coverage.
/// </summary>
public abstract class OrderIndependenceContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>Gets how many random record sets are tried, each in several orders.</summary>
    /// <value>12 unless a store overrides it (a slow store may try fewer, with a stated reason).</value>
    protected virtual int Sets => 12;

    /// <summary>Gets how many arrival orders (each with its own batching) are tried per record set.</summary>
    /// <value>4 unless a store overrides it.</value>
    protected virtual int OrdersPerSet => 4;

    [StoreFact]
    public virtual async Task Every_arrival_order_gives_the_same_profiles_links_and_timelines()
    {
        for (var set = 0; set < Sets; set++)
        {
            var random = new Random(1000 + set);
            var records = RandomRecords(random);
            string? expected = null;
            for (var order = 0; order < OrdersPerSet; order++)
            {
                var shuffled = records.OrderBy(_ => random.Next()).ToList();
                var link = await CreateAsync(name: $"order_{set}_{order}");
                var batchSize = 1 + random.Next(shuffled.Count);
                foreach (var chunk in shuffled.Chunk(batchSize))
                {
                    await link.IngestAsync(chunk);
                }

                var state = await Snapshot.CanonicalAsync(link);
                if (expected is null)
                {
                    expected = state;
                }
                else
                {
                    if (state != expected)
                    {
                        var dump = string.Join(Environment.NewLine, shuffled.Select(r => $"{r.Source}/{r.RecordType} {System.Text.Encoding.UTF8.GetString(r.Utf8Payload.Span)}"));
                        state.Should().Be(expected, $"set {set} order {order} (batch size {batchSize}) must equal order 0; input:{Environment.NewLine}{dump}{Environment.NewLine}");
                    }
                }
            }
        }
    }

    [StoreFact]
    public virtual async Task An_identity_is_credited_to_its_earliest_occurring_record_whatever_arrived_first()
    {
        var contact = HubSpotContact(101, "ada@example.com", Day(2026, 1, 12));
        var customer = StripeCustomer("cus_1", "Ada@Example.com", Day(2026, 1, 10));
        var laterVersion = StripeCustomer("cus_1", "ada@example.com", Day(2026, 2, 1), name: "Ada");

        var forward = await CreateAsync(name: "forward");
        await forward.IngestAsync(customer);
        await forward.IngestAsync(contact);
        await forward.IngestAsync(laterVersion);
        var backward = await CreateAsync(name: "backward");
        await backward.IngestAsync(laterVersion);
        await backward.IngestAsync(contact);
        await backward.IngestAsync(customer);

        foreach (var link in new[] { forward, backward })
        {
            var identity = (await link.FindProfileAsync(IdentityKinds.Email, "ada@example.com"))!.Identities.Should().ContainSingle().Subject;
            identity.Should().Be(new ProfileIdentity(new IdentityKey(IdentityKinds.Email, "ada@example.com"), "stripe", "customer", "cus_1", Day(2026, 1, 10)));
        }

        (await Snapshot.CanonicalAsync(backward)).Should().Be(await Snapshot.CanonicalAsync(forward));
    }

    /// <summary>A random mix over a small identity space, so records collide, unify, repeat and arrive late.</summary>
    public static List<IngestRecord> RandomRecords(Random random)
    {
        string[] emails = ["ada@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "erin@example.com", "null"];
        string[] users = ["u-1", "u-2", "u-3", "undefined"];
        var records = new List<IngestRecord>();
        string Email() => emails[random.Next(emails.Length)];
        DateTimeOffset At() => Day(2026, 1, 1).AddHours(random.Next(24 * 90));

        var customers = random.Next(2, 6);
        for (var i = 0; i < customers; i++)
        {
            var id = $"cus_{random.Next(4)}";
            var created = At();
            records.Add(StripeCustomer(id, Email(), created, name: $"N{random.Next(5)}", plan: random.Next(2) == 0 ? null : $"p{random.Next(3)}", userId: users[random.Next(users.Length)]));
            if (random.Next(3) == 0)
            {
                // A second email on some customers ties profiles together.
                records.Add(new IngestRecord("stripe", "customer", $$"""{"id":"{{id}}x","email":["{{Email()}}","{{Email()}}"],"created":{{At().ToUnixTimeSeconds()}}}"""));
            }
        }

        var contacts = random.Next(1, 4);
        for (var i = 0; i < contacts; i++)
        {
            records.Add(HubSpotContact(random.Next(3), Email(), At(), name: $"H{random.Next(5)}", lifecycle: random.Next(2) == 0 ? "lead" : "customer", plan: $"h{random.Next(2)}"));
        }

        // An append-only record id always carries the same content (a source never reuses an id for another
        // occurrence), so a repeated id is a true redelivery.
        var eventSeed = random.Next();
        var events = random.Next(5, 15);
        for (var i = 0; i < events; i++)
        {
            var n = random.Next(12);
            var e = new Random(eventSeed + n);
            string EventEmail() => emails[e.Next(emails.Length)];
            DateTimeOffset EventAt() => Day(2026, 1, 1).AddHours(e.Next(24 * 90));
            records.Add(e.Next(4) switch
            {
                0 => StripeCharge($"ch_e{n}", e.Next(4) == 0 ? null : EventEmail(), EventAt(), e.Next(1, 100) * 100, userId: e.Next(2) == 0 ? users[e.Next(users.Length)] : null),
                1 => ZendeskTicket($"zd_e{n}", EventEmail(), EventAt()),
                2 => DealStage($"d_e{n}", EventEmail(), EventAt(), "won"),
                _ => IntercomConversation($"ic_e{n}", EventEmail(), EventAt()),
            });
        }

        if (random.Next(2) == 0)
        {
            records.Add(records[random.Next(records.Count)]);
        }

        records.Add(new IngestRecord("stripe", "charge", "{broken"));
        return records;
    }
}
