namespace EventLink.Storage.InMemory;

/// <summary>The data-quality data of one tenant.</summary>
internal sealed partial class InMemoryTenant
{
    public Dictionary<(string Source, string RecordType, string Key, QualityNoteKind Kind, string Rule), QualityNoteRow> QualityNotes { get; } = [];

    public Dictionary<(string Source, string RecordType, string Path, string JsonType), FieldObservationRow> FieldObservations { get; } = [];

    public Dictionary<(string Source, string RecordType, DateTimeOffset Hour), long> HourlyCounts { get; } = [];
}
