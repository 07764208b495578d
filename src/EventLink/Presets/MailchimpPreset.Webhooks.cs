using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventLink.Presets;

/// <summary>Mailchimp's audience webhooks: form-encoded bodies (<c>type=unsubscribe&amp;fired_at=2009-03-26 21:40:57&amp;data[email]=…</c>).</summary>
internal sealed partial class MailchimpPreset
{
    /// <summary>Reads a form-encoded webhook body into <c>{"type", "fired_at", "data": {…}}</c>, brackets becoming nested objects.</summary>
    public override JsonDocument? ReadNonJson(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8).Trim();
        if (!text.StartsWith("type=", StringComparison.Ordinal) && !text.Contains("&type=", StringComparison.Ordinal))
        {
            return null;
        }

        var root = new JsonObject();
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : WebUtility.UrlDecode(pair[(equals + 1)..]);
            SetPath(root, key, value);
        }

        return JsonDocument.Parse(root.ToJsonString());
    }

    /// <summary>Sets <c>data[merges][FNAME]</c> as <c>data.merges.FNAME</c>.</summary>
    private static void SetPath(JsonObject root, string key, string value)
    {
        var names = key.Replace("]", string.Empty, StringComparison.Ordinal).Split('[');
        var target = root;
        for (var i = 0; i < names.Length - 1; i++)
        {
            if (target[names[i]] is not JsonObject child)
            {
                child = [];
                target[names[i]] = child;
            }

            target = child;
        }

        target[names[^1]] = value;
    }

    private static void RouteWebhook(string type, JsonElement root, JsonElement data, PresetReader reader)
    {
        if (IsoUtc(Text(root, "fired_at")) is not { } fired)
        {
            reader.Unrecognized($"Mailchimp webhook '{type}' has a fired_at that is not a time");
            return;
        }

        var list = Text(data, "list_id");
        switch (type)
        {
            case "subscribe" or "unsubscribe" or "profile" or "cleaned":
                if (Text(data, "email") is not { } email)
                {
                    reader.Ignore($"Mailchimp '{type}' webhook names no data[email]; nothing to link");
                    return;
                }

                // An unsubscribe (action unsub, or delete) and a cleaned address end marketing consent; Mailchimp sends
                // profile updates for subscribed members.
                var status = type switch
                {
                    "subscribe" or "profile" => "subscribed",
                    "unsubscribe" => Text(data, "action") == "delete" ? "archived" : "unsubscribed",
                    _ => "cleaned",
                };
                var member = MemberVersion(email, fired, list, data);
                member["status"] = status;
                SetConsent(member, status == "archived" ? "unsubscribed" : status);
                reader.Add(Member, member);
                reader.Add(Activity, ListActivity(type, email, fired, list, data));
                return;

            case "upemail":
                if (Text(data, "new_email") is not { } newEmail || Text(data, "old_email") is not { } oldEmail)
                {
                    reader.Ignore("Mailchimp 'upemail' webhook names no data[new_email] and data[old_email]; nothing to link");
                    return;
                }

                // The member is known by its new address from now on (the API's id is the new address's hash); the old
                // one stays an identity of the same person, so what other tools send with it still links.
                var moved = MemberVersion(newEmail, fired, list, data);
                moved["previous_email_address"] = oldEmail;
                Set(moved, "unique_email_id", Text(data, "new_id"));
                reader.Add(Member, moved);
                var change = ListActivity(type, newEmail, fired, list, data);
                change["previous_email_address"] = oldEmail;
                reader.Add(Activity, change);
                return;

            case "campaign":
                reader.Ignore("a Mailchimp 'campaign' webhook reports a campaign's sending status and names no person; per-person activity comes from GET /reports/{campaign_id}/email-activity");
                return;

            default:
                reader.Ignore($"Mailchimp webhook type '{type}' is not one the preset reads (subscribe, unsubscribe, profile, upemail, cleaned, campaign)");
                return;
        }
    }

    /// <summary>A member version from a webhook, shaped as the API's member (id = subscriber hash, the MD5 of the lower-cased address).</summary>
    private static JsonObject MemberVersion(string email, string fired, string? list, JsonElement data)
    {
        var member = new JsonObject
        {
            ["id"] = SubscriberHash(email),
            ["email_address"] = email,
            ["last_changed"] = fired,
        };
        Set(member, "list_id", list);
        Set(member, "email_type", Text(data, "email_type"));
        Set(member, "ip_opt", Text(data, "ip_opt"));
        if (TryGet(data, "merges", out var merges) && merges.ValueKind == JsonValueKind.Object)
        {
            member["merge_fields"] = Mutable(merges);
        }

        return member;
    }

    private static JsonObject ListActivity(string type, string email, string fired, string? list, JsonElement data)
    {
        var hash = SubscriberHash(email);
        var activity = new JsonObject
        {
            ["id"] = $"{list}:{hash}:{type}:{UnixMilliseconds(fired)}",
            ["event"] = $"list {type}",
            ["email_address"] = email,
            ["email_id"] = hash,
            ["action"] = type,
            ["timestamp"] = fired,
        };
        Set(activity, "list_id", list);
        Set(activity, "campaign_id", Text(data, "campaign_id"));
        Set(activity, "reason", Text(data, "reason"));
        return activity;
    }

    /// <summary>Mailchimp's subscriber hash: the MD5 of the lower-cased address, the member's id in the API.</summary>
    private static string SubscriberHash(string email) =>
#pragma warning disable CA5351 // Mailchimp's own id scheme, not a security use.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
#pragma warning restore CA5351
}
