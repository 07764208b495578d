namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the traits contract suite as it is.
public sealed class InMemoryTraitsTests(InMemoryFixture fixture) : TraitsContractTests<InMemoryFixture>(fixture);
