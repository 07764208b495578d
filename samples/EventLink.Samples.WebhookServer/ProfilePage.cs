using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace EventLink.Samples.WebhookServer;

/// <summary>
/// <c>GET /?email=…</c>: a server-rendered profile page: attributes with the source that won each at the top, the
/// cross-tool timeline below, and the coverage table. Every value is HTML-encoded; no script, no external resource.
/// </summary>
public static class ProfilePage
{
    public static async Task<IResult> RenderAsync(string? email, IEventLink link, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(email is null ? "EventLink profiles" : $"{email} · EventLink")).Append("</title><style>").Append(Css).Append("</style></head><body><main>")
            .Append("<header><h1>EventLink <span>customer profiles</span></h1><form method=\"get\" action=\"/\" role=\"search\">")
            .Append("<input type=\"email\" name=\"email\" placeholder=\"ada@example.com\" aria-label=\"E-mail\" value=\"").Append(E(email ?? string.Empty)).Append("\">")
            .Append("<button type=\"submit\">Find</button></form></header>");

        if (!string.IsNullOrWhiteSpace(email))
        {
            var profile = await link.FindProfileAsync(IdentityKinds.Email, email, cancellationToken);
            if (profile is null)
            {
                html.Append("<p class=\"empty\" id=\"not-found\">No profile has the e-mail <strong>").Append(E(email)).Append("</strong>.</p>");
            }
            else
            {
                await AppendProfileAsync(html, link, profile, cancellationToken);
            }
        }

        await AppendCoverageAsync(html, link, cancellationToken);
        html.Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task AppendProfileAsync(StringBuilder html, IEventLink link, Profile profile, CancellationToken cancellationToken)
    {
        var name = profile["name"] ?? string.Join(' ', new[] { profile["first_name"], profile["last_name"] }.Where(n => n is not null));
        html.Append("<section class=\"card\" id=\"profile\" data-profile-id=\"").Append(profile.Id).Append("\"><h2>").Append(E(name.Length > 0 ? name : "Unnamed profile")).Append("</h2>")
            .Append("<p class=\"muted\">").Append(E(string.Join(" · ", profile.Identities.Select(i => $"{i.Kind}: {i.Value}")))).Append("</p>")
            .Append("<table id=\"attributes\"><thead><tr><th>Attribute</th><th>Value</th><th>Source</th><th>Observed</th></tr></thead><tbody>");
        foreach (var attribute in profile.Attributes)
        {
            html.Append("<tr data-attribute=\"").Append(E(attribute.Name)).Append("\" data-source=\"").Append(E(attribute.Source)).Append("\"><td>").Append(E(attribute.Name))
                .Append("</td><td class=\"value\">").Append(E(attribute.AsString())).Append("</td><td>").Append(Badge(attribute.Source))
                .Append("</td><td class=\"muted\">").Append(Time(attribute.ObservedAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section><section class=\"card\"><h2>Timeline</h2><ol class=\"timeline\" id=\"timeline\">");
        var count = 0;
        await foreach (var e in link.GetTimelineAsync(profile.Id, cancellationToken: cancellationToken))
        {
            count++;
            html.Append("<li data-source=\"").Append(E(e.Source)).Append("\" data-event=\"").Append(E(e.EventName)).Append("\" data-occurred-at=\"")
                .Append(e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append("\"><time>").Append(Time(e.OccurredAt)).Append("</time>")
                .Append(Badge(e.Source)).Append("<span class=\"event\">").Append(E(Pretty(e.EventName))).Append("</span><span class=\"muted record\">")
                .Append(E($"{e.RecordType} · {e.RecordId}")).Append("</span></li>");
        }

        if (count == 0)
        {
            html.Append("<li class=\"empty\">No events yet.</li>");
        }

        html.Append("</ol></section>");
    }

    private static async Task AppendCoverageAsync(StringBuilder html, IEventLink link, CancellationToken cancellationToken)
    {
        var coverage = await link.GetCoverageAsync(cancellationToken);
        html.Append("<section class=\"card\"><h2>Coverage</h2><table id=\"coverage\"><thead><tr><th>Record type</th><th>Linked</th><th>Quarantined</th><th>Rejected</th><th>Profiles</th><th>Linked %</th></tr></thead><tbody>");
        foreach (var c in coverage.RecordTypes.Where(c => c.Total + c.Rejected > 0))
        {
            html.Append("<tr data-record-type=\"").Append(E(c.RecordType)).Append("\"><td>").Append(E(c.RecordType)).Append("</td><td>").Append(c.Linked)
                .Append("</td><td>").Append(c.Quarantined).Append("</td><td>").Append(c.Rejected).Append("</td><td>").Append(c.DistinctProfiles)
                .Append("</td><td><span class=\"bar\"><span style=\"width:").Append(((int)c.LinkedPercent).ToString(CultureInfo.InvariantCulture)).Append("%\"></span></span>")
                .Append(c.LinkedPercent.ToString("0.#", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    private static string Badge(string source) => $"<span class=\"badge badge-{E(source.Split('_')[0])}\">{E(source)}</span>";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Pretty(string eventName) =>
        eventName.StartsWith("zen:event-type:", StringComparison.Ordinal) ? eventName["zen:event-type:".Length..] : eventName;

    private const string Css = """
        :root{--ink:#1d2433;--muted:#6b7385;--line:#e4e7ee;--bg:#f6f7fb;--card:#fff;--accent:#3b5bdb}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:var(--bg)}
        main{max-width:1040px;margin:0 auto;padding:28px 20px 60px}
        header{display:flex;justify-content:space-between;align-items:center;gap:16px;margin-bottom:20px}
        h1{font-size:22px;margin:0}h1 span{color:var(--muted);font-weight:400}h2{font-size:17px;margin:0 0 12px}
        form{display:flex;gap:8px}input{padding:8px 12px;border:1px solid var(--line);border-radius:8px;min-width:260px;font:inherit}
        button{padding:8px 16px;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;cursor:pointer}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;margin-bottom:18px;box-shadow:0 1px 2px rgba(20,30,60,.04)}
        table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}td.value{font-weight:500;word-break:break-word}
        .muted{color:var(--muted)}.empty{color:var(--muted);font-style:italic}
        .timeline{list-style:none;margin:0;padding:0 0 0 14px;border-left:2px solid var(--line)}
        .timeline li{position:relative;display:grid;grid-template-columns:140px 96px 1fr;gap:10px;align-items:baseline;padding:6px 0 6px 12px}
        .timeline li::before{content:"";position:absolute;left:-20px;top:13px;width:10px;height:10px;border-radius:50%;background:var(--accent);border:2px solid #fff}
        .timeline time{color:var(--muted);font-variant-numeric:tabular-nums}.timeline .record{grid-column:3;font-size:12px;margin-top:-4px}
        .event{font-weight:500}
        .badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:#eef0f5;color:#414a5e;width:max-content}
        .badge-stripe{background:#ece9ff;color:#4b3fcf}.badge-hubspot{background:#ffece5;color:#c2410c}.badge-intercom{background:#e3f2ff;color:#1864ab}
        .badge-zendesk{background:#e6f6ee;color:#1b6e47}.badge-posthog{background:#fff4d6;color:#8a5a00}.badge-mailchimp{background:#fff9c4;color:#6b5d00}
        .badge-marketo{background:#f2e8ff;color:#6d28d9}
        .bar{display:inline-block;width:80px;height:6px;background:var(--line);border-radius:3px;margin-right:8px;vertical-align:middle;overflow:hidden}
        .bar span{display:block;height:100%;background:#2f9e44}
        """;
}
