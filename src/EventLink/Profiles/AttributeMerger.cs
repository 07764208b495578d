using System.Text.Json;
using EventLink.Storage;

namespace EventLink;

/// <summary>
/// Computes a profile's merged attributes from the stored versions of its merged source records. The result
/// depends only on that set of records, never on the order they arrived in.
/// </summary>
internal static class AttributeMerger
{
    public static List<AttributeRow> Merge(EventLinkSchema schema, IEnumerable<SourceRecordRow> records)
    {
        var candidates = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!schema.TryGetRecordType(record.RecordType, out var type) || type.Kind != RecordKind.Merged)
            {
                continue;
            }

            using var document = JsonDocument.Parse(record.PayloadJson);
            foreach (var (name, valueJson) in Extract(type, document.RootElement))
            {
                if (!candidates.TryGetValue(name, out var list))
                {
                    list = [];
                    candidates[name] = list;
                }

                list.Add(new Candidate(record, valueJson));
            }
        }

        var result = new List<AttributeRow>(candidates.Count);
        foreach (var (name, list) in candidates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var rule = schema.GetMergeRule(name);
            var winner = list[0];
            for (var i = 1; i < list.Count; i++)
            {
                if (Beats(rule, list[i], winner))
                {
                    winner = list[i];
                }
            }

            var r = winner.Record;
            result.Add(new AttributeRow(name, winner.ValueJson, r.Source, r.RecordType, r.RecordId, r.OccurredAt));
        }

        return result;
    }

    /// <summary>
    /// The attributes of a profile that holds one merged record, as <see cref="Merge(EventLinkSchema, IEnumerable{SourceRecordRow})"/>
    /// gives them, from the record's payload already parsed (<paramref name="root"/>) rather than parsed again.
    /// </summary>
    public static List<AttributeRow> Merge(EventLinkSchema schema, SourceRecordRow record, JsonElement root)
    {
        if (!schema.TryGetRecordType(record.RecordType, out var type) || type.Kind != RecordKind.Merged)
        {
            return [];
        }

        // One record: each name has one candidate, which wins.
        var values = Extract(type, root);
        var result = new List<AttributeRow>(values.Count);
        foreach (var (name, valueJson) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result.Add(new AttributeRow(name, valueJson, record.Source, record.RecordType, record.RecordId, record.OccurredAt));
        }

        return result;
    }

    /// <summary>
    /// The longest field name taken as an attribute when a record type takes all its fields: a name is a key of the
    /// attributes table, and an index entry has a size limit (about 2.7 kB on PostgreSQL), which a sender must not reach.
    /// </summary>
    public const int MaxFieldNameLength = 200;

    /// <summary>The non-empty attribute values one merged record contributes, by name (field names over <see cref="MaxFieldNameLength"/> characters are not attributes).</summary>
    public static Dictionary<string, string> Extract(RecordType type, JsonElement root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (type.IncludeAllFields)
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!IsEmpty(property.Value) && property.Name.Length <= MaxFieldNameLength)
                {
                    values[property.Name] = property.Value.GetRawText();
                }
            }
        }

        foreach (var path in type.AttributeObjects)
        {
            if (path.TrySelect(root, out var container) && container.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in container.EnumerateObject())
                {
                    if (!IsEmpty(property.Value) && property.Name.Length <= MaxFieldNameLength)
                    {
                        values[property.Name] = property.Value.GetRawText();
                    }
                }
            }
        }

        foreach (var attribute in type.Attributes)
        {
            if (attribute.Field.TrySelect(root, out var value) && !IsEmpty(value))
            {
                values[attribute.Name] = value.GetRawText();
            }
        }

        return values;
    }

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()),
        _ => false,
    };

    /// <summary>Whether <paramref name="challenger"/> wins over <paramref name="holder"/> under the rule; ties go to the smaller (source, record type, record id).</summary>
    private static bool Beats(MergeRule rule, Candidate challenger, Candidate holder)
    {
        var a = challenger.Record;
        var b = holder.Record;
        if (rule.Kind == MergeRuleKind.SourcePriority)
        {
            var rankA = Rank(rule, a.Source);
            var rankB = Rank(rule, b.Source);
            if (rankA != rankB)
            {
                return rankA < rankB;
            }
        }

        var byTime = a.OccurredAt.CompareTo(b.OccurredAt);
        if (byTime != 0)
        {
            return rule.Kind == MergeRuleKind.FirstNonEmpty ? byTime < 0 : byTime > 0;
        }

        var tie = string.CompareOrdinal(a.Source, b.Source);
        if (tie == 0)
        {
            tie = string.CompareOrdinal(a.RecordType, b.RecordType);
        }

        if (tie == 0)
        {
            tie = string.CompareOrdinal(a.RecordId, b.RecordId);
        }

        return tie < 0;
    }

    private static int Rank(MergeRule rule, string source)
    {
        for (var i = 0; i < rule.Sources.Count; i++)
        {
            if (string.Equals(rule.Sources[i], source, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return rule.Sources.Count;
    }

    private readonly record struct Candidate(SourceRecordRow Record, string ValueJson);
}
