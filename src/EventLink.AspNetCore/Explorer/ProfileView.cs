using System.Globalization;
using System.Text;
using System.Text.Json;
using EventLink.Storage;
using static EventLink.AspNetCore.Explorer.ExplorerHtml;

namespace EventLink.AspNetCore.Explorer;

/// <summary>One profile: identities, attributes (with the value every tool holds, conflicts marked), then the timeline, newest first.</summary>
internal static class ProfileView
{
    public static async Task RenderAsync(StringBuilder html, ExplorerHtml page, IEventLink link, EventLinkSchema schema, EventLinkStore store, Profile profile, TimelineFilter filter, CancellationToken cancellationToken)
    {
        var name = profile["name"] ?? string.Join(' ', new[] { profile["first_name"], profile["last_name"] }.Where(n => n is not null));
        html.Append("<h1 id=\"profile-name\">").Append(E(name.Length > 0 ? name : "Unnamed profile")).Append("</h1>")
            .Append("<section class=\"card\" id=\"profile\" data-profile-id=\"").Append(profile.Id).Append("\" aria-labelledby=\"attributes-title\">")
            .Append("<h2 id=\"attributes-title\">Attributes</h2><ul class=\"identities\" aria-label=\"Identities\">");
        foreach (var identity in profile.Identities)
        {
            html.Append("<li data-kind=\"").Append(E(identity.Kind)).Append("\"><span class=\"muted\">").Append(E(identity.Kind)).Append(":</span> ").Append(E(identity.Value)).Append("</li>");
        }

        html.Append("</ul>");
        var others = await OtherValuesAsync(link, schema, store, profile, cancellationToken).ConfigureAwait(false);
        html.Append("<div class=\"scroll\"><table id=\"attributes\"><caption>The value shown is the one the merge rules chose; other tools' values follow it.</caption>")
            .Append("<thead><tr><th scope=\"col\">Attribute</th><th scope=\"col\">Value</th><th scope=\"col\">Source</th><th scope=\"col\">Observed</th></tr></thead><tbody>");
        foreach (var attribute in profile.Attributes)
        {
            List<(string Source, string ValueJson, DateTimeOffset ObservedAt)> differing = others.TryGetValue(attribute.Name, out var values)
                ? [.. values.Where(v => v.Source != attribute.Source && v.ValueJson != attribute.ValueJson)
                    .GroupBy(v => (v.Source, v.ValueJson)).Select(g => g.MaxBy(v => v.ObservedAt))]
                : [];
            html.Append("<tr data-attribute=\"").Append(E(attribute.Name)).Append("\" data-source=\"").Append(E(attribute.Source)).Append('"')
                .Append(differing.Count > 0 ? " class=\"conflict\" data-conflict=\"true\"" : string.Empty).Append("><th scope=\"row\">").Append(E(attribute.Name))
                .Append("</th><td class=\"value\">").Append(E(attribute.AsString()));
            if (differing.Count > 0)
            {
                html.Append("<br><span class=\"conflict-label\">Conflict: other tools say</span><ul class=\"others\">");
                foreach (var other in differing)
                {
                    html.Append("<li data-other-source=\"").Append(E(other.Source)).Append("\">").Append(E(AsText(other.ValueJson))).Append(" — ").Append(E(other.Source)).Append(", ").Append(page.Time(other.ObservedAt)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</td><td>").Append(Badge(attribute.Source)).Append("</td><td class=\"muted\">").Append(page.Time(attribute.ObservedAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
        await RenderTimelineAsync(html, page, link, profile, filter, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RenderTimelineAsync(StringBuilder html, ExplorerHtml page, IEventLink link, Profile profile, TimelineFilter filter, CancellationToken cancellationToken)
    {
        var all = new List<TimelineEvent>();
        await foreach (var e in link.GetTimelineAsync(profile.Id, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add(e);
        }

        var sources = all.Select(e => e.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var types = all.Select(e => e.RecordType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var shown = all
            .Where(e => (filter.Source is null || e.Source == filter.Source) && (filter.RecordType is null || e.RecordType == filter.RecordType))
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.IngestedAt)
            .ToList();
        var size = Math.Max(1, page.Options.PageSize);
        var pages = Math.Max(1, (shown.Count + size - 1) / size);
        var current = Math.Clamp(filter.Page, 1, pages);

        html.Append("<section class=\"card\" aria-labelledby=\"timeline-title\"><h2 id=\"timeline-title\">Timeline <span class=\"muted\" id=\"timeline-count\">")
            .Append(shown.Count.ToString(CultureInfo.InvariantCulture)).Append(" events, newest first</span></h2>")
            .Append("<form class=\"filters\" method=\"get\" action=\"").Append(E($"{page.Prefix}/profiles/{profile.Id}")).Append("\">");
        AppendSelect(html, "source", "Source", sources, filter.Source);
        AppendSelect(html, "type", "Record type", types, filter.RecordType);
        html.Append("<button type=\"submit\" id=\"apply-filters\">Filter</button></form><ol class=\"timeline\" id=\"timeline\">");
        foreach (var e in shown.Skip((current - 1) * size).Take(size))
        {
            html.Append("<li data-source=\"").Append(E(e.Source)).Append("\" data-record-type=\"").Append(E(e.RecordType)).Append("\" data-event=\"").Append(E(e.EventName))
                .Append("\" data-occurred-at=\"").Append(e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append("\">")
                .Append(page.Time(e.OccurredAt)).Append(Badge(e.Source)).Append("<span class=\"event\">").Append(E(e.EventName)).Append("</span>")
                .Append("<span class=\"record\">").Append(E($"{e.RecordType} · {e.RecordId}")).Append("</span></li>");
        }

        if (shown.Count == 0)
        {
            html.Append("<li class=\"empty\">No events.</li>");
        }

        html.Append("</ol><nav class=\"pager\" aria-label=\"Timeline pages\"><span id=\"page-status\">Page ").Append(current).Append(" of ").Append(pages).Append("</span>");
        string Link(int to) => $"{page.Prefix}/profiles/{profile.Id}?page={to}" + (filter.Source is null ? string.Empty : "&source=" + Q(filter.Source)) + (filter.RecordType is null ? string.Empty : "&type=" + Q(filter.RecordType));
        if (current > 1)
        {
            html.Append("<a id=\"newer\" rel=\"prev\" href=\"").Append(E(Link(current - 1))).Append("\">Newer</a>");
        }

        if (current < pages)
        {
            html.Append("<a id=\"older\" rel=\"next\" href=\"").Append(E(Link(current + 1))).Append("\">Older</a>");
        }

        html.Append("</nav></section>");
    }

    private static void AppendSelect(StringBuilder html, string name, string label, IEnumerable<string> values, string? selected)
    {
        html.Append("<label>").Append(label).Append("<select name=\"").Append(name).Append("\" id=\"filter-").Append(name).Append("\"><option value=\"\">All</option>");
        foreach (var value in values)
        {
            html.Append("<option value=\"").Append(E(value)).Append('"').Append(value == selected ? " selected" : string.Empty).Append('>').Append(E(value)).Append("</option>");
        }

        html.Append("</select></label>");
    }

    /// <summary>
    /// The value each merged record of the profile holds for each attribute, read from the stored records with the
    /// schema's selectors: what each tool says, of which the merge rules chose one.
    /// </summary>
    private static async Task<Dictionary<string, List<(string Source, string ValueJson, DateTimeOffset ObservedAt)>>> OtherValuesAsync(
        IEventLink link, EventLinkSchema schema, EventLinkStore store, Profile profile, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, List<(string, string, DateTimeOffset)>>(StringComparer.Ordinal);
        IReadOnlyList<SourceRecordRow> rows;
        var session = await store.BeginAsync(link.Tenant, StoreSessionMode.AppendOnly, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            // Read only; the session is never committed.
            rows = await session.GetSourceRecordsAsync(profile.Id, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in rows)
        {
            if (!schema.RecordTypes.TryGetValue(row.RecordType, out var type) || type.Kind != RecordKind.Merged)
            {
                continue;
            }

            using var document = JsonDocument.Parse(row.PayloadJson);
            foreach (var (name, valueJson) in AttributeMerger.Extract(type, document.RootElement))
            {
                if (!values.TryGetValue(name, out var list))
                {
                    values[name] = list = [];
                }

                list.Add((row.Source, valueJson, row.OccurredAt));
            }
        }

        return values;
    }

    private static string AsText(string valueJson)
    {
        using var document = JsonDocument.Parse(valueJson);
        return document.RootElement.ValueKind == JsonValueKind.String ? document.RootElement.GetString()! : document.RootElement.GetRawText();
    }
}

/// <summary>The timeline's page and filters, from the query string.</summary>
internal readonly record struct TimelineFilter(int Page, string? Source, string? RecordType);
