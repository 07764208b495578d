namespace EventLink.Storage.Compliance;

/// <summary>
/// Marks a suite (or one test) that exercises an optional <see cref="StoreCapabilities"/> value. When the fixture of
/// the enrolled class declares <c>public static StoreCapabilities Capabilities { get; }</c> without that capability,
/// the tests are skipped with a reason naming it; a fixture that declares nothing is taken to support every capability.
/// </summary>
/// <param name="capability">The capability the tests need.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequiresCapabilityAttribute(StoreCapabilities capability) : Attribute
{
    /// <summary>Gets the capability the tests need.</summary>
    public StoreCapabilities Capability { get; } = capability;
}
