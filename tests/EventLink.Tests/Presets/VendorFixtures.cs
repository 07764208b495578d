using System.Globalization;
using EventLink.Ingestion.Internal;
using EventLink.Presets;

namespace EventLink.Tests.Presets;

/// <summary>
/// The real payloads collected per vendor under <c>tests/Fixtures/presets/&lt;vendor&gt;/</c> (one delivery per file,
/// provenance in its <c>PROVENANCE.md</c>), and a readable account of what a preset made of one.
/// </summary>
internal static class VendorFixtures
{
    /// <summary>The fixture files of a vendor, by name.</summary>
    public static IReadOnlyList<string> Files(string vendor) =>
        [.. Directory.EnumerateFiles(Path.Combine(PresetFixtures.Directory, vendor), "*.json").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    public static byte[] Bytes(string vendor, string file) => File.ReadAllBytes(Path.Combine(PresetFixtures.Directory, vendor, file));

    /// <summary>
    /// Each record as <c>record type | record id | occurred-at (UTC, ISO) | identities</c>: a merged record's identities
    /// as the schema normalises them (<c>kind=value</c>), an event's relation values in relation order (<c>→kind=value</c>).
    /// </summary>
    public static IReadOnlyList<string> Describe(SourcePreset preset, PresetReadResult read)
    {
        var schema = preset.Apply(new SchemaBuilder()).Build();
        var lines = new List<string>();
        foreach (var record in read.Records)
        {
            RecordParser.TryParse(schema, record, int.MaxValue, out var parsed, out var rejection)
                .Should().BeTrue($"{record.RecordType} should parse: {rejection.Message}");
            using (parsed)
            {
                var identities = parsed.Type.Kind == RecordKind.Merged
                    ? RecordIdentities.Read(schema, parsed, out _).Select(k => $"{k.Kind}={k.Value}")
                    : parsed.Type.Relations.Select((r, i) => parsed.RelationValue(i) is { } v ? $"→{r.IdentityKind}={v}" : null).OfType<string>();
                lines.Add($"{record.RecordType} | {parsed.RecordId} | {parsed.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture)} | {string.Join(", ", identities)}");
            }
        }

        return lines;
    }

    /// <summary>Reads every fixture of a vendor and checks it against its expectation: every file has one, and each is Read (as described) or Ignored with the reason given.</summary>
    public static void Check(SourcePreset preset, string vendor, IReadOnlyDictionary<string, FixtureExpectation> expected)
    {
        Files(vendor).Should().BeEquivalentTo(expected.Keys, "every collected fixture has an expectation, and every expectation a fixture");
        foreach (var file in Files(vendor))
        {
            var expectation = expected[file];
            var read = preset.Read(Bytes(vendor, file), expectation.Delivery ?? PresetDelivery.Unspecified);
            read.Status.Should().NotBe(PresetReadStatus.Unrecognized, $"{file}: {read.Message}");
            if (expectation.IgnoredBecause is { } because)
            {
                read.Status.Should().Be(PresetReadStatus.Ignored, file);
                read.Message.Should().Contain(because, file);
                continue;
            }

            read.Status.Should().Be(PresetReadStatus.Read, $"{file}: {read.Message}");
            Describe(preset, read).Should().Equal(expectation.Records, file);
        }
    }
}

/// <summary>What one fixture must give: records as <see cref="VendorFixtures.Describe"/> writes them, or Ignored with a reason containing <paramref name="IgnoredBecause"/>.</summary>
internal sealed record FixtureExpectation(string[] Records, PresetDelivery? Delivery = null, string? IgnoredBecause = null)
{
    public static FixtureExpectation Read(params string[] records) => new(records);

    public static FixtureExpectation Ignored(string because, PresetDelivery? delivery = null) => new([], delivery, because);

    public FixtureExpectation With(PresetDelivery delivery) => this with { Delivery = delivery };
}
