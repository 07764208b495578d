using System.Text;

namespace EventLink.Benchmarks;

/// <summary>Deterministic, realistic identities and payloads shared by the benchmarks.</summary>
internal static class BenchmarkData
{
    private static readonly string[] FirstNames = ["ada", "grace", "alan", "edsger", "barbara", "donald", "margaret", "ken", "linus", "radia"];
    private static readonly string[] LastNames = ["lovelace", "hopper", "turing", "dijkstra", "liskov", "knuth", "hamilton", "thompson", "torvalds", "perlman"];
    private static readonly string[] Domains = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk"];

    /// <summary>A normalised e-mail, ~25–35 characters.</summary>
    public static string Email(int i) =>
        $"{FirstNames[i % 10]}.{LastNames[(i / 10) % 10]}{i}@{Domains[(i / 100) % Domains.Length]}";

    /// <summary>The e-mail as a source sends it: padded and mixed case.</summary>
    public static string RawEmail(int i)
    {
        var email = Email(i);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return $" {char.ToUpperInvariant(email[0])}{email[1..at]}@{email[(at + 1)..].ToUpperInvariant()} ";
    }

    /// <summary>A normalised application user id, 16 characters.</summary>
    public static string UserId(int i) => $"usr_{(uint)(i * 2654435761u):x8}{i % 10_000:D4}";

    /// <summary>The user id as a source sends it (surrounding whitespace is trimmed by normalisation).</summary>
    public static string RawUserId(int i) => $" {UserId(i)}";

    /// <summary>A permutation of 0..n-1 (fixed seed).</summary>
    public static int[] Shuffled(int n, int seed = 12345)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        new Random(seed).Shuffle(order);
        return order;
    }

    /// <summary>The schema of the ingest benchmark: Stripe customers (merged) and charge events (append-only).</summary>
    public static void DefineSchema(SchemaBuilder schema) => schema
        .Merged("customer", t => t
            .RecordId("id").OccurredAt("created")
            .Identity("email", IdentityKinds.Email)
            .Identity("metadata.user_id", IdentityKinds.UserId))
        .AppendOnly("charge", t => t
            .RecordId("data.object.id").OccurredAt("created").EventName("type")
            .RelatesTo("data.object.receipt_email", "customer", IdentityKinds.Email)
            .RelatesTo("data.object.metadata.user_id", "customer", IdentityKinds.UserId));

    /// <summary>Customers 0 to <paramref name="count"/> - 1, as Stripe sends them.</summary>
    public static IngestRecord[] Customers(int count)
    {
        var customers = new IngestRecord[count];
        for (var i = 0; i < count; i++)
        {
            customers[i] = Customer(i);
        }

        return customers;
    }

    /// <summary>
    /// <paramref name="batches"/> batches of <paramref name="batchSize"/> <c>charge.succeeded</c> events, numbered in
    /// order, each for a customer drawn from a fixed shuffle of <paramref name="customers"/>.
    /// </summary>
    public static IngestRecord[][] ChargeBatches(int batches, int batchSize, int customers, int seed)
    {
        var order = Shuffled(customers, seed);
        var result = new IngestRecord[batches][];
        for (var b = 0; b < batches; b++)
        {
            result[b] = new IngestRecord[batchSize];
            for (var i = 0; i < batchSize; i++)
            {
                var sequence = (b * batchSize) + i;
                result[b][i] = new IngestRecord("stripe", "charge", ChargeSucceeded(sequence, order[sequence % customers]));
            }
        }

        return result;
    }

    /// <summary>The number of linked results, which must be all of them: a benchmark that links less measures nothing.</summary>
    public static int AllLinked(IReadOnlyList<IngestResult> results)
    {
        var linked = 0;
        foreach (var result in results)
        {
            if (result.Outcome == IngestOutcome.Linked)
            {
                linked++;
            }
        }

        return linked == results.Count ? linked : throw new InvalidOperationException($"only {linked} of {results.Count} events linked");
    }

    public static IngestRecord Customer(int i) => new("stripe", "customer",
        $$$"""{"id":"cus_{{{i:D10}}}","object":"customer","email":"{{{Email(i)}}}","created":1700000000,"metadata":{"user_id":"{{{UserId(i)}}}"}}""");

    /// <summary>A Stripe <c>charge.succeeded</c> event of ~600 bytes, for customer <paramref name="customer"/>.</summary>
    public static byte[] ChargeSucceeded(int sequence, int customer) => Encoding.UTF8.GetBytes($$$"""
        {"id":"evt_3P{{{sequence:D12}}}","object":"event","api_version":"2024-06-20","created":{{{1700000000 + sequence}}},"type":"charge.succeeded","livemode":false,"pending_webhooks":1,"request":{"id":"req_{{{sequence:D10}}}","idempotency_key":"{{{sequence:D8}}}-4b1e-9a6f-2c31"},"data":{"object":{"id":"ch_3P{{{sequence:D14}}}","object":"charge","amount":{{{1999 + (sequence % 500)}}},"amount_captured":{{{1999 + (sequence % 500)}}},"currency":"usd","customer":"cus_{{{customer:D10}}}","description":"Subscription update","paid":true,"status":"succeeded","receipt_email":"{{{RawEmail(customer).Trim()}}}","billing_details":{"name":"{{{FirstNames[customer % 10]}}} {{{LastNames[(customer / 10) % 10]}}}","address":{"country":"GB","postal_code":"EC1A 1BB"}},"payment_method_details":{"type":"card","card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}},"metadata":{"user_id":"{{{UserId(customer)}}}"}}, "x":0} }
        """);
}
