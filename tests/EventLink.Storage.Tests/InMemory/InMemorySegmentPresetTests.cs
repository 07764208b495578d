namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the Segment preset suite as it is.
public sealed class InMemorySegmentPresetTests(InMemoryFixture fixture) : SegmentPresetContractTests<InMemoryFixture>(fixture);
