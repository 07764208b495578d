namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the shared data-quality suite as it is.
public sealed class InMemoryDataQualityTests(InMemoryFixture fixture) : DataQualityContractTests<InMemoryFixture>(fixture);
