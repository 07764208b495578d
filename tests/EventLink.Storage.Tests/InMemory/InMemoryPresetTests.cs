namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the preset suite as it is.
public sealed class InMemoryPresetTests(InMemoryFixture fixture) : PresetContractTests<InMemoryFixture>(fixture);
