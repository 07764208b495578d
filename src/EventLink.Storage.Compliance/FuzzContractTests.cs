using System.Runtime.CompilerServices;
using System.Text;
using EventLink.Presets;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Compliance;

/// <summary>
/// Seeded fuzzing of ingestion (<see cref="FuzzInputs"/>): generated and mutated records (lone surrogates, NUL, numeric
/// extremes, deep nesting, truncation, raw bytes, size limits, odd names, broken shapes, record ids of other types) go
/// in beside valid ones, alone and in batches. Nothing throws, every refused record says why, and every valid record is
/// stored and linked. A failure names the seed (<see cref="FuzzInputs.SeedVariable"/> replays it) and the inputs.
/// </summary>
public abstract class FuzzContractTests<TFixture>(TFixture fixture) : ContractTestBase<TFixture>(fixture)
    where TFixture : StoreFixture
{
    /// <summary>Gets how many bad inputs the test generates.</summary>
    protected virtual int InputCount => 5_000;

    /// <summary>Gets how many of them go in one record per call (a bad record alone, then a valid one alone).</summary>
    protected virtual int AloneCount => 100;

    /// <summary>Gets how many bad inputs one batch carries (each followed by a valid record).</summary>
    protected virtual int BatchSize => 250;

    [StoreFact]
    public virtual Task Generated_and_mutated_inputs_never_throw_every_refusal_has_a_reason_and_valid_records_beside_them_are_stored() =>
        FuzzAsync(InputCount, configure: null);

    [StoreFact]
    [RequiresCapability(StoreCapabilities.DataQuality)]
    public virtual Task The_same_holds_with_transformations_contracts_and_drift_tracking_reading_every_payload() =>
        FuzzAsync(InputCount / 5, builder => builder.AddDataQuality(q =>
        {
            q.Transform("charge", t => t.Rename("amt", "amount").Drop("card_number").Set("currency", "\"usd\"").MapValues("type", new Dictionary<string, string> { ["charge.x"] = "charge.y" }));
            q.AddContract("customer", c => c.Property("email", PropertyType.String).WithFormat(StringFormat.Email).WithMaxLength(200));
            q.AddContract("charge", c => c.Property("amount", PropertyType.Any));
        }));

    /// <summary>Runs <paramref name="count"/> bad inputs, each beside a valid record, and checks every result.</summary>
    /// <param name="count">How many bad inputs.</param>
    /// <param name="configure">Adds features to the builder, or <see langword="null"/>.</param>
    /// <param name="name">The store name: the calling test's.</param>
    /// <returns>A task.</returns>
    protected async Task FuzzAsync(int count, Action<EventLinkBuilder>? configure, [CallerMemberName] string name = "")
    {
        var seed = FuzzInputs.Seed();
        var inputs = new FuzzInputs(seed);
        var link = await CreateAsync(options: o => o.MaxPayloadBytes = FuzzInputs.MaxPayloadBytes, configure: configure, name: name);
        await link.IngestAsync(StripeCustomer("cus_ada", "ada@example.com", Day(2026, 1, 1)));
        var failures = new List<string>();
        var categories = FuzzInputs.AllCategories.ToDictionary(c => c, _ => 0);
        var good = new GoodRecords();
        var done = 0;

        while (done < count)
        {
            var size = done < AloneCount ? 1 : Math.Min(BatchSize, count - done);
            var bad = Enumerable.Range(0, size).Select(_ => inputs.Next()).ToList();
            var valid = bad.Select(_ => good.Next()).ToList();
            foreach (var (category, _, _) in bad)
            {
                categories[category]++;
            }

            if (size == 1)
            {
                // Alone: the bad record in its own call, then a valid one in the next.
                await CheckAsync(link, [bad[0].Record], [bad[0].Description], failures, seed);
                await CheckAsync(link, [valid[0].Record], [valid[0].Expected], failures, seed);
            }
            else
            {
                var records = new List<IngestRecord>(size * 2);
                var expected = new List<string>(size * 2);
                for (var i = 0; i < size; i++)
                {
                    records.Add(bad[i].Record);
                    expected.Add(bad[i].Description);
                    records.Add(valid[i].Record);
                    expected.Add(valid[i].Expected);
                }

                if (!await CheckAsync(link, records, expected, failures, seed))
                {
                    // Name the culprits: each bad record alone.
                    foreach (var (_, description, record) in bad)
                    {
                        await CheckAsync(link, [record], [description], failures, seed);
                    }
                }
            }

            done += size;
        }

        var because = $"seed {seed} (set {FuzzInputs.SeedVariable}={seed} to replay)";
        failures.Should().BeEmpty($"{failures.Count} inputs failed, {because}; the first ones:\n{string.Join("\n", failures.Take(25))}\n");
        categories.Values.Sum().Should().Be(count, because);
        categories.Should().OnlyContain(c => c.Value >= count / FuzzInputs.AllCategories.Count / 2, "every category is exercised; " + because);

        // Every valid record is stored and linked: the events of each person's timeline are exactly the valid ones.
        foreach (var (email, ids) in good.EventsByEmail)
        {
            var profile = await link.FindProfileAsync(IdentityKinds.Email, email);
            profile.Should().NotBeNull($"{email} is a valid customer; {because}");
            var timeline = await link.GetTimelineAsync(profile!.Id, new TimelineQuery { Limit = 100_000 }).Where(e => e.RecordId.StartsWith("good_", StringComparison.Ordinal)).Select(e => e.RecordId).ToListAsync();
            timeline.Should().BeEquivalentTo(ids, $"the valid events of {email} are all stored and linked; {because}");
        }
    }

    /// <summary>Ingests records; records an escaped exception or a result that breaks the rules in <paramref name="failures"/>.</summary>
    private static async Task<bool> CheckAsync(IEventLink link, List<IngestRecord> records, List<string> expected, List<string> failures, int seed)
    {
        IReadOnlyList<IngestResult> results;
        try
        {
            results = await link.IngestAsync(records);
        }
        catch (Exception ex)
        {
            failures.Add($"seed {seed}: {(records.Count == 1 ? expected[0] : $"a batch of {records.Count}")} threw {ex.GetType().Name}: {ex.Message}");
            return false;
        }

        for (var i = 0; i < records.Count; i++)
        {
            var result = results[i];
            if (expected[i].StartsWith("valid ", StringComparison.Ordinal))
            {
                var outcome = expected[i]["valid ".Length..];
                if (result.Outcome.ToString() != outcome)
                {
                    failures.Add($"seed {seed}: {expected[i]} after {(i > 0 ? expected[i - 1] : "nothing")} came back {result}");
                }
            }
            else if (result.Outcome is IngestOutcome.Rejected or IngestOutcome.Quarantined && (result.Reason == IngestReason.None || string.IsNullOrWhiteSpace(result.Message)))
            {
                failures.Add($"seed {seed}: {expected[i]} came back {result.Outcome} without a reason");
            }

            // A bad record may read as a plain one after all (a mutation that changes nothing a reader looks at): fine.
        }

        foreach (var preset in new[] { SourcePresets.Stripe, SourcePresets.PostHog, SourcePresets.Segment })
        {
            foreach (var (record, description) in records.Zip(expected))
            {
                try
                {
                    preset.Read(record.Utf8Payload);
                }
                catch (Exception ex)
                {
                    failures.Add($"seed {seed}: {preset.Name}.Read of {description} threw {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        return true;
    }

    /// <summary>The valid records that go beside the bad ones: charges of Ada, now and then a new customer and their charge.</summary>
    private sealed class GoodRecords
    {
        private int _n;
        private string? _newCustomer;

        public Dictionary<string, List<string>> EventsByEmail { get; } = new() { ["ada@example.com"] = [] };

        public (IngestRecord Record, string Expected) Next()
        {
            var n = _n++;
            if (_newCustomer is { } email)
            {
                _newCustomer = null;
                EventsByEmail[email] = [$"good_{n}"];
                return (StripeCharge($"good_{n}", email, Day(2026, 2, 1).AddMinutes(n), n), "valid Linked");
            }

            if (n % 25 == 24)
            {
                _newCustomer = $"good{n}@example.com";
                return (new IngestRecord("stripe", "customer", Encoding.UTF8.GetBytes($$"""{"id":"good_cus_{{n}}","created":1767225600,"email":"{{_newCustomer}}","name":"Good {{n}}"}""")), "valid Created");
            }

            EventsByEmail["ada@example.com"].Add($"good_{n}");
            return (StripeCharge($"good_{n}", "ada@example.com", Day(2026, 2, 1).AddMinutes(n), n), "valid Linked");
        }
    }
}
