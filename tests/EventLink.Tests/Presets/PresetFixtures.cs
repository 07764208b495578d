using EventLink.Presets;

namespace EventLink.Tests.Presets;

/// <summary>The vendor payload fixtures under <c>tests/Fixtures/presets</c> (one delivery per line), and an in-memory EventLink to ingest them.</summary>
internal static class PresetFixtures
{
    public static string Directory { get; } = Find();

    public static IReadOnlyList<string> Lines(string vendor) =>
        [.. File.ReadLines(Path.Combine(Directory, vendor + ".jsonl")).Where(l => l.Trim().Length > 0)];

    public static List<IngestRecord> Records(SourcePreset preset, PresetOptions? options = null) =>
        [.. Lines(preset.Name).SelectMany(line => preset.Read(line, options).Records)];

    public static IEventLink Link(Action<SchemaBuilder> schema) => new EventLinkBuilder().AddSchema(schema).Build();

    public static async Task<List<TimelineEvent>> TimelineAsync(IEventLink link, string kind, string value)
    {
        var profile = await link.FindProfileAsync(kind, value);
        profile.Should().NotBeNull($"a profile should hold {kind} '{value}'");
        var events = new List<TimelineEvent>();
        await foreach (var e in link.GetTimelineAsync(profile!.Id))
        {
            events.Add(e);
        }

        return events;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Fixtures", "presets");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Fixtures/presets not found above " + AppContext.BaseDirectory);
    }
}
