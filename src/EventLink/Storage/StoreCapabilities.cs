using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace EventLink.Storage;

/// <summary>
/// The optional parts of the store contract a store implements beyond the required core (see
/// <see cref="EventLinkStore.Capabilities"/>). A store that lacks a capability leaves that capability's members as
/// they are: reading what it never records returns nothing, and everything else throws <see cref="NotSupportedException"/>.
/// A configured feature whose capability the store lacks fails at start-up.
/// </summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<StoreCapabilities>))]
public enum StoreCapabilities
{
    /// <summary>Only the core: ingestion of merged and append-only records, profiles, timelines, quarantine and coverage.</summary>
    None = 0,

    /// <summary>
    /// Identity graph queries and maintenance: conflicts, account memberships, unmerge rules and the explain-style reads
    /// (claims, identities, single events and records). Needed by schemas that declare memberships.
    /// </summary>
    IdentityGraph = 1,

    /// <summary>The change log (outbox), sync progress and dead letters. Needed by syncs and destinations.</summary>
    Destinations = 2,

    /// <summary>Erasure of people: forgetting profiles and identities, tombstones and suppressed records.</summary>
    Erasure = 4,

    /// <summary>Data quality: notes of contracts and transformations, field observations and hourly arrival counts.</summary>
    DataQuality = 8,

    /// <summary>Computed traits, audience memberships and the trigger log. Needed by traits, audiences and event triggers.</summary>
    Traits = 16,

    /// <summary>Tenant maintenance: erasing every row of a tenant.</summary>
    TenantMaintenance = 32,
}

/// <summary>The failure of a capability member a store does not implement.</summary>
internal static class StoreCapabilityGuard
{
    /// <summary>Every capability this version defines: what the built-in stores declare (they implement the whole contract).</summary>
    public const StoreCapabilities All =
        StoreCapabilities.IdentityGraph | StoreCapabilities.Destinations | StoreCapabilities.Erasure |
        StoreCapabilities.DataQuality | StoreCapabilities.Traits | StoreCapabilities.TenantMaintenance;

    /// <summary>Makes the exception a capability member throws when its store (or session) does not implement it.</summary>
    /// <param name="owner">The store or session.</param>
    /// <param name="capability">The capability the member belongs to.</param>
    /// <param name="member">The member.</param>
    /// <returns>The exception.</returns>
    public static NotSupportedException NotSupported(object owner, StoreCapabilities capability, [CallerMemberName] string member = "") =>
        new($"{member} needs StoreCapabilities.{capability}, which the store {(owner is EventLinkStoreSession ? "session " : "")}'{Name(owner.GetType())}' " +
            "does not support (a store declares its capabilities with EventLinkStore.Capabilities and overrides their members).");

    /// <summary>The type's name with those of the types it is nested in (a session is often nested in its store).</summary>
    private static string Name(Type type) => type.DeclaringType is { } outer ? Name(outer) + "." + type.Name : type.Name;
}
