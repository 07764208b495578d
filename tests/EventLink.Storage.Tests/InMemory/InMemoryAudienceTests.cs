namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the audience contract suite as it is.
public sealed class InMemoryAudienceTests(InMemoryFixture fixture) : AudienceContractTests<InMemoryFixture>(fixture);
