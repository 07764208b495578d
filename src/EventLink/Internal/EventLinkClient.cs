using System.Runtime.CompilerServices;
using EventLink.Storage;

namespace EventLink.Internal;

/// <summary>The <see cref="IEventLink"/> implementation: resolves the tenant of each call and delegates to the engine.</summary>
internal sealed partial class EventLinkClient : IEventLink, IDisposable
{
    private readonly EventLinkCore _core;
    private readonly ITenantAccessor? _tenantAccessor;
    private readonly string? _fixedTenant;
    private readonly IAsyncDisposable? _owned;

    public EventLinkClient(EventLinkCore core, ITenantAccessor? tenantAccessor, string? fixedTenant = null, IAsyncDisposable? owned = null)
    {
        _core = core;
        _tenantAccessor = tenantAccessor;
        _fixedTenant = fixedTenant;
        _owned = owned;
    }

    public EventLinkSchema Schema => _core.Schema;

    public string Tenant
    {
        get
        {
            if (_fixedTenant is { } fixedTenant)
            {
                return fixedTenant;
            }

            // The accessor's tenant often comes from a request (a header, a host name): checked on every call.
            var tenant = _tenantAccessor?.CurrentTenant;
            return string.IsNullOrWhiteSpace(tenant) ? _core.Options.DefaultTenant : Names.Tenant(tenant, nameof(ITenantAccessor.CurrentTenant));
        }
    }

    public IEventLink ForTenant(string tenant)
    {
        return new EventLinkClient(_core, null, Names.Tenant(tenant, nameof(tenant)));
    }

    public async ValueTask<IngestResult> IngestAsync(IngestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var results = await _core.Ingestion.IngestAsync(Tenant, [record], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    public async ValueTask<IReadOnlyList<IngestResult>> IngestAsync(IEnumerable<IngestRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var list = records as IReadOnlyList<IngestRecord> ?? records.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        return await _core.Ingestion.IngestAsync(Tenant, list, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<IngestResult> IngestAsync(IAsyncEnumerable<IngestRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tenant = Tenant;
        var batch = new List<IngestRecord>(_core.Options.BatchSize);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(record);
            if (batch.Count >= _core.Options.BatchSize)
            {
                foreach (var result in await _core.Ingestion.IngestAsync(tenant, batch, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }

                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            foreach (var result in await _core.Ingestion.IngestAsync(tenant, batch, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    public ValueTask<Profile?> GetProfileAsync(Guid profileId, CancellationToken cancellationToken = default) =>
        _core.Profiles.GetProfileAsync(Tenant, profileId, cancellationToken);

    public ValueTask<Profile?> FindProfileAsync(string identityKind, string value, CancellationToken cancellationToken = default) =>
        _core.Profiles.FindProfileAsync(Tenant, identityKind, value, cancellationToken);

    public IAsyncEnumerable<Profile> GetProfilesAsync(CancellationToken cancellationToken = default) =>
        _core.Profiles.GetProfilesAsync(Tenant, cancellationToken);

    public IAsyncEnumerable<TimelineEvent> GetTimelineAsync(Guid profileId, TimelineQuery? query = null, CancellationToken cancellationToken = default) =>
        _core.Timeline.GetTimelineAsync(Tenant, profileId, query, cancellationToken);

    public IAsyncEnumerable<QuarantinedRecord> GetQuarantineAsync(string? recordType = null, CancellationToken cancellationToken = default) =>
        _core.Quarantine.GetQuarantineAsync(Tenant, recordType, cancellationToken);

    public ValueTask<QuarantineReplayResult> ReplayQuarantineAsync(string? recordType = null, CancellationToken cancellationToken = default) =>
        _core.Quarantine.ReplayQuarantineAsync(Tenant, recordType, cancellationToken);

    public IAsyncEnumerable<RejectedRecord> GetRejectionsAsync(CancellationToken cancellationToken = default) =>
        _core.Quarantine.GetRejectionsAsync(Tenant, cancellationToken)
            .Select(r => new RejectedRecord(r.Source, r.RecordType, r.Key, r.Reason, r.Message, r.RejectedAt));

    public ValueTask<CoverageReport> GetCoverageAsync(CancellationToken cancellationToken = default) =>
        _core.Coverage.GetCoverageAsync(Tenant, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_owned is IDisposable owned)
        {
            owned.Dispose();
        }
        else if (_owned is not null)
        {
            _owned.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
