using System.Text;
using Confluent.Kafka;
using EventLink.Presets;

namespace EventLink.Kafka.Internal;

/// <summary>Turns one Kafka message into the records to ingest: a preset's reading, or one record of a named type.</summary>
internal sealed class KafkaMessageReader(KafkaSourceOptions options)
{
    private readonly Dictionary<string, KafkaTopicOptions> _topics = options.Topics.ToDictionary(t => t.Topic, StringComparer.Ordinal);

    /// <summary>Where a message is, as it appears on rejection notes: <c>kafka:topic/partition@offset</c>.</summary>
    public static string OriginOf(TopicPartitionOffset position) =>
        FormattableString.Invariant($"kafka:{position.Topic}/{position.Partition.Value}@{position.Offset.Value}");

    /// <summary>Appends the message's records; returns how many, zero when a preset ignores the delivery.</summary>
    public int Read(ConsumeResult<byte[]?, byte[]?> message, List<IngestRecord> records)
    {
        var origin = OriginOf(message.TopicPartitionOffset);
        var value = message.Message.Value ?? [];
        if (!_topics.TryGetValue(message.Topic, out var topic))
        {
            // Subscribed by a pattern the options do not map: a configuration error the note makes visible.
            records.Add(new IngestRecord("kafka", string.Empty, value) { Origin = origin, ReadError = $"topic '{message.Topic}' is not mapped to a source" });
            return 1;
        }

        if (topic.Preset is { } preset)
        {
            var presetOptions = topic.PresetOptions ?? preset.CreateOptions();
            var read = preset.Read(value, presetOptions);
            switch (read.Status)
            {
                case PresetReadStatus.Read:
                    foreach (var record in read.Records)
                    {
                        records.Add(new IngestRecord(record.Source, record.RecordType, record.Utf8Payload) { Origin = origin });
                    }

                    return read.Records.Count;
                case PresetReadStatus.Ignored:
                    return 0;
                default:
                    records.Add(new IngestRecord(topic.Source, preset.Name, value) { Origin = origin, ReadError = $"{preset.DisplayName}: {read.Message}" });
                    return 1;
            }
        }

        var recordType = HeaderText(message.Message.Headers, options.RecordTypeHeader)
            ?? (topic.RecordTypeFromKey && message.Message.Key is { Length: > 0 } key ? Utf8(key) : null)
            ?? topic.RecordType;
        records.Add(recordType is null
            ? new IngestRecord(topic.Source, string.Empty, value) { Origin = origin, ReadError = $"the message names no record type (no '{options.RecordTypeHeader}' header{(topic.RecordTypeFromKey ? " or key" : string.Empty)})" }
            : new IngestRecord(topic.Source, recordType, value) { Origin = origin });
        return 1;
    }

    private static string? HeaderText(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is { Length: > 0 } ? Utf8(bytes) : null;

    private static string? Utf8(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
