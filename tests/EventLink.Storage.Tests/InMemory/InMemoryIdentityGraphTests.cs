namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the shared identity graph suite, on the in-memory store.
public sealed class InMemoryIdentityGraphTests(InMemoryFixture fixture) : IdentityGraphContractTests<InMemoryFixture>(fixture);
