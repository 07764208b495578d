using EventLink.Storage;

namespace EventLink.Quality.Internal;

/// <summary>Turns stored field observations into the schema-drift report.</summary>
internal static class SchemaDriftAnalyzer
{
    public static SchemaDriftReport Analyze(IReadOnlyList<FieldObservationRow> rows, SchemaDriftOptions options, DateTimeOffset now)
    {
        var shapes = new List<RecordShape>();
        var changes = new List<SchemaChange>();
        foreach (var group in rows.GroupBy(r => (r.Source, r.RecordType)).OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.RecordType, StringComparer.Ordinal))
        {
            var (source, recordType) = group.Key;
            var record = group.FirstOrDefault(r => r.Path == ShapeTracker.RecordPath);
            if (record is null)
            {
                continue;
            }

            var fields = new List<FieldShape>();
            foreach (var field in group.Where(r => r.Path != ShapeTracker.RecordPath).GroupBy(r => r.Path).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var types = field.OrderBy(t => t.FirstSeen).ThenBy(t => t.JsonType, StringComparer.Ordinal)
                    .Select(t => new FieldTypeSeen(t.JsonType, t.Count, t.FirstSeen, t.LastSeen))
                    .ToList();
                fields.Add(new FieldShape(field.Key, types));
                Detect(source, recordType, field.Key, types, record, options, now, changes);
            }

            shapes.Add(new RecordShape(source, recordType, record.Count, record.FirstSeen, record.LastSeen, fields));
        }

        return new SchemaDriftReport(shapes, [.. changes.OrderBy(c => c.At).ThenBy(c => c.Source, StringComparer.Ordinal).ThenBy(c => c.RecordType, StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal)]);
    }

    private static void Detect(string source, string recordType, string path, List<FieldTypeSeen> types, FieldObservationRow record, SchemaDriftOptions options, DateTimeOffset now, List<SchemaChange> changes)
    {
        var first = types.Min(t => t.FirstSeen);
        var last = types.Max(t => t.LastSeen);
        if (first > record.FirstSeen)
        {
            var type = types[0].JsonType;
            changes.Add(new(SchemaChangeKind.NewField, source, recordType, path, first, null, type, null,
                $"{source}/{recordType}: new field '{path}' ({type}) first seen {first:O}"));
        }

        // A null now and then is absence of a value, not a change of type.
        var valued = types.Where(t => t.JsonType != "null").ToList();
        for (var i = 1; i < valued.Count; i++)
        {
            var to = valued[i];
            var from = valued.Take(i).Where(t => t.FirstSeen < to.FirstSeen).OrderByDescending(t => t.LastSeen).FirstOrDefault();
            if (from is null)
            {
                continue;
            }

            changes.Add(new(SchemaChangeKind.TypeChanged, source, recordType, path, to.FirstSeen, from.JsonType, to.JsonType, null,
                $"{source}/{recordType}: '{path}' changed from {from.JsonType} to {to.JsonType} at {to.FirstSeen:O} ({from.JsonType} last seen {from.LastSeen:O})"));
        }

        if (record.LastSeen - last >= options.StoppedAfter)
        {
            changes.Add(new(SchemaChangeKind.StoppedArriving, source, recordType, path, now, null, null, last,
                $"{source}/{recordType}: '{path}' stopped arriving: last seen {last:O}, while records kept arriving until {record.LastSeen:O}"));
        }
    }
}
