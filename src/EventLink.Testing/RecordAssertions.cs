using System.Text;

namespace EventLink.Testing;

/// <summary>Assertions about one ingested record.</summary>
public sealed class RecordAssertions
{
    private readonly EventLinkTestHost _host;
    private readonly string _source;
    private readonly string _recordId;

    internal RecordAssertions(EventLinkTestHost host, string source, string recordId)
    {
        _host = host;
        _source = source;
        _recordId = recordId;
    }

    /// <summary>Asserts the record belongs (now) to the profile holding an identity.</summary>
    /// <param name="identityKind">The identity kind.</param>
    /// <param name="value">The raw identity value.</param>
    /// <returns>A task.</returns>
    public async Task ShouldBeLinkedToAsync(string identityKind, string value)
    {
        var result = Result();
        var expected = await _host.EventLink.FindProfileAsync(identityKind, value).ConfigureAwait(false);
        var actual = result.ProfileId is { } id ? await _host.EventLink.GetProfileAsync(id).ConfigureAwait(false) : null;
        if (await IsLinkedNowAsync(expected).ConfigureAwait(false))
        {
            return;
        }

        var text = new StringBuilder($"Expected {_source}/{_recordId} to be linked to the profile with {identityKind} '{value}'");
        text.Append(expected is null ? ", but no profile has that identity." : $" ({EventLinkTestHost.Describe(expected)}), ");
        if (expected is not null)
        {
            text.Append(actual is null ? $"but it is {result.Outcome}." : $"but it is on {EventLinkTestHost.Describe(actual)}.");
        }

        await FailAsync(text).ConfigureAwait(false);
    }

    /// <summary>Asserts the record is in quarantine, optionally for a given reason.</summary>
    /// <param name="reason">The expected reason, when given.</param>
    /// <returns>A task.</returns>
    public async Task ShouldBeQuarantinedAsync(IngestReason? reason = null)
    {
        Result();
        QuarantinedRecord? found = null;
        await foreach (var q in _host.EventLink.GetQuarantineAsync().ConfigureAwait(false))
        {
            if (q.Source == _source && q.RecordId == _recordId)
            {
                found = q;
            }
        }

        if (found is not null && (reason is null || found.Reason == reason))
        {
            return;
        }

        var text = new StringBuilder($"Expected {_source}/{_recordId} to be quarantined{(reason is null ? string.Empty : $" ({reason})")}, ");
        text.Append(found is null ? "but it is not in quarantine." : $"but its reason is {found.Reason}: {found.Message}");
        await FailAsync(text).ConfigureAwait(false);
    }

    /// <summary>Asserts the record was rejected, optionally for a given reason.</summary>
    /// <param name="reason">The expected reason, when given.</param>
    /// <returns>A task.</returns>
    public Task ShouldBeRejectedAsync(IngestReason? reason = null)
    {
        var result = Result();
        if (result.Outcome == IngestOutcome.Rejected && (reason is null || result.Reason == reason))
        {
            return Task.CompletedTask;
        }

        return FailAsync(new StringBuilder($"Expected {_source}/{_recordId} to be rejected{(reason is null ? string.Empty : $" ({reason})")}, but it was {result.Outcome}{(result.Reason == IngestReason.None ? string.Empty : $" ({result.Reason})")}."));
    }

    /// <summary>Asserts the outcome of the record's first ingest.</summary>
    /// <param name="outcome">The expected outcome.</param>
    /// <returns>A task.</returns>
    public Task ShouldHaveOutcomeAsync(IngestOutcome outcome)
    {
        var result = Result();
        return result.Outcome == outcome
            ? Task.CompletedTask
            : FailAsync(new StringBuilder($"Expected {_source}/{_recordId} to be {outcome}, but it was {result.Outcome}."));
    }

    private IngestResult Result()
    {
        if (!_host.TryGetIngested(_source, _recordId, out _, out var result))
        {
            var known = string.Join(", ", _host.Results.Where(r => r.RecordId is not null).Select(r => $"{r.Source}/{r.RecordId}").Distinct().Take(20));
            throw new EventLinkAssertionException($"No record {_source}/{_recordId} was ingested through this host. Ingested: {(known.Length == 0 ? "nothing" : known)}.");
        }

        return result;
    }

    private async Task<bool> IsLinkedNowAsync(Profile? expected)
    {
        if (expected is null)
        {
            return false;
        }

        await foreach (var e in _host.EventLink.GetTimelineAsync(expected.Id).ConfigureAwait(false))
        {
            if (e.Source == _source && e.RecordId == _recordId)
            {
                return true;
            }
        }

        return expected.Records.Any(r => r.Source == _source && r.RecordId == _recordId);
    }

    private async Task FailAsync(StringBuilder text)
    {
        text.AppendLine().AppendLine($"Why {_source}/{_recordId} is where it is:");
        text.Append(await _host.ExplainAsync(_source, _recordId).ConfigureAwait(false));
        throw new EventLinkAssertionException(text.ToString().TrimEnd());
    }
}
