using System.Globalization;
using System.Text;
using EventLink;
using EventLink.AspNetCore.Explorer;
using EventLink.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static EventLink.AspNetCore.Explorer.ExplorerHtml;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the profile explorer: server-rendered pages for support and success teams.</summary>
public static class EventLinkExplorerEndpoints
{
    /// <summary>
    /// Maps the explorer under <paramref name="prefix"/>: <c>/</c> finds a profile by any identity, <c>/profiles/{id}</c>
    /// shows its attributes (with each tool's value, conflicts marked) and its timeline (newest first, paged, filterable by
    /// source and record type), and <c>/quarantine</c>, <c>/coverage</c>, <c>/drift</c> show the data's health. Every page
    /// requires <see cref="EventLinkExplorerOptions.AuthorizationPolicy"/>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path prefix, such as <c>/eventlink</c>.</param>
    /// <param name="configure">Sets the authorization policy, the page size and the time zone.</param>
    /// <returns>The group of endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No authorization policy is set and the environment is not Development.</exception>
    public static RouteGroupBuilder MapEventLinkExplorer(this IEndpointRouteBuilder endpoints, string prefix = "/eventlink", Action<EventLinkExplorerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var options = new EventLinkExplorerOptions();
        configure?.Invoke(options);
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (string.IsNullOrWhiteSpace(options.AuthorizationPolicy) && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"The EventLink explorer shows personal data: give it an authorization policy (MapEventLinkExplorer(\"{prefix}\", o => o.AuthorizationPolicy = \"support\")). Only the Development environment may map it without one; this is '{environment.EnvironmentName}'.");
        }

        var page = new ExplorerHtml(prefix, options);
        var group = endpoints.MapGroup(prefix);
        if (!string.IsNullOrWhiteSpace(options.AuthorizationPolicy))
        {
            group.RequireAuthorization(options.AuthorizationPolicy);
        }

        group.MapGet("/", (Delegate)((HttpContext context) => SearchAsync(page, context, context.Request.Query["q"].ToString())));
        group.MapGet("/profiles/{id:guid}", (Delegate)((HttpContext context) => ProfileAsync(
            page,
            context,
            Guid.Parse((string)context.Request.RouteValues["id"]!, CultureInfo.InvariantCulture),
            new TimelineFilter(PageOf(context), Blank(context.Request.Query["source"]), Blank(context.Request.Query["type"])))));
        group.MapGet("/quarantine", (Delegate)((HttpContext context) => QuarantineAsync(page, context)));
        group.MapGet("/coverage", (Delegate)((HttpContext context) => CoverageAsync(page, context)));
        group.MapGet("/drift", (Delegate)((HttpContext context) => DriftAsync(page, context)));
        return group;
    }

    private static int PageOf(HttpContext context) =>
        int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<IResult> SearchAsync(ExplorerHtml page, HttpContext context, string? q)
    {
        var link = context.RequestServices.GetRequiredService<IEventLink>();
        var schema = context.RequestServices.GetRequiredService<EventLinkSchema>();
        var html = new StringBuilder();
        q = q?.Trim();
        if (string.IsNullOrEmpty(q))
        {
            html.Append("<h1>Profiles</h1><p class=\"muted\">Search with any identity a tool knows the person by: an e-mail, a user id, a Stripe customer id…</p>");
            return page.Page("Profiles", "Profiles", html);
        }

        var found = new Dictionary<Guid, Profile>();
        if (Guid.TryParse(q, out var id) && await link.GetProfileAsync(id, context.RequestAborted).ConfigureAwait(false) is { } byId)
        {
            found[byId.Id] = byId;
        }

        foreach (var kind in schema.IdentityKinds.Keys)
        {
            if (await link.FindProfileAsync(kind, q, context.RequestAborted).ConfigureAwait(false) is { } profile)
            {
                found.TryAdd(profile.Id, profile);
            }
        }

        if (found.Count == 1)
        {
            return Results.Redirect($"{page.Prefix}/profiles/{found.Keys.Single()}");
        }

        html.Append("<h1>Profiles matching “").Append(E(q)).Append("”</h1>");
        if (found.Count == 0)
        {
            html.Append("<p class=\"empty\" id=\"not-found\">No profile has the identity <strong>").Append(E(q)).Append("</strong>.</p>");
        }
        else
        {
            html.Append("<ul id=\"results\">");
            foreach (var profile in found.Values)
            {
                html.Append("<li><a href=\"").Append(E($"{page.Prefix}/profiles/{profile.Id}")).Append("\">").Append(E(string.Join(", ", profile.Identities.Select(i => $"{i.Kind}: {i.Value}")))).Append("</a></li>");
            }

            html.Append("</ul>");
        }

        return page.Page("Profiles", "Profiles", html, q);
    }

    private static async Task<IResult> ProfileAsync(ExplorerHtml page, HttpContext context, Guid id, TimelineFilter filter)
    {
        var services = context.RequestServices;
        var link = services.GetRequiredService<IEventLink>();
        var html = new StringBuilder();
        if (await link.GetProfileAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } profile)
        {
            html.Append("<h1>No such profile</h1><p class=\"empty\" id=\"not-found\">It may have been merged into another or erased.</p>");
            return NotFound(page, html);
        }

        await ProfileView.RenderAsync(html, page, link, services.GetRequiredService<EventLinkSchema>(), services.GetRequiredService<EventLinkStore>(), profile, filter, context.RequestAborted).ConfigureAwait(false);
        return page.Page(profile.Identities.FirstOrDefault()?.Value ?? "Profile", "Profiles", html);
    }

    private static IResult NotFound(ExplorerHtml page, StringBuilder html) => new StatusCodeContent(page.Page("Profile", "Profiles", html), StatusCodes.Status404NotFound);

    private static async Task<IResult> QuarantineAsync(ExplorerHtml page, HttpContext context)
    {
        var link = context.RequestServices.GetRequiredService<IEventLink>();
        var html = new StringBuilder("<h1>Quarantine</h1><section class=\"card\"><p class=\"muted\">Records stored but matching no profile yet; each links by itself once its identity appears.</p><div class=\"scroll\"><table id=\"quarantine\"><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Record</th><th scope=\"col\">Reason</th><th scope=\"col\">Occurred</th></tr></thead><tbody>");
        var count = 0;
        await foreach (var record in link.GetQuarantineAsync(cancellationToken: context.RequestAborted).ConfigureAwait(false))
        {
            if (++count > page.Options.QuarantineLimit)
            {
                break;
            }

            html.Append("<tr data-record-type=\"").Append(E(record.RecordType)).Append("\"><td>").Append(Badge(record.Source)).Append("</td><td>").Append(E($"{record.RecordType} · {record.RecordId}"))
                .Append("</td><td>").Append(E(record.Message)).Append("</td><td class=\"muted\">").Append(page.Time(record.OccurredAt)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>").Append(count == 0 ? "<p class=\"empty\">Nothing is quarantined.</p>" : string.Empty).Append("</section>");
        return page.Page("Quarantine", "Quarantine", html);
    }

    private static async Task<IResult> CoverageAsync(ExplorerHtml page, HttpContext context)
    {
        var coverage = await context.RequestServices.GetRequiredService<IEventLink>().GetCoverageAsync(context.RequestAborted).ConfigureAwait(false);
        var html = new StringBuilder("<h1>Coverage</h1><section class=\"card\"><div class=\"scroll\"><table id=\"coverage\"><caption>How many records of each type found their profile.</caption><thead><tr><th scope=\"col\">Record type</th><th scope=\"col\">Linked</th><th scope=\"col\">Quarantined</th><th scope=\"col\">Rejected</th><th scope=\"col\">Profiles</th><th scope=\"col\">Linked %</th></tr></thead><tbody>");
        foreach (var c in coverage.RecordTypes.Where(c => c.Total + c.Rejected > 0))
        {
            html.Append("<tr data-record-type=\"").Append(E(c.RecordType)).Append("\"><th scope=\"row\">").Append(E(c.RecordType)).Append("</th><td>").Append(c.Linked).Append("</td><td>").Append(c.Quarantined)
                .Append("</td><td>").Append(c.Rejected).Append("</td><td>").Append(c.DistinctProfiles).Append("</td><td>").Append(c.LinkedPercent.ToString("0.#", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div></section>");
        return page.Page("Coverage", "Coverage", html);
    }

    private static async Task<IResult> DriftAsync(ExplorerHtml page, HttpContext context)
    {
        var drift = await context.RequestServices.GetRequiredService<IEventLink>().GetSchemaDriftAsync(context.RequestAborted).ConfigureAwait(false);
        var html = new StringBuilder("<h1>Schema drift</h1><section class=\"card\"><h2>Changes</h2><div class=\"scroll\"><table id=\"drift\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Source</th><th scope=\"col\">Record type</th><th scope=\"col\">Field</th><th scope=\"col\">Change</th></tr></thead><tbody>");
        foreach (var change in drift.Changes.OrderByDescending(c => c.At))
        {
            html.Append("<tr><td class=\"muted\">").Append(page.Time(change.At)).Append("</td><td>").Append(Badge(change.Source)).Append("</td><td>").Append(E(change.RecordType))
                .Append("</td><td><code>").Append(E(change.Path)).Append("</code></td><td>").Append(E(change.Message)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>").Append(drift.Changes.Count == 0 ? "<p class=\"empty\">No field appeared, changed type or stopped arriving.</p>" : string.Empty)
            .Append("</section><section class=\"card\"><h2>Observed shapes</h2><ul>");
        foreach (var shape in drift.Shapes)
        {
            html.Append("<li>").Append(Badge(shape.Source)).Append(' ').Append(E(shape.RecordType)).Append(": ").Append(shape.Records).Append(" records, ").Append(shape.Fields.Count).Append(" fields</li>");
        }

        html.Append("</ul></section>");
        return page.Page("Schema drift", "Schema drift", html);
    }

    /// <summary>An HTML page with another status code.</summary>
    private sealed class StatusCodeContent(IResult inner, int statusCode) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
