using EventLink.Presets;

namespace EventLink.Testing;

public sealed partial class EventLinkTestHost
{
    /// <summary>
    /// Ingests deliveries of a tool as it sends them (a webhook body, an API page, an exported line), read with its
    /// <see cref="SourcePreset"/>: <c>await host.IngestDeliveriesAsync(SourcePresets.Stripe, body);</c>.
    /// </summary>
    /// <param name="preset">The preset that reads the deliveries.</param>
    /// <param name="json">One delivery, a JSON array of deliveries, or JSON Lines of them.</param>
    /// <param name="options">The preset options the schema was built with (renamed record types, another source); the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The results of the records the deliveries gave, in order; deliveries the preset does not keep give none.</returns>
    /// <exception cref="EventLinkAssertionException">A delivery is not JSON or not in the tool's shape (the test's payload is wrong).</exception>
    public async Task<IReadOnlyList<IngestResult>> IngestDeliveriesAsync(SourcePreset preset, string json, PresetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(json);
        var records = new List<IngestRecord>();
        var number = 0;
        foreach (var delivery in SplitDeliveries(json))
        {
            number++;
            var read = preset.Read(delivery, options);
            if (read.Status == PresetReadStatus.Unrecognized)
            {
                throw new EventLinkAssertionException($"Delivery {number} is not one the {preset.DisplayName} preset reads: {read.Message}{Environment.NewLine}  {Shorten(delivery)}");
            }

            records.AddRange(read.Records);
        }

        return await IngestAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ingests a file of a tool's deliveries (one, a JSON array, or JSON Lines), read with its preset; see <see cref="IngestDeliveriesAsync"/>.</summary>
    /// <param name="preset">The preset that reads the deliveries.</param>
    /// <param name="path">The file.</param>
    /// <param name="options">The preset options the schema was built with; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The results of the records the deliveries gave, in order.</returns>
    /// <exception cref="EventLinkAssertionException">A delivery is not JSON or not in the tool's shape.</exception>
    public async Task<IReadOnlyList<IngestResult>> IngestDeliveryFileAsync(SourcePreset preset, string path, PresetOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return await IngestDeliveriesAsync(preset, text, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Splits deliveries: a JSON array is a list of them; several lines that each start a JSON value are JSON Lines; else the text is one.</summary>
    private static IEnumerable<string> SplitDeliveries(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(trimmed);
                return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
            }
            catch (System.Text.Json.JsonException)
            {
                // JSON Lines whose first line is an array, or not JSON: split below.
            }
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 && lines.All(l => l.StartsWith('{') || l.StartsWith('[')) ? lines : [text];
    }

    private static string Shorten(string json)
    {
        var flat = json.ReplaceLineEndings(" ").Trim();
        return flat.Length > 200 ? flat[..199] + "…" : flat;
    }
}
