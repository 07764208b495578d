namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the cross-tool preset suite as it is.
public sealed class InMemoryCrossToolPresetTests(InMemoryFixture fixture) : CrossToolPresetContractTests<InMemoryFixture>(fixture);
