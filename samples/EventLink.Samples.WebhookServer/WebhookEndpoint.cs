using EventLink.Presets;

namespace EventLink.Samples.WebhookServer;

/// <summary><c>POST /webhooks/{source}</c>: verify, read with the source's preset, ingest, answer with the outcomes.</summary>
public static class WebhookEndpoint
{
    private const int MaxBody = 1024 * 1024;

    public static async Task<IResult> HandleAsync(string source, HttpRequest request, IEventLink link, StripeSignature stripe, CancellationToken cancellationToken)
    {
        if (!SourcePresets.TryGet(source, out var preset))
        {
            return Results.NotFound(new { error = $"no preset for source '{source}'" });
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBody)
        {
            return Results.BadRequest(new { error = "body larger than 1 MiB" });
        }

        var body = buffer.ToArray();
        if (preset == SourcePresets.Stripe && stripe.IsEnabled && stripe.Verify(request.Headers["Stripe-Signature"], body) is { } refused)
        {
            return Results.BadRequest(new { error = refused });
        }

        var read = preset.Read(body);
        switch (read.Status)
        {
            case PresetReadStatus.Unrecognized:
                return Results.BadRequest(new { error = read.Message });
            case PresetReadStatus.Ignored:
                return Results.Accepted(value: new { status = "ignored", reason = read.Message });
        }

        var results = await link.IngestAsync(read.Records, cancellationToken);
        var outcomes = results.Select(r => new { outcome = r.Outcome.ToString(), recordType = r.RecordType, recordId = r.RecordId, message = r.Message }).ToList();

        // Stored records are acknowledged; a rejected one would be rejected again on every retry, so say so with 400.
        return results.Any(r => r.Outcome == IngestOutcome.Rejected)
            ? Results.BadRequest(new { error = "rejected", outcomes })
            : Results.Ok(new { status = "stored", outcomes });
    }
}
