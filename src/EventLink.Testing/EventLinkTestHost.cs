using System.Text;
using System.Text.Json;
using EventLink.Storage;
using EventLink.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace EventLink.Testing;

/// <summary>
/// An in-memory EventLink built from your real registration, to unit-test a schema:
/// <code>
/// await using var host = EventLinkTestHost.Create(services => services.AddEventLink(el => el.AddSchema(MySchema.Define)));
/// await host.IngestAsync("stripe", "customer", """{"id":"cus_1","created":1767225600,"email":"ada@example.com"}""");
/// await host.IngestAsync("stripe", "charge", """{"id":"ch_1","created":1768471200,"customer_email":"Ada@Example.com"}""");
/// await host.Record("stripe", "ch_1").ShouldBeLinkedToAsync(IdentityKinds.Email, "ada@example.com");
/// </code>
/// Whatever store the registration chose is replaced by the in-memory store; time is a <see cref="FakeTimeProvider"/>
/// (Microsoft.Extensions.TimeProvider.Testing), whose timers fire when it is advanced.
/// </summary>
public sealed partial class EventLinkTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly Dictionary<(string Source, string RecordId), (IngestRecord Record, IngestResult Result)> _records = [];

    private EventLinkTestHost(ServiceProvider provider, FakeTimeProvider time)
    {
        _provider = provider;
        Time = time;
        EventLink = provider.GetRequiredService<IEventLink>();
    }

    /// <summary>Gets the EventLink under test.</summary>
    public IEventLink EventLink { get; }

    /// <summary>Gets the clock EventLink uses (ingest times, profile creation times); <c>Advance</c> moves it and fires the timers and delays that fall due.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Gets every result so far, in ingest order.</summary>
    public IList<IngestResult> Results { get; } = [];

    /// <summary>Creates a host from the same service registration your application uses.</summary>
    /// <param name="register">Registers services; it should call <c>services.AddEventLink(…)</c>.</param>
    /// <param name="now">The clock's start; 2026-01-01T00:00Z by default.</param>
    /// <returns>The host.</returns>
    /// <exception cref="SchemaValidationException">The schema is invalid.</exception>
    public static EventLinkTestHost Create(Action<IServiceCollection> register, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        var services = new ServiceCollection();
        register(services);
        services.AddEventLink();
        var time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        services.RemoveAll<EventLinkStore>();
        services.AddSingleton<EventLinkStore>(new InMemoryEventLinkStore());
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(time);
        var provider = services.BuildServiceProvider();
        try
        {
            return new EventLinkTestHost(provider, time);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex) when (ex.OptionsType == typeof(EventLinkSchemaOptions))
        {
            provider.Dispose();
            throw new SchemaValidationException(ex.Failures.ToList());
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Creates a host from an EventLink configuration (what you pass to <c>AddEventLink</c>).</summary>
    /// <param name="configure">Defines the schema and options.</param>
    /// <param name="now">The clock's start; 2026-01-01T00:00Z by default.</param>
    /// <returns>The host.</returns>
    public static EventLinkTestHost Create(Action<IEventLinkBuilder> configure, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Create(services => services.AddEventLink(configure), now);
    }

    /// <summary>Ingests one record given as JSON text.</summary>
    /// <param name="source">The source, such as <c>stripe</c>.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="json">The payload.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    public async Task<IngestResult> IngestAsync(string source, string recordType, string json, CancellationToken cancellationToken = default) =>
        (await IngestAsync([new IngestRecord(source, recordType, json)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Ingests records as one batch.</summary>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The results, in order.</returns>
    public async Task<IReadOnlyList<IngestResult>> IngestAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = await EventLink.IngestAsync(records, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < records.Count; i++)
        {
            Results.Add(results[i]);
            if (results[i].RecordId is { } id && !_records.ContainsKey((results[i].Source, id)))
            {
                _records[(results[i].Source, id)] = (records[i], results[i]);
            }
        }

        return results;
    }

    /// <summary>
    /// Ingests a file of payloads of one source and record type: a JSON object, a JSON array of objects, or JSON Lines.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="source">The source.</param>
    /// <param name="recordType">The record type.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The results, in order.</returns>
    public async Task<IReadOnlyList<IngestResult>> IngestFileAsync(string path, string source, string recordType, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return await IngestAsync(SplitPayloads(text).Select(json => new IngestRecord(source, recordType, json)).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts assertions about one record, by its source and source record id.</summary>
    /// <param name="source">The source.</param>
    /// <param name="recordId">The source's record id.</param>
    /// <returns>The assertions.</returns>
    public RecordAssertions Record(string source, string recordId) => new(this, source, recordId);

    /// <summary>Gets the profile holding an identity, failing with the list of profiles that exist when there is none.</summary>
    /// <param name="identityKind">The identity kind.</param>
    /// <param name="value">The raw value.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Assertions on the profile.</returns>
    public async Task<ProfileAssertions> ProfileAsync(string identityKind, string value, CancellationToken cancellationToken = default)
    {
        var profile = await EventLink.FindProfileAsync(identityKind, value, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            var text = new StringBuilder($"Expected a profile with {identityKind} '{value}', but there is none.").AppendLine();
            await AppendProfilesAsync(text, cancellationToken).ConfigureAwait(false);
            throw new EventLinkAssertionException(text.ToString());
        }

        return new ProfileAssertions(profile);
    }

    /// <summary>Asserts the exact timeline of a profile, each entry written <c>source/recordId</c>.</summary>
    /// <param name="identityKind">The identity kind finding the profile.</param>
    /// <param name="value">The raw identity value.</param>
    /// <param name="expected">The entries in order.</param>
    /// <returns>A task.</returns>
    public async Task TimelineShouldBeAsync(string identityKind, string value, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var profile = (await ProfileAsync(identityKind, value).ConfigureAwait(false)).Profile;
        var actual = new List<TimelineEvent>();
        await foreach (var e in EventLink.GetTimelineAsync(profile.Id).ConfigureAwait(false))
        {
            actual.Add(e);
        }

        var actualKeys = actual.Select(e => $"{e.Source}/{e.RecordId}").ToList();
        if (actualKeys.SequenceEqual(expected, StringComparer.Ordinal))
        {
            return;
        }

        var text = new StringBuilder($"The timeline of {identityKind} '{value}' differs from what was expected.").AppendLine();
        text.AppendLine(Diff.Table(expected, actualKeys, i => actual[i] is var e ? $"{e.OccurredAt:yyyy-MM-dd HH:mm} {e.EventName}" : string.Empty));
        var missing = expected.Except(actualKeys, StringComparer.Ordinal).ToList();
        foreach (var key in missing)
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                text.AppendLine().AppendLine($"Why {key} is not on this timeline:");
                text.Append(await ExplainAsync(key[..slash], key[(slash + 1)..]).ConfigureAwait(false));
            }
        }

        throw new EventLinkAssertionException(text.ToString());
    }

    /// <summary>Asserts the coverage of one record type.</summary>
    /// <param name="recordType">The record type.</param>
    /// <param name="linked">The expected number of linked records, when given.</param>
    /// <param name="quarantined">The expected number of quarantined records, when given.</param>
    /// <param name="rejected">The expected number of rejected records, when given.</param>
    /// <param name="distinctProfiles">The expected number of distinct profiles, when given.</param>
    /// <returns>A task.</returns>
    public async Task CoverageShouldBeAsync(string recordType, long? linked = null, long? quarantined = null, long? rejected = null, long? distinctProfiles = null)
    {
        var actual = (await EventLink.GetCoverageAsync().ConfigureAwait(false))[recordType];
        var problems = new List<string>();
        Check("linked", linked, actual.Linked);
        Check("quarantined", quarantined, actual.Quarantined);
        Check("rejected", rejected, actual.Rejected);
        Check("distinct profiles", distinctProfiles, actual.DistinctProfiles);
        if (problems.Count > 0)
        {
            throw new EventLinkAssertionException($"The coverage of '{recordType}' differs: {string.Join("; ", problems)}.{Environment.NewLine}Actual: {actual}");
        }

        void Check(string what, long? expected, long value)
        {
            if (expected is { } e && e != value)
            {
                problems.Add($"expected {e} {what}, found {value}");
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    internal bool TryGetIngested(string source, string recordId, out IngestRecord record, out IngestResult result)
    {
        var found = _records.TryGetValue((source, recordId), out var entry);
        record = entry.Record;
        result = entry.Result;
        return found;
    }

    internal async Task AppendProfilesAsync(StringBuilder text, CancellationToken cancellationToken = default)
    {
        var any = false;
        await foreach (var profile in EventLink.GetProfilesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!any)
            {
                text.AppendLine("Profiles that exist:");
                any = true;
            }

            text.AppendLine($"  {Describe(profile)}");
        }

        if (!any)
        {
            text.AppendLine("No profile exists.");
        }
    }

    internal static string Describe(Profile profile) =>
        $"{profile.Id} ({string.Join(", ", profile.Identities.Select(i => i.Key.ToString()))})";

    internal static IEnumerable<string> SplitPayloads(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            using var document = JsonDocument.Parse(trimmed);
            return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 && lines.All(l => l.StartsWith('{')) ? lines : [text];
    }
}
