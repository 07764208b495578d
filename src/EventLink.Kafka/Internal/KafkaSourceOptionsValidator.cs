using Microsoft.Extensions.Options;

namespace EventLink.Kafka.Internal;

internal sealed class KafkaSourceOptionsValidator : IValidateOptions<KafkaSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaSourceOptions options)
    {
        var errors = new List<string>();
        if (options.Topics.Count == 0)
        {
            errors.Add("KafkaSourceOptions.Topics is empty: add at least one topic with AddTopic.");
        }

        foreach (var group in options.Topics.GroupBy(t => t.Topic, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Kafka topic '{group.Key}' is mapped {group.Count()} times; map each topic once.");
        }

        foreach (var topic in options.Topics)
        {
            if (string.IsNullOrWhiteSpace(topic.Topic) || string.IsNullOrWhiteSpace(topic.Source))
            {
                errors.Add($"Kafka topic '{topic.Topic}' needs a topic name and a source.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.BootstrapServers) || string.IsNullOrWhiteSpace(options.GroupId) || string.IsNullOrWhiteSpace(options.RecordTypeHeader))
        {
            errors.Add("KafkaSourceOptions.BootstrapServers, GroupId and RecordTypeHeader must not be empty.");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            errors.Add($"KafkaSourceOptions.BatchSize must be between 1 and 100,000 (was {options.BatchSize}).");
        }

        if (options.Linger < TimeSpan.Zero)
        {
            errors.Add($"KafkaSourceOptions.Linger must not be negative (was {options.Linger}).");
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
        {
            errors.Add($"KafkaSourceOptions.RetryDelay must be positive and at most MaxRetryDelay (were {options.RetryDelay} and {options.MaxRetryDelay}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
