using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/destinations.md.</summary>
public static class DestinationSnippets
{
    public static void Register(IServiceCollection services)
    {
        #region destinations-setup
        services.AddEventLink(eventLink => eventLink
            .AddSchema(ConceptSnippets.Schema)
            .AddHttpWebhookDestination("crm", webhook =>
            {
                webhook.Url = new Uri("https://crm.example.com/hooks/eventlink");
                webhook.SigningSecret = "from-your-secret-store";     // Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature
                webhook.Headers["Authorization"] = "Bearer …";
            })
            .AddJsonLinesFileDestination("export", "exports/events.jsonl")
            .AddSync("crm-charges", sync =>
            {
                sync.Destination = "crm";
                sync.Send = SyncContent.Both;                          // events and profile changes
                sync.RecordTypes.Add("charge");
                sync.FieldMap["amount_cents"] = "amount";              // only mapped fields are sent
                sync.FieldMap["currency"] = "currency";
            })
            .AddSync("ads-audience", sync =>
            {
                sync.Destination = "export";
                sync.Send = SyncContent.Profiles;
                sync.Purpose = "advertising";                          // withheld without consent
                sync.HashIdentities = true;                            // SHA-256 of normalised values
            })
            .ConfigurePrivacy(privacy =>
            {
                privacy.ConsentFields["customer"] = "metadata.consent"; // {"advertising": true} or ["advertising"]
                privacy.RestrictedFields.AddRange(["date_of_birth", "health_*"]);
            })
            .ConfigureSyncs(options => options.MaxAttempts = 8)
            .AddSyncService());                                         // IHostedService running every sync
        #endregion
    }

    public static void ConfigureErasure(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddEventLink(eventLink => eventLink
            .AddSchema(ConceptSnippets.Schema)
            #region destinations-tombstone-secret
            .ConfigurePrivacy(p => p.TombstoneSecret = configuration["EventLink:Privacy:TombstoneSecret"]) // ≥ 32 characters
            #endregion
            );
    }

    public static async Task RunOnceAndForget(IEventLink eventLink)
    {
        #region destinations-manual
        SyncRunResult run = await eventLink.RunSyncOnceAsync("crm-charges");
        Console.WriteLine($"{run.Delivered} delivered, {run.Withheld} withheld, {run.Failed} to retry, {run.DeadLettered} dead");

        foreach (var dead in await eventLink.GetDeadLettersAsync("crm-charges"))
        {
            Console.WriteLine($"{dead.IdempotencyKey}: {dead.LastError} after {dead.Attempts} attempts");
        }

        await eventLink.RetryDeadLettersAsync("crm-charges");

        ErasureResult erased = await eventLink.ForgetAsync(IdentityKinds.Email, "ada@example.com");
        Console.WriteLine($"erased {erased.Profiles} profile(s), {erased.Events} event(s); {erased.Tombstones} tombstone(s) kept");
        #endregion
    }
}
