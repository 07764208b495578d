using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Testing;

/// <summary>
/// Runs a schema against a folder of sample payloads before any production data flows, and reports per record
/// type what would go wrong: selectors that find nothing, relation fields that never match, blocked identities.
/// </summary>
/// <remarks>
/// Each file holds payloads of one source and record type, named <c>&lt;source&gt;.&lt;record type&gt;.json</c>
/// (or <c>.jsonl</c>), or placed as <c>&lt;source&gt;/&lt;record type&gt;.json</c>; a file holds one JSON object,
/// an array of objects, or JSON Lines. Everything is ingested into an in-memory EventLink built from the schema,
/// merged record types first, so relations are judged against every profile the samples create.
/// </remarks>
public static class SchemaCheck
{
    /// <summary>Checks a schema registration against a folder of sample payloads.</summary>
    /// <param name="register">Registers services; it should call <c>services.AddEventLink(…)</c>, as your host does.</param>
    /// <param name="folder">The folder of sample payloads.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static async Task<SchemaCheckReport> RunAsync(Action<IServiceCollection> register, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The sample folder '{folder}' does not exist.");
        }

        await using var host = EventLinkTestHost.Create(register);
        var schema = host.EventLink.Schema;
        var samples = ReadSamples(folder).ToList();
        var checks = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        var unknownFiles = new List<string>();

        // Merged types first: relations are judged against every profile the samples can create.
        foreach (var (file, source, recordType, payloads) in samples.OrderBy(s => schema.TryGetRecordType(s.RecordType, out var t) && t.Kind == RecordKind.Merged ? 0 : 1))
        {
            if (!schema.TryGetRecordType(recordType, out var type))
            {
                unknownFiles.Add($"{Path.GetRelativePath(folder, file)}: record type '{recordType}' is not in the schema");
                continue;
            }

            var check = Get(checks, recordType);
            var results = await host.IngestAsync(payloads.Select(p => new IngestRecord(source, recordType, p)).ToList(), cancellationToken).ConfigureAwait(false);
            check.Payloads += payloads.Count;
            foreach (var result in results)
            {
                check.Outcomes[result.Outcome] = check.Outcomes.GetValueOrDefault(result.Outcome) + 1;
                if (result.Outcome == IngestOutcome.Rejected)
                {
                    check.AddProblem($"rejected: {result.Message}");
                }
            }

            foreach (var payload in payloads)
            {
                InspectFields(schema, type, payload, check);
            }
        }

        // Now that every profile exists, see which relation values match one.
        foreach (var (_, source, recordType, payloads) in samples)
        {
            if (!schema.TryGetRecordType(recordType, out var type) || type.Kind != RecordKind.AppendOnly)
            {
                continue;
            }

            var check = Get(checks, recordType);
            foreach (var payload in payloads)
            {
                await CountMatchesAsync(host.EventLink, type, payload, check).ConfigureAwait(false);
            }
        }

        var entries = schema.RecordTypes.Keys.Order(StringComparer.Ordinal)
            .Select(name => checks.TryGetValue(name, out var c) ? c.ToEntry(name) : new RecordTypeCheck(name, 0, new Dictionary<IngestOutcome, int>(), [], ["no sample payloads"]))
            .ToList();
        return new SchemaCheckReport(entries, unknownFiles);
    }

    private static void InspectFields(EventLinkSchema schema, RecordType type, string payload, Accumulator check)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var fields = type.Kind == RecordKind.AppendOnly
                ? type.Relations.Select(r => (Label: $"relation '{r.Field}'", r.Field, Kind: r.IdentityKind.Name))
                : type.Identities.Select(i => (Label: $"identity '{i.Field}'", i.Field, Kind: i.Kind.Name));
            foreach (var (label, field, kind) in fields)
            {
                var stats = check.Field(label);
                if (!field.TrySelect(document.RootElement, out var value))
                {
                    stats.Missing++;
                    continue;
                }

                foreach (var raw in Values(value))
                {
                    if (schema.TryNormalize(kind, raw, out _))
                    {
                        stats.Usable++;
                    }
                    else
                    {
                        stats.Unusable++;
                        stats.Examples.Add(raw);
                    }
                }
            }

            if (type.EventName is { } eventName && !eventName.TrySelect(document.RootElement, out _))
            {
                check.AddProblem($"event-name selector '{eventName}' found nothing (the record type's name is used)");
            }
        }
    }

    private static async Task CountMatchesAsync(IEventLink link, RecordType type, string payload, Accumulator check)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var relation in type.Relations)
            {
                if (relation.Field.TrySelect(document.RootElement, out var value))
                {
                    foreach (var raw in Values(value))
                    {
                        if (link.Schema.TryNormalize(relation.IdentityKind.Name, raw, out _) &&
                            await link.FindProfileAsync(relation.IdentityKind.Name, raw).ConfigureAwait(false) is not null)
                        {
                            check.Field($"relation '{relation.Field}'").Matched++;
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Values(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Number => [value.GetRawText()],
        JsonValueKind.Array => value.EnumerateArray().SelectMany(Values).ToList(),
        _ => [value.GetRawText()],
    };

    private static IEnumerable<(string File, string Source, string RecordType, List<string> Payloads)> ReadSamples(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(file);
            if (extension is not (".json" or ".jsonl"))
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(file);
            var relative = Path.GetRelativePath(folder, file);
            var directory = Path.GetDirectoryName(relative);
            string source, recordType;
            if (name.Contains('.', StringComparison.Ordinal))
            {
                source = name[..name.IndexOf('.', StringComparison.Ordinal)];
                recordType = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
            }
            else if (!string.IsNullOrEmpty(directory))
            {
                source = Path.GetFileName(directory);
                recordType = name;
            }
            else
            {
                continue;
            }

            yield return (file, source, recordType, EventLinkTestHost.SplitPayloads(File.ReadAllText(file)).ToList());
        }
    }

    private static Accumulator Get(Dictionary<string, Accumulator> checks, string recordType)
    {
        if (!checks.TryGetValue(recordType, out var check))
        {
            check = new Accumulator();
            checks[recordType] = check;
        }

        return check;
    }

    private sealed class Accumulator
    {
        private readonly Dictionary<string, FieldAccumulator> _fields = new(StringComparer.Ordinal);
        private readonly List<string> _problems = [];

        public int Payloads { get; set; }

        public Dictionary<IngestOutcome, int> Outcomes { get; } = [];

        public FieldAccumulator Field(string label)
        {
            if (!_fields.TryGetValue(label, out var field))
            {
                field = new FieldAccumulator();
                _fields[label] = field;
            }

            return field;
        }

        public void AddProblem(string problem)
        {
            if (!_problems.Contains(problem))
            {
                _problems.Add(problem);
            }
        }

        public RecordTypeCheck ToEntry(string recordType)
        {
            var problems = new List<string>(_problems);
            var fields = new List<FieldCheck>();
            foreach (var (label, f) in _fields)
            {
                var relation = label.StartsWith("relation", StringComparison.Ordinal);
                fields.Add(new FieldCheck(label, f.Missing, f.Usable, f.Unusable, relation ? f.Matched : null, f.Examples.Distinct().Take(3).ToList()));
                if (f.Usable == 0)
                {
                    problems.Add($"{label} found no usable value in any payload ({f.Missing} missing, {f.Unusable} malformed or blocked)");
                }
                else if (relation && f.Matched == 0)
                {
                    problems.Add($"{label} never matched a profile ({f.Usable} usable values)");
                }

                if (f.Unusable > 0)
                {
                    problems.Add($"{label}: {f.Unusable} value(s) malformed or blocked, e.g. {string.Join(", ", f.Examples.Distinct().Take(3).Select(e => $"'{e}'"))}");
                }
            }

            return new RecordTypeCheck(recordType, Payloads, Outcomes, fields, problems);
        }
    }

    private sealed class FieldAccumulator
    {
        public int Missing { get; set; }

        public int Usable { get; set; }

        public int Unusable { get; set; }

        public int Matched { get; set; }

        public List<string> Examples { get; } = [];
    }
}

/// <summary>The result of <see cref="SchemaCheck.RunAsync"/>.</summary>
/// <param name="RecordTypes">One entry per record type of the schema, ordered by name.</param>
/// <param name="UnknownFiles">Sample files whose record type is not in the schema.</param>
public sealed record SchemaCheckReport(IReadOnlyList<RecordTypeCheck> RecordTypes, IReadOnlyList<string> UnknownFiles)
{
    /// <summary>Gets whether nothing was found wrong.</summary>
    public bool IsClean => UnknownFiles.Count == 0 && RecordTypes.All(r => r.Problems.Count == 0);

    /// <summary>Gets the entry of one record type.</summary>
    /// <param name="recordType">The record type.</param>
    /// <returns>The entry.</returns>
    public RecordTypeCheck this[string recordType] => RecordTypes.First(r => r.RecordType == recordType);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var entry in RecordTypes)
        {
            var outcomes = string.Join(", ", entry.Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key}"));
            text.AppendLine($"{entry.RecordType}: {entry.Payloads} payload(s){(outcomes.Length > 0 ? $" — {outcomes}" : string.Empty)}");
            foreach (var problem in entry.Problems)
            {
                text.AppendLine($"  ! {problem}");
            }
        }

        foreach (var file in UnknownFiles)
        {
            text.AppendLine($"! {file}");
        }

        return text.ToString();
    }
}

/// <summary>What the samples of one record type revealed.</summary>
/// <param name="RecordType">The record type.</param>
/// <param name="Payloads">How many sample payloads it had.</param>
/// <param name="Outcomes">How many samples ended in each outcome.</param>
/// <param name="Fields">Per identity or relation field: how often it was missing, usable, unusable, and (relations) matched.</param>
/// <param name="Problems">Readable findings; empty when all is well.</param>
public sealed record RecordTypeCheck(
    string RecordType,
    int Payloads,
    IReadOnlyDictionary<IngestOutcome, int> Outcomes,
    IReadOnlyList<FieldCheck> Fields,
    IReadOnlyList<string> Problems);

/// <summary>How one identity or relation field fared across the samples.</summary>
/// <param name="Field">The field, such as <c>relation 'customer_email'</c>.</param>
/// <param name="Missing">Payloads where the selector found nothing.</param>
/// <param name="Usable">Values that are usable identities.</param>
/// <param name="Unusable">Values that are malformed or blocked.</param>
/// <param name="Matched">For relations: usable values that match a profile; <see langword="null"/> for identity fields.</param>
/// <param name="UnusableExamples">Up to three unusable values.</param>
public sealed record FieldCheck(string Field, int Missing, int Usable, int Unusable, int? Matched, IReadOnlyList<string> UnusableExamples);
