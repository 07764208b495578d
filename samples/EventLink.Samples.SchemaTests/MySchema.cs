using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Samples.SchemaTests;

/// <summary>The schema and registration of a (fictional) application: exactly what its host calls at start-up.</summary>
public static class MySchema
{
    public static void Register(IServiceCollection services) => services.AddEventLink(el => el.AddSchema(s => s
        .Merged("customer", t => t.RecordId("id").OccurredAt("created").Identity("email").Identity("metadata.app_user_id", IdentityKinds.UserId))
        .Merged("contact", t => t.RecordId("vid").OccurredAt("updatedAt").Identity("properties.email").Attribute("plan", "properties.plan"))
        .AppendOnly("charge", t => t.RecordId("id").OccurredAt("created").EventName("type").RelatesTo("billing_details.email", "customer"))
        .AppendOnly("ticket", t => t.RecordId("id").OccurredAt("created_at").RelatesTo("requester.email", "customer"))
        .MergeRule("plan", MergeRuleKind.SourcePriority, "stripe", "hubspot")));
}
