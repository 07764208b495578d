namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/traits.md and README.md.</summary>
public static class TraitsSnippets
{
    public static async Task TraitsAsync()
    {
        #region traits-configure
        await using var link = new EventLinkBuilder()
            .AddSchema(ConceptSnippets.Schema)
            .AddTraits(t =>
            {
                var succeeded = new EventFilterOptions { RecordType = "charge" };
                succeeded.Where.Add(new PropertyConditionOptions { Property = "status", Value = "succeeded" });
                t.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "amount", Filter = succeeded });
                t.Traits.Add(new ComputedTraitOptions { Name = "tickets_30d", Kind = TraitKind.Count, Filter = new() { RecordType = "ticket" }, Window = TimeSpan.FromDays(30) });
                t.Traits.Add(new ComputedTraitOptions { Name = "last_seen", Kind = TraitKind.LastOccurredAt });

                t.Audiences.Add(new AudienceOptions
                {
                    Name = "stalled_onboarding",
                    Condition = AudienceConditionOptions.DidNotFollowWithin(
                        new EventFilterOptions { EventName = "checklist_started" },
                        new EventFilterOptions { EventName = "checklist_completed" },
                        TimeSpan.FromHours(24)),
                });
                t.Audiences.Add(new AudienceOptions
                {
                    Name = "valuable_and_quiet",
                    Condition = AudienceConditionOptions.AllOf(
                        AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "10000"),
                        AudienceConditionOptions.DidNotEvent(new EventFilterOptions { RecordType = "ticket" }, TimeSpan.FromDays(30))),
                });
                t.EventTriggers.Add(new EventTriggerOptions { Name = "any_ticket", Filter = new() { RecordType = "ticket" } });
            })
            .Build();
        #endregion
    }

    public static async Task ReadAsync(IEventLink link, Guid profileId, long savedCursor)
    {
        #region traits-read
        var computed = await link.GetComputedAsync(profileId);          // traits (value + definition) and audiences
        Console.WriteLine(computed!.GetTrait("lifetime_value")?.ValueJson);

        await link.RefreshTraitsAsync();                                 // windows and waits that fell due (or AddTraitsRefreshService)

        await foreach (var member in link.GetAudienceMembersAsync("stalled_onboarding"))
        {
            Console.WriteLine($"{member.ProfileId} since {member.EnteredAt:O}");
        }

        await foreach (var trigger in link.ReadTriggersAsync(afterSequence: savedCursor))
        {
            Console.WriteLine($"{trigger.Sequence}: {trigger.Kind} {trigger.Name} {trigger.ProfileId}");
            savedCursor = trigger.Sequence;                              // persist it: each transition is read once
        }
        #endregion
    }

    public static async Task ProfileAsync(IEventLink link, Guid profileId)
    {
        #region traits-profile
        var profile = await link.GetProfileAsync(profileId);            // also FindProfileAsync and GetProfilesAsync
        foreach (var trait in profile!.Traits)
        {
            Console.WriteLine($"{trait.Name} = {trait.ValueJson} ({trait.Definition})");
        }

        var stalled = profile.IsIn("stalled_onboarding");
        #endregion
        Console.WriteLine(stalled);
    }

    public static void DeliverTriggers(EventLinkBuilder builder)
    {
        #region traits-sync
        builder
            .AddHttpWebhookDestination("crm", o => o.Url = new Uri("https://crm.example.com/hooks/eventlink"))
            .AddSync("crm-triggers", sync =>
            {
                sync.Destination = "crm";
                sync.Send = SyncContent.Triggers;                        // or SyncContent.Both | SyncContent.Triggers
                sync.Purpose = "marketing";                              // withheld without consent
            })
            .AddSyncService();
        #endregion
    }

    public static void Readme(EventLinkBuilder builder)
    {
        #region readme-traits
        builder.AddTraits(t =>
        {
            t.Traits.Add(new ComputedTraitOptions { Name = "lifetime_value", Kind = TraitKind.Sum, Property = "amount", Filter = new() { RecordType = "charge" } });
            t.Audiences.Add(new AudienceOptions { Name = "big_spenders", Condition = AudienceConditionOptions.TraitIs("lifetime_value", ComparisonOperator.GreaterThan, "100000") });
        });
        #endregion
    }
}
