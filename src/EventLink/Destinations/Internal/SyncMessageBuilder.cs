using System.Text.Json;
using System.Text.Json.Nodes;
using EventLink.Internal;
using EventLink.Privacy.Internal;
using EventLink.Storage;

namespace EventLink.Destinations.Internal;

/// <summary>What a sync does with one change-log entry.</summary>
internal enum SyncDecision
{
    Send,
    Skip,
    Withhold,
}

/// <summary>Turns change-log entries into destination messages: filter, consent, restricted fields, mapping, hashed identities.</summary>
internal sealed class SyncMessageBuilder(EventLinkCore core, string tenant, string syncName, SyncDefinition sync)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public async ValueTask<(SyncDecision Decision, DestinationMessage? Message)> BuildAsync(SyncFeedItem item, CancellationToken cancellationToken)
    {
        if (item.Trigger is { } trigger)
        {
            return await BuildTriggerAsync(trigger, cancellationToken).ConfigureAwait(false);
        }

        var change = item.Change!;
        return change.Kind switch
        {
            ChangeKind.EventLinked => await BuildEventAsync(change, cancellationToken).ConfigureAwait(false),
            ChangeKind.ProfileCreated or ChangeKind.ProfileUpdated => await BuildProfileAsync(change, cancellationToken).ConfigureAwait(false),
            ChangeKind.Erased => BuildErasure(change),
            _ => (SyncDecision.Skip, null),
        };
    }

    private async ValueTask<(SyncDecision, DestinationMessage?)> BuildEventAsync(ChangeRow change, CancellationToken cancellationToken)
    {
        if (!sync.Send.HasFlag(SyncContent.Events) || change.EventId is not { } eventId)
        {
            return (SyncDecision.Skip, null);
        }

        var stored = await core.Store.GetProfileAsync(tenant, change.ProfileId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (SyncDecision.Skip, null);
        }

        EventRow? row = null;
        await foreach (var candidate in core.Store.ReadTimelineAsync(tenant, stored.Profile.Id, new TimelineQuery(), cancellationToken).ConfigureAwait(false))
        {
            if (candidate.Id == eventId)
            {
                row = candidate;
                break;
            }
        }

        if (row is null
            || (sync.RecordTypes.Count > 0 && !sync.RecordTypes.Contains(row.RecordType, StringComparer.Ordinal))
            || (sync.EventNames.Count > 0 && !sync.EventNames.Contains(row.EventName, StringComparer.Ordinal))
            || (sync.Filter is { } filter && !filter(new SyncItem(DestinationMessageKind.Event, stored.Profile.Id, row.RecordType, row.EventName, row.Source, row.PayloadJson))))
        {
            return (SyncDecision.Skip, null);
        }

        if (sync.Purpose is { } purpose)
        {
            var consent = ReadCapturedConsent(change.DataJson);
            core.Sync.Privacy.ReadConsent(row.RecordType, row.PayloadJson, consent);
            if (!consent.TryGetValue(purpose, out var granted) || !granted)
            {
                return (SyncDecision.Withhold, null);
            }
        }

        var body = new JsonObject
        {
            ["idempotency_key"] = $"{syncName}:event:{row.Source}:{row.RecordId}",
            ["sync"] = syncName,
            ["tenant"] = tenant,
            ["type"] = "event",
            ["profile_id"] = stored.Profile.Id.ToString(),
            ["event"] = new JsonObject
            {
                ["source"] = row.Source,
                ["record_type"] = row.RecordType,
                ["record_id"] = row.RecordId,
                ["event_name"] = row.EventName,
                ["occurred_at"] = row.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["data"] = Shape(JsonNode.Parse(row.PayloadJson)),
            },
            ["identities"] = Identities(stored.Identities),
        };
        return (SyncDecision.Send, Message(DestinationMessageKind.Event, stored.Profile.Id, body));
    }

    private async ValueTask<(SyncDecision, DestinationMessage?)> BuildProfileAsync(ChangeRow change, CancellationToken cancellationToken)
    {
        if (!sync.Send.HasFlag(SyncContent.Profiles))
        {
            return (SyncDecision.Skip, null);
        }

        var stored = await core.Store.GetProfileAsync(tenant, change.ProfileId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (SyncDecision.Skip, null);
        }

        var attributes = new JsonObject();
        foreach (var attribute in stored.Attributes.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            attributes[attribute.Name] = JsonNode.Parse(attribute.ValueJson);
        }

        if (sync.Filter is { } filter && !filter(new SyncItem(DestinationMessageKind.Profile, stored.Profile.Id, null, null, null, attributes.ToJsonString(Compact))))
        {
            return (SyncDecision.Skip, null);
        }

        if (sync.Purpose is { } purpose && (!ReadCapturedConsent(change.DataJson).TryGetValue(purpose, out var granted) || !granted))
        {
            return (SyncDecision.Withhold, null);
        }

        var body = new JsonObject
        {
            ["idempotency_key"] = $"{syncName}:profile:{stored.Profile.Id}:{change.Sequence}",
            ["sync"] = syncName,
            ["tenant"] = tenant,
            ["type"] = "profile",
            ["change"] = change.Kind == ChangeKind.ProfileCreated ? "created" : "updated",
            ["profile_id"] = stored.Profile.Id.ToString(),
            ["entity"] = stored.Profile.Entity,
            ["attributes"] = Shape(attributes),
            ["identities"] = Identities(stored.Identities),
        };
        return (SyncDecision.Send, Message(DestinationMessageKind.Profile, stored.Profile.Id, body));
    }

    private async ValueTask<(SyncDecision, DestinationMessage?)> BuildTriggerAsync(TriggerRow trigger, CancellationToken cancellationToken)
    {
        if (!sync.Send.HasFlag(SyncContent.Triggers))
        {
            return (SyncDecision.Skip, null);
        }

        // A merged-away profile (an exit by merge) still finds its survivor, whose identities are sent; an erased one is gone.
        var stored = await core.Store.GetProfileAsync(tenant, trigger.ProfileId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (SyncDecision.Skip, null);
        }

        EventRow? row = null;
        if (trigger.EventId is { } eventId)
        {
            await foreach (var candidate in core.Store.ReadTimelineAsync(tenant, stored.Profile.Id, new TimelineQuery(), cancellationToken).ConfigureAwait(false))
            {
                if (candidate.Id == eventId)
                {
                    row = candidate;
                    break;
                }
            }
        }

        var kind = trigger.Kind switch
        {
            TriggerKind.AudienceEntered => "audience_entered",
            TriggerKind.AudienceExited => "audience_exited",
            _ => "event_matched",
        };
        var notice = new JsonObject
        {
            ["sequence"] = trigger.Sequence,
            ["kind"] = kind,
            ["name"] = trigger.Name,
            ["at"] = trigger.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (sync.Filter is { } filter && !filter(new SyncItem(DestinationMessageKind.Trigger, trigger.ProfileId, row?.RecordType, trigger.Name, row?.Source, notice.ToJsonString(Compact))))
        {
            return (SyncDecision.Skip, null);
        }

        if (sync.Purpose is { } purpose)
        {
            // Triggers carry no captured consent: the profile's merged records state it now (and a matched event its own).
            var consent = ReadCapturedConsent(await core.Outbox.ProfileConsentJsonAsync(tenant, stored.Profile.Id, cancellationToken).ConfigureAwait(false));
            if (row is not null)
            {
                core.Sync.Privacy.ReadConsent(row.RecordType, row.PayloadJson, consent);
            }

            if (!consent.TryGetValue(purpose, out var granted) || !granted)
            {
                return (SyncDecision.Withhold, null);
            }
        }

        if (row is not null)
        {
            notice["event"] = new JsonObject
            {
                ["source"] = row.Source,
                ["record_type"] = row.RecordType,
                ["record_id"] = row.RecordId,
                ["event_name"] = row.EventName,
                ["occurred_at"] = row.OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["data"] = Shape(JsonNode.Parse(row.PayloadJson)),
            };
        }

        var body = new JsonObject
        {
            ["idempotency_key"] = $"{syncName}:trigger:{trigger.Sequence}",
            ["sync"] = syncName,
            ["tenant"] = tenant,
            ["type"] = "trigger",
            ["profile_id"] = trigger.ProfileId.ToString(),
            ["trigger"] = notice,
            ["identities"] = Identities(stored.Identities),
        };
        return (SyncDecision.Send, Message(DestinationMessageKind.Trigger, trigger.ProfileId, body));
    }

    private (SyncDecision, DestinationMessage?) BuildErasure(ChangeRow change)
    {
        var body = new JsonObject
        {
            ["idempotency_key"] = $"{syncName}:erasure:{change.ProfileId}:{change.Sequence}",
            ["sync"] = syncName,
            ["tenant"] = tenant,
            ["type"] = "erasure",
            ["profile_id"] = change.ProfileId.ToString(),
            ["identities"] = change.DataJson is { } data ? JsonNode.Parse(data)?["identities"]?.DeepClone() : new JsonArray(),
        };
        return (SyncDecision.Send, Message(DestinationMessageKind.Erasure, change.ProfileId, body));
    }

    /// <summary>Strips restricted fields (unless allowed), then keeps only the mapped fields when a mapping is set.</summary>
    private JsonNode? Shape(JsonNode? data)
    {
        if (!sync.AllowRestricted)
        {
            core.Sync.Privacy.Strip(data);
        }

        if (sync.HashIdentities && data is JsonObject obj)
        {
            // Identities go out hashed only: the fields (and attributes) they were read from are not sent in clear.
            foreach (var name in IdentityFieldNames(core.Schema))
            {
                obj.Remove(name);
            }
        }

        if (sync.FieldMap.Count == 0 || data is null)
        {
            return data;
        }

        var mapped = new JsonObject();
        using var document = JsonDocument.Parse(data.ToJsonString(Compact));
        foreach (var (target, selector) in sync.FieldMap)
        {
            if (FieldPath.TryParse(selector, out var path, out _) && path.TrySelect(document.RootElement, out var value))
            {
                mapped[target] = JsonNode.Parse(value.GetRawText());
            }
        }

        return mapped;
    }

    private static IEnumerable<string> IdentityFieldNames(EventLinkSchema schema) =>
        schema.RecordTypes.Values
            .SelectMany(t => t.Identities.Select(i => i.Field.Text).Concat(t.Relations.Select(r => r.Field.Text)))
            .Select(text => text.Split('.', '[')[0])
            .Distinct(StringComparer.Ordinal);

    private JsonArray Identities(IReadOnlyList<IdentityRow> identities)
    {
        var array = new JsonArray();
        foreach (var identity in identities.OrderBy(i => i.Key))
        {
            JsonNode item = sync.HashIdentities
                ? new JsonObject { ["kind"] = identity.Key.Kind, ["sha256"] = IdentityHashing.Sha256(identity.Key.Value) }
                : new JsonObject { ["kind"] = identity.Key.Kind, ["value"] = identity.Key.Value };
            array.Add(item);
        }

        return array;
    }

    private DestinationMessage Message(DestinationMessageKind kind, Guid profileId, JsonObject body) =>
        new(body["idempotency_key"]!.GetValue<string>(), syncName, tenant, kind, profileId, body.ToJsonString(Compact));

    private static Dictionary<string, bool> ReadCapturedConsent(string? dataJson)
    {
        var consent = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (dataJson is not null)
        {
            using var document = JsonDocument.Parse(dataJson);
            if (document.RootElement.TryGetProperty("consent", out var captured))
            {
                PrivacyRules.ReadConsent(captured, consent);
            }
        }

        return consent;
    }
}
