using EventLink.Storage.Compliance;

namespace EventLink.Sqlite.CrashHost;

/// <summary>
/// A deterministic historical input: Stripe customers (pairs of them share a user id, so they merge), HubSpot
/// contacts with the same emails, charges that often arrive before their customer (quarantined, then linked),
/// charges nobody matches, and records sent twice. The same count always yields the same records.
/// </summary>
public static class CrashInput
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<IngestRecord> Generate(int count)
    {
        var customers = (uint)Math.Max(2, count / 10);
        var records = new List<IngestRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddMinutes(i);
            var k = Pick(i, customers);
            records.Add((i % 50) switch
            {
                // A record sent again, as a retried upload would.
                49 => records[i - 25],
                _ => (i % 10) switch
                {
                    0 or 1 => TestSchema.StripeCustomer($"cus_{i}", Email(k), at, name: $"Customer {k}", plan: (k % 3) switch { 0 => "free", 1 => "pro", _ => "team" }, userId: $"u{k / 2}"),
                    2 => TestSchema.HubSpotContact(i, Email(k), at, name: $"Contact {k}", lifecycle: "customer", plan: "hubspot-plan"),
                    9 => TestSchema.StripeCharge($"ch_{i}", $"nobody{i}@example.net", at, 100 + i),
                    _ => TestSchema.StripeCharge($"ch_{i}", Email(Pick(i + count, customers)), at, 100 + i),
                },
            });
        }

        return records;
    }

    /// <summary>Spreads positions over all customers: Knuth's multiplicative hash, reduced by its high bits.</summary>
    private static int Pick(int i, uint customers) => (int)(((ulong)unchecked((uint)i * 2654435761u) * customers) >> 32);

    private static string Email(int k) => $"user{k}@example.com";
}
