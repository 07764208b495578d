using System.Globalization;
using System.Text;
using System.Text.Json;
using EventLink.Presets;

namespace EventLink.Tests.Presets;

/// <summary>
/// The real deliveries collected under <c>tests/Fixtures/presets/&lt;vendor&gt;/</c> (one delivery per file, provenance
/// in the folder's <c>PROVENANCE.md</c>), and what a preset makes of each, written as one line per record:
/// <c>record type | record id | occurred-at | identities</c> (for an event, the relation values it links by).
/// </summary>
internal static class PresetFixtureTables
{
    /// <summary>The fixture files of a vendor, by file name.</summary>
    public static IReadOnlyDictionary<string, string> Files(string vendor)
    {
        var folder = Path.Combine(PresetFixtures.Directory, vendor);
        var files = Directory.GetFiles(folder)
            .Where(f => !Path.GetFileName(f).Equals("PROVENANCE.md", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var provenance = File.ReadAllText(Path.Combine(folder, "PROVENANCE.md"));
        files.Keys.Where(name => !provenance.Contains($"`{name}`", StringComparison.Ordinal)).Should()
            .BeEmpty($"every fixture of {vendor} needs a provenance line");
        return files;
    }

    /// <summary>Reads every fixture of the preset's vendor and checks each outcome against the table, which must name every file.</summary>
    public static void ShouldProduce(SourcePreset preset, IReadOnlyDictionary<string, string[]> expected, Action<PresetOptions>? configure = null)
    {
        var options = preset.CreateOptions(configure);
        var schema = preset.Apply(new SchemaBuilder(), options).Build();
        var files = Files(preset.Name);
        files.Keys.Should().BeEquivalentTo(expected.Keys, "the table covers every collected fixture and nothing else");
        foreach (var (name, body) in files)
        {
            var result = preset.Read(body, options);
            result.Status.Should().NotBe(PresetReadStatus.Unrecognized, $"{name} is a documented shape ({result.Message})");
            var actual = result.Status == PresetReadStatus.Ignored
                ? ["Ignored: " + result.Message]
                : result.Records.Select(r => Describe(schema, r)).ToArray();
            if (expected[name] is [var only] && only.StartsWith("Ignored: ", StringComparison.Ordinal))
            {
                actual.Should().ContainSingle($"{name} is ignored").Which.Should().Contain(only["Ignored: ".Length..], name);
            }
            else
            {
                actual.Should().Equal(expected[name], $"what {name} produces");
            }
        }
    }

    /// <summary>One record as <c>type | id | occurred-at (UTC) | identities</c>; throws when the record does not parse, which is a Rejected at ingest.</summary>
    public static string Describe(EventLinkSchema schema, IngestRecord record)
    {
        if (!RecordParser.TryParse(schema, record, 1 << 20, out var parsed, out var rejection))
        {
            throw new InvalidOperationException($"{record.RecordType} would be rejected: {rejection.Message}");
        }

        using (parsed)
        {
            using var document = JsonDocument.Parse(record.Utf8Payload);
            var fields = parsed.Type.Kind == RecordKind.Merged
                ? parsed.Type.Identities.Select(i => (i.Field, i.Kind.Name))
                : parsed.Type.Relations.Select(r => (r.Field, r.IdentityKind.Name));
            var identities = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (field, kind) in fields)
            {
                if (RecordParser.TryReadScalar(field, document.RootElement, out var raw) && schema.TryNormalize(kind, raw, out var key))
                {
                    identities.Add(key.ToString());
                }
            }

            var at = parsed.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            return new StringBuilder()
                .Append(parsed.Type.Name).Append(" | ").Append(parsed.RecordId).Append(" | ").Append(at).Append(" | ")
                .Append(string.Join(", ", identities)).ToString();
        }
    }
}
