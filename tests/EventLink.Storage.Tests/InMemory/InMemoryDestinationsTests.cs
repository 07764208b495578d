namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the InMemory store runs the destinations and erasure contract suites as they are.
public sealed class InMemoryDestinationsTests(InMemoryFixture fixture) : DestinationsContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryErasureTests(InMemoryFixture fixture) : ErasureContractTests<InMemoryFixture>(fixture);
