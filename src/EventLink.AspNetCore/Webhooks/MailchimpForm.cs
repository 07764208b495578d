using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace EventLink.AspNetCore.Webhooks;

/// <summary>
/// Mailchimp's list webhooks post <c>application/x-www-form-urlencoded</c> bodies (<c>type=subscribe&amp;fired_at=…&amp;data[email]=…</c>,
/// mailchimp.com/developer/marketing/guides/sync-audience-data-webhooks); this turns one into the list-member JSON the
/// Mailchimp preset reads, so a subscribe, profile update or unsubscribe updates the member's profile.
/// </summary>
internal static class MailchimpForm
{
    public static byte[]? ToMemberJson(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }

        var form = QueryHelpers.ParseQuery(text.StartsWith('?') ? text : "?" + text);
        string? Get(string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
        var type = Get("type");
        var email = Get("data[email]") ?? Get("data[new_email]");
        if (type is null || email is null)
        {
            return null;
        }

        // fired_at is "2009-03-26 21:35:57" (GMT); the member's last_changed is ISO 8601.
        var firedAt = DateTime.TryParseExact(Get("fired_at"), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var fired)
            ? fired.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : null;
        var member = new JsonObject
        {
            ["id"] = Get("data[id]") ?? Get("data[new_id]") ?? email,
            ["email_address"] = email,
            ["last_changed"] = firedAt,
            ["list_id"] = Get("data[list_id]"),
            ["status"] = type switch
            {
                "subscribe" => "subscribed",
                "unsubscribe" => "unsubscribed",
                "cleaned" => "cleaned",
                _ => Get("data[status]") ?? "subscribed",
            },
            ["merge_fields"] = new JsonObject
            {
                ["FNAME"] = Get("data[merges][FNAME]"),
                ["LNAME"] = Get("data[merges][LNAME]"),
            },
        };
        return System.Text.Encoding.UTF8.GetBytes(member.ToJsonString());
    }
}
