using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/tenants.md.</summary>
public static class TenantSnippets
{
    public static void Register(IServiceCollection services)
    {
        #region tenants-accessor-registration
        services.AddEventLink(eventLink => eventLink
            .AddSchema(ConceptSnippets.Schema)
            .UseTenantAccessor<WorkspaceTenantAccessor>());
        #endregion
    }

    public static async Task ExplicitAsync(IEventLink link, IngestRecord record)
    {
        #region tenants-explicit
        var acme = link.ForTenant("acme");
        await acme.IngestAsync(record);                          // links only to acme's profiles
        var profile = await acme.FindProfileAsync(IdentityKinds.Email, "ada@example.com");
        var globexView = await link.ForTenant("globex").GetProfileAsync(profile!.Id);   // null: not globex's
        #endregion
    }

    public static async Task OffboardAsync(IEventLink link, CancellationToken cancellationToken)
    {
        #region tenants-export-erase
        var acme = link.ForTenant("acme");
        await using (var file = File.Create("acme-export.jsonl"))
        {
            var lines = await acme.ExportTenantAsync(file, cancellationToken);   // JSON Lines, one "type" per line
        }

        var erased = await acme.EraseTenantAsync(cancellationToken);
        Console.WriteLine($"{erased.Tenant}: {erased.Profiles} profiles, {erased.Events} events, {erased.Rows} rows deleted");
        #endregion
    }
}

#region tenants-accessor
/// <summary>The ambient tenant: the workspace of the current request, set by the app's middleware.</summary>
public sealed class WorkspaceTenantAccessor : ITenantAccessor
{
    private static readonly AsyncLocal<string?> Current = new();

    public string? CurrentTenant => Current.Value;                // null: EventLinkOptions.DefaultTenant

    public static void Set(string? workspaceId) => Current.Value = workspaceId;
}
#endregion
