namespace EventLink.Internal;

/// <summary>Per-tenant operations on the current tenant.</summary>
internal sealed partial class EventLinkClient
{
    public ValueTask<TenantErasureResult> EraseTenantAsync(CancellationToken cancellationToken = default) =>
        _core.Tenants.EraseTenantAsync(Tenant, cancellationToken);

    public IAsyncEnumerable<string> ExportTenantAsync(CancellationToken cancellationToken = default) =>
        _core.Tenants.ExportTenantAsync(Tenant, cancellationToken);

    public async ValueTask<long> ExportTenantAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The destination stream is not writable.", nameof(destination));
        }

        var writer = new StreamWriter(destination, new System.Text.UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        await using (writer.ConfigureAwait(false))
        {
            long lines = 0;
            await foreach (var line in _core.Tenants.ExportTenantAsync(Tenant, cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                lines++;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return lines;
        }
    }
}
