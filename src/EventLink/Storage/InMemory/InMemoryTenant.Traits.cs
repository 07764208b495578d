namespace EventLink.Storage.InMemory;

/// <summary>Computed traits, audience memberships and the trigger log of one tenant.</summary>
internal sealed partial class InMemoryTenant
{
    public Dictionary<Guid, ComputedStateRow> Computed { get; } = [];

    public List<TriggerRow> Triggers { get; } = [];

    public long NextTriggerSequence { get; set; } = 1;
}
