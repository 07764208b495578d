using FluentAssertions;

namespace EventLink.Storage.Compliance;

/// <summary>
/// The property: whatever arrives, in any order, with merges, unmerges, quarantine and time passing, incremental ==
/// recomputed. A second instance over the same store (another process) writes some of the batches, so the state one
/// instance keeps decoded between its units of work must give way to what the other committed.
/// </summary>
public abstract partial class TraitsContractTests<TFixture>
    where TFixture : StoreFixture
{
    [StoreFact]
    public virtual async Task Incremental_traits_always_equal_a_recomputation_from_history_over_random_inputs()
    {
        int unmerges = 0, quarantined = 0;
        foreach (var seed in new[] { 7, 42, 1234 })
        {
            static void Define(TraitsOptions traits)
            {
                StandardTraits(traits);
                Onboarding(traits);
            }

            var link = await CreateWithTraitsAsync(Define, name: $"property_{seed}");
            var other = await ReopenWithTraitsAsync(Define, name: $"property_{seed}");
            var random = new Random(seed);
            var emails = Enumerable.Range(0, 6).Select(i => $"p{i}@example.com").ToArray();
            var records = new List<IngestRecord>();
            for (var i = 0; i < 120; i++)
            {
                var email = emails[random.Next(emails.Length)];
                var at = Time.GetUtcNow().AddHours(-random.Next(0, 24 * 60)); // Late and out of order: up to 60 days back.
                records.Add(random.Next(8) switch
                {
                    0 => TestSchema.StripeCustomer($"cus_{i}", email, at, userId: random.Next(3) == 0 ? $"u{random.Next(3)}" : null),
                    1 or 2 => Charge($"ch_{i}", email, at, random.Next(1, 100_000) / (random.Next(2) == 0 ? 1 : 100m) is var amount ? (long)amount : 0, random.Next(4) == 0 ? "failed" : "succeeded"),
                    3 or 4 => TestSchema.ZendeskTicket($"t_{i}", email, at, random.Next(2) == 0 ? "ticket.created" : "ticket.solved", $"subject {random.Next(5)}"),
                    5 => AppEvent($"e_{i}", email, random.Next(2) == 0 ? "checklist_started" : "checklist_completed", at),
                    6 => Charge($"ch_{random.Next(i + 1)}", email, at, 1), // Often a redelivery of an earlier id.
                    _ => TestSchema.StripeCustomer($"cus_{random.Next(i + 1)}", emails[random.Next(emails.Length)], at, userId: $"u{random.Next(3)}"),
                });
            }

            foreach (var chunk in records.Chunk(random.Next(1, 15)))
            {
                var results = await (random.Next(4) == 0 ? other : link).IngestAsync(chunk);
                quarantined += results.Count(r => r.Outcome == IngestOutcome.Quarantined);
                if (random.Next(3) == 0)
                {
                    Time.Advance(TimeSpan.FromHours(random.Next(1, 24 * 5)));
                    await (random.Next(4) == 0 ? other : link).RefreshTraitsAsync();
                }

                if (random.Next(6) == 0 && await link.UnmergeAsync(IdentityKinds.UserId, $"u{random.Next(3)}") is { ProfileBefore: not null })
                {
                    unmerges++;
                }
            }

            await link.RefreshTraitsAsync();
            var profiles = 0;
            await foreach (var profile in link.GetProfilesAsync())
            {
                profiles++;
                await ShouldEqualHistoryAsync(link, profile.Id);
                var stored = (await link.GetComputedAsync(profile.Id))!;
                var recomputed = (await link.RecomputeTraitsAsync(profile.Id))!;
                recomputed.Audiences.Select(a => a.Audience).Should().Equal(stored.Audiences.Select(a => a.Audience), "audience membership kept as events arrived equals a fresh evaluation");
            }

            profiles.Should().BePositive();
        }

        unmerges.Should().BePositive("the inputs include unmerges of identities profiles hold");
        quarantined.Should().BePositive("the inputs include events that wait in quarantine for their profile");
    }
}
