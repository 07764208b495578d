using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>
/// A deterministic multi-source input whose records overlap in identities: Stripe customers and HubSpot contacts
/// sharing emails, customers seen first under an email and under a user id and later tied together (a merge),
/// charges linked by email or user id (some arriving before their customer, some never matching), deal stages,
/// tickets, conversations, a few bad records. Shared by the concurrency tests and the load host.
/// </summary>
public static class OverlapDataset
{
    /// <summary>The fixed clock of every ingestor, so stored times do not depend on when or where a record was ingested.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static List<IngestRecord> Create(int customers = 40)
    {
        var records = new List<IngestRecord>();
        for (var i = 0; i < customers; i++)
        {
            var email = $"user{i}@example.com";
            var alt = $"alt{i}@example.com";
            var userId = $"u{i}";
            var t = Day(2025, 1 + (i % 12), 1 + (i % 27));

            records.Add(StripeCustomer($"cus_{i}", email, t, name: $"Customer {i}", plan: i % 2 == 0 ? "pro" : "basic"));
            if (i % 4 == 0)
            {
                // Another account under a user id, tied to the first by a newer version of cus_{i}: a merge in most orders.
                records.Add(StripeCustomer($"cus_{i}_app", alt, t.AddHours(1), userId: userId));
                records.Add(StripeCustomer($"cus_{i}", email, t.AddDays(2), name: $"Customer {i}", plan: "enterprise", userId: userId));
            }

            if (i % 2 == 0)
            {
                records.Add(HubSpotContact(1000 + i, email, t.AddDays(1), name: $"Contact {i}", lifecycle: "customer", plan: "hubspot-plan"));
                records.Add(DealStage($"deal_{i}", email, t.AddDays(3), "closedwon"));
            }

            if (i % 5 == 0)
            {
                records.Add(HubSpotContact(5000 + i, $"lead{i}@example.com", t, name: $"Lead {i}", lifecycle: "lead"));
                records.Add(MarketoActivity($"mkto_{i}", $"lead{i}@example.com", t.AddHours(5)));
            }

            records.Add(StripeCharge($"ch_{i}_0", email, t.AddDays(4), 1000 + i));
            records.Add(StripeCharge($"ch_{i}_1", null, t.AddDays(5), 2000 + i, userId: userId));
            records.Add(StripeCharge($"ch_{i}_2", alt, t.AddDays(6), 3000 + i, userId: userId));
            records.Add(StripeCharge($"ch_{i}_3", i % 7 == 0 ? $"nobody{i}@example.com" : email, t.AddDays(7), 4000 + i, type: "charge.refunded"));
            records.Add(ZendeskTicket($"zd_{i}", email, t.AddDays(8), subject: "Help"));
            if (i % 4 == 0)
            {
                records.Add(IntercomConversation($"ic_{i}", alt, t.AddDays(9)));
            }
        }

        records.Add(new IngestRecord("stripe", "customer", "{not json"));
        records.Add(new IngestRecord("stripe", "subscription", """{"id":"sub_1"}"""));
        records.Add(new IngestRecord("hubspot", "contact", """{"properties":{"email":"x@example.com"}}"""));
        return records;
    }

    /// <summary>
    /// Records made to race merges against each other and against plain events, each with the role of the writer that
    /// ingests it: 0, a person's first customer (by e-mail); 1, their app account (another e-mail and a user id); 2, a
    /// newer version of the first customer carrying the user id too, which merges the two profiles; 3, charges by
    /// e-mail and by user id (batches of plain events, which writers append side by side).
    /// </summary>
    /// <param name="people">The number of people.</param>
    /// <returns>The records with their roles.</returns>
    public static List<(int Role, IngestRecord Record)> MergeRace(int people = 60)
    {
        var records = new List<(int, IngestRecord)>();
        for (var i = 0; i < people; i++)
        {
            var t = Day(2025, 1 + (i % 12), 1 + (i % 27));
            records.Add((0, StripeCustomer($"cus_{i}", $"person{i}@example.com", t, name: $"Person {i}")));
            records.Add((1, StripeCustomer($"app_{i}", $"app{i}@example.com", t.AddHours(1), userId: $"u{i}")));
            records.Add((2, StripeCustomer($"cus_{i}", $"person{i}@example.com", t.AddDays(1), name: $"Person {i}", plan: "pro", userId: $"u{i}")));
            for (var k = 0; k < 4; k++)
            {
                records.Add((3, StripeCharge($"ch_{i}_{k}", k % 2 == 0 ? $"person{i}@example.com" : null, t.AddDays(2 + k), 100 * k, userId: k % 2 == 0 ? null : $"u{i}")));
            }
        }

        return records;
    }

    /// <summary>The records in a seeded random order.</summary>
    public static List<IngestRecord> Shuffle(IReadOnlyList<IngestRecord> records, int seed)
    {
        var copy = records.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(copy));
        return copy;
    }

    /// <summary>Splits records into batches of seeded random sizes between 1 and <paramref name="maxBatch"/>.</summary>
    public static List<List<IngestRecord>> Batches(IReadOnlyList<IngestRecord> records, int seed, int maxBatch = 25)
    {
        var random = new Random(seed);
        var batches = new List<List<IngestRecord>>();
        for (var i = 0; i < records.Count;)
        {
            var size = Math.Min(random.Next(1, maxBatch + 1), records.Count - i);
            batches.Add(records.Skip(i).Take(size).ToList());
            i += size;
        }

        return batches;
    }

    /// <summary>A clock that always reads <see cref="Now"/>.</summary>
    public sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
