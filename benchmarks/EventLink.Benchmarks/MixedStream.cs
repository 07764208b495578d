using System.Text;

namespace EventLink.Benchmarks;

/// <summary>
/// A realistic Stripe-like stream of <c>records</c> records, built deterministically from <c>seed</c> and shuffled:
/// 9 % customers (merged records: an e-mail and a phone each), 1 % merge records (a customer of a second Stripe
/// account, <c>stripe-eu</c>, carrying the e-mail of one earlier customer and the phone of another, so it joins two
/// existing profiles), 80 % <c>charge.succeeded</c> events relating to their customer by e-mail — a third of them
/// arriving before their customer (quarantined, then linked when it arrives) — and 10 % replays (exact duplicates
/// of records earlier in the stream).
/// </summary>
/// <remarks>
/// The customers carry a phone rather than a user id because a profile may hold one user id only: two customers
/// with a user id each could never merge (the engine would record a conflict instead).
/// </remarks>
internal sealed class MixedStream
{
    public const string CustomerType = "customer";
    public const string ChargeType = "charge";

    private MixedStream(IngestRecord[] records, IngestRecord[] customers, int charges, int early, int merges, int replays)
    {
        Records = records;
        Customers = customers;
        Charges = charges;
        EarlyCharges = early;
        Merges = merges;
        Replays = replays;
    }

    /// <summary>The stream, in arrival order.</summary>
    public IngestRecord[] Records { get; }

    /// <summary>The customers of the stream (not the merge records), in arrival order.</summary>
    public IngestRecord[] Customers { get; }

    /// <summary>The distinct charges in the stream.</summary>
    public int Charges { get; }

    /// <summary>The charges that arrive before their customer (each is quarantined when it arrives).</summary>
    public int EarlyCharges { get; }

    /// <summary>The merge records, each joining two profiles.</summary>
    public int Merges { get; }

    /// <summary>The exact duplicates of earlier records.</summary>
    public int Replays { get; }

    /// <summary>Live profiles once the stream is ingested: one per customer, less one per merge.</summary>
    public int Profiles => Customers.Length - Merges;

    /// <summary>Customers (an e-mail and a phone) and charges relating to them by e-mail.</summary>
    public static void DefineSchema(SchemaBuilder schema) => schema
        .Merged(CustomerType, t => t
            .RecordId("id").OccurredAt("created")
            .Identity("email", IdentityKinds.Email)
            .Identity("phone", IdentityKinds.Phone))
        .AppendOnly(ChargeType, t => t
            .RecordId("data.object.id").OccurredAt("created").EventName("type")
            .RelatesTo("data.object.receipt_email", CustomerType, IdentityKinds.Email));

    /// <summary>Builds the stream of <paramref name="records"/> records (a multiple of 100).</summary>
    public static MixedStream Create(int records, int seed)
    {
        if (records <= 0 || records % 100 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(records), records, "a positive multiple of 100");
        }

        var replays = records / 10;
        var merges = records / 100;
        var customers = (records / 10) - merges;
        var charges = records - replays - merges - customers;
        var random = new Random(seed);
        var kinds = new char[records];
        Array.Fill(kinds, 'C', 0, customers);
        Array.Fill(kinds, 'M', customers, merges);
        Array.Fill(kinds, 'E', customers + merges, charges);
        Array.Fill(kinds, 'R', records - replays, replays);
        random.Shuffle(kinds);

        var stream = new IngestRecord[records];
        var customerRecords = new IngestRecord[customers];
        var mergeable = new List<int>();
        var emitted = new List<IngestRecord>();
        var (seen, charge, early, merged) = (0, 0, 0, 0);
        for (var p = 0; p < records; p++)
        {
            // A merge needs two earlier customers not merged yet, a replay an earlier record: else an
            // unconstrained record comes forward (a later customer, resp. any later original).
            if ((kinds[p] == 'M' && mergeable.Count < 2) || (kinds[p] == 'R' && emitted.Count == 0))
            {
                var want = kinds[p] == 'M' ? 'C' : 'E';
                var swap = Array.IndexOf(kinds, want, p + 1);
                (kinds[p], kinds[swap]) = (kinds[swap], kinds[p]);
            }

            switch (kinds[p])
            {
                case 'C':
                    stream[p] = customerRecords[seen] = Customer(seen);
                    mergeable.Add(seen++);
                    break;
                case 'M':
                    stream[p] = MergeRecord(merged++, Take(mergeable, random), Take(mergeable, random));
                    break;
                case 'E':
                    // Every third charge is for a customer still to come, while one is (else for one already seen).
                    var isEarly = seen == 0 || (charge % 3 == 0 && seen < customers);
                    var customer = isEarly ? seen + random.Next(customers - seen) : random.Next(seen);
                    stream[p] = new IngestRecord("stripe", ChargeType, BenchmarkData.ChargeSucceeded(charge++, customer));
                    early += isEarly ? 1 : 0;
                    break;
                default:
                    var original = emitted[random.Next(emitted.Count)];
                    stream[p] = new IngestRecord(original.Source, original.RecordType, original.Utf8Payload.ToArray());
                    continue;
            }

            emitted.Add(stream[p]);
        }

        return new MixedStream(stream, customerRecords, charges, early, merges, replays);
    }

    /// <summary>The stream cut into consecutive batches of <paramref name="size"/>.</summary>
    public IngestRecord[][] Batches(int size) => [.. Records.Chunk(size)];

    /// <summary>Charges for the stream's customers (all known beforehand): the happy path over as many records.</summary>
    public IngestRecord[][] HappyPathBatches(int size, int seed)
    {
        var random = new Random(seed);
        var charges = new IngestRecord[Records.Length];
        for (var i = 0; i < charges.Length; i++)
        {
            charges[i] = new IngestRecord("stripe", ChargeType, BenchmarkData.ChargeSucceeded(i, random.Next(Customers.Length)));
        }

        return [.. charges.Chunk(size)];
    }

    /// <summary>The <paramref name="i"/>-th customer: the e-mail of <see cref="BenchmarkData.Email"/> and a UK phone number.</summary>
    public static IngestRecord Customer(int i) => new("stripe", CustomerType, Encoding.UTF8.GetBytes(
        $$$"""{"id":"cus_{{{i:D10}}}","object":"customer","email":"{{{BenchmarkData.Email(i)}}}","phone":"{{{Phone(i)}}}","created":{{{1_690_000_000 + i}}},"name":"customer {{{i}}}","metadata":{}}"""));

    private static IngestRecord MergeRecord(int k, int emailOf, int phoneOf) => new("stripe-eu", CustomerType, Encoding.UTF8.GetBytes(
        $$$"""{"id":"cus_eu{{{k:D8}}}","object":"customer","email":"{{{BenchmarkData.RawEmail(emailOf).Trim()}}}","phone":"{{{Phone(phoneOf)}}}","created":1700000000,"name":"customer {{{emailOf}}}","metadata":{}}"""));

    private static string Phone(int i) => $"+44 20 {i / 10_000:D4} {i % 10_000:D4}";

    private static int Take(List<int> list, Random random)
    {
        var at = random.Next(list.Count);
        var value = list[at];
        list[at] = list[^1];
        list.RemoveAt(list.Count - 1);
        return value;
    }
}
