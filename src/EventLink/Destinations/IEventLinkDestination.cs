using System.Text.Json.Serialization;

namespace EventLink;

/// <summary>
/// Somewhere syncs send profiles and events: a CRM, a support tool, an ad platform. A destination sends one
/// message and says whether the receiver acknowledged it; it should pass <see cref="DestinationMessage.IdempotencyKey"/>
/// on, so that a message re-sent after a crash between delivery and acknowledgement is recognised by the receiver.
/// </summary>
public interface IEventLinkDestination
{
    /// <summary>Sends one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the receiver acknowledged it; a failure is retried with backoff.</returns>
    ValueTask<DeliveryResult> DeliverAsync(DestinationMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A destination that can be told to erase a person (see <see cref="IEventLink.ForgetAsync(Guid, CancellationToken)"/>).</summary>
public interface IErasureDestination : IEventLinkDestination
{
    /// <summary>Sends an erasure notice: the person's identities as SHA-256 hashes, never in clear.</summary>
    /// <param name="notice">The notice (<see cref="DestinationMessage.Kind"/> is <see cref="DestinationMessageKind.Erasure"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the receiver acknowledged it.</returns>
    ValueTask<DeliveryResult> EraseAsync(DestinationMessage notice, CancellationToken cancellationToken = default);
}

/// <summary>What a message carries.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DestinationMessageKind>))]
public enum DestinationMessageKind
{
    /// <summary>An event linked to a profile.</summary>
    Event,

    /// <summary>A profile that was created or changed.</summary>
    Profile,

    /// <summary>A request to erase a person.</summary>
    Erasure,

    /// <summary>A trigger notification: a profile entered or exited an audience, or an event matched an event trigger.</summary>
    Trigger,
}

/// <summary>One message of a sync to a destination.</summary>
/// <param name="IdempotencyKey">
/// The same for every attempt, run and restart: <c>sync:event:source:recordId</c> for an event,
/// <c>sync:profile:profileId:sequence</c> for a profile change, <c>sync:erasure:profileId:sequence</c> for an erasure,
/// <c>sync:trigger:sequence</c> for a trigger (its position in the tenant's trigger log).
/// </param>
/// <param name="Sync">The sync's name.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Kind">What it carries.</param>
/// <param name="ProfileId">The profile it is about.</param>
/// <param name="BodyJson">The JSON body (see the destinations documentation for its shape).</param>
public sealed record DestinationMessage(string IdempotencyKey, string Sync, string Tenant, DestinationMessageKind Kind, Guid ProfileId, string BodyJson);

/// <summary>Whether a destination acknowledged a message.</summary>
/// <param name="Succeeded">Whether it was acknowledged.</param>
/// <param name="Error">Why not, when it failed.</param>
public readonly record struct DeliveryResult(bool Succeeded, string? Error)
{
    /// <summary>Gets the acknowledged result.</summary>
    public static DeliveryResult Success => new(true, null);

    /// <summary>Creates a failed result.</summary>
    /// <param name="error">Why it failed.</param>
    /// <returns>The result.</returns>
    public static DeliveryResult Failure(string error) => new(false, error);
}

/// <summary>What one run of a sync did.</summary>
/// <param name="Delivered">Items the destination acknowledged.</param>
/// <param name="Withheld">Items not sent because the person gave no consent for the sync's purpose.</param>
/// <param name="Skipped">Items the sync does not send (other record types or event names, filtered out, or about an erased person).</param>
/// <param name="Failed">Failed attempts that will be retried.</param>
/// <param name="DeadLettered">Items given up on after their last attempt.</param>
public sealed record SyncRunResult(int Delivered, int Withheld, int Skipped, int Failed, int DeadLettered);

/// <summary>An item a sync may send, as its <see cref="SyncDefinition.Filter"/> sees it.</summary>
/// <param name="Kind">Event, profile or trigger.</param>
/// <param name="ProfileId">The profile.</param>
/// <param name="RecordType">The event's record type (of a trigger: of its matched event), or <see langword="null"/>.</param>
/// <param name="EventName">The event's name; for a trigger, the audience's or event trigger's name; <see langword="null"/> for a profile.</param>
/// <param name="Source">The event's source (of a trigger: of its matched event), or <see langword="null"/>.</param>
/// <param name="DataJson">The event's payload, the profile's attributes as one JSON object, or the trigger (<c>sequence</c>, <c>kind</c>, <c>name</c>, <c>at</c>).</param>
public sealed record SyncItem(DestinationMessageKind Kind, Guid ProfileId, string? RecordType, string? EventName, string? Source, string DataJson);
