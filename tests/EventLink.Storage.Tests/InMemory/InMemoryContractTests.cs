namespace EventLink.Storage.Tests.InMemory;

// Empty on purpose: the in-memory store runs the shared contract suites as they are.
public sealed class InMemoryIngestionTests(InMemoryFixture fixture) : IngestionContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryIdempotencyTests(InMemoryFixture fixture) : IdempotencyContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryQuarantineTests(InMemoryFixture fixture) : QuarantineContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryTimelineTests(InMemoryFixture fixture) : TimelineContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryCoverageTests(InMemoryFixture fixture) : CoverageContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryBadInputTests(InMemoryFixture fixture) : BadInputContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryTenantTests(InMemoryFixture fixture) : TenantContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryOrderIndependenceTests(InMemoryFixture fixture) : OrderIndependenceContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryGraphPrimitivesTests(InMemoryFixture fixture) : GraphPrimitivesContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryIndexRefreshTests(InMemoryFixture fixture) : IndexRefreshContractTests<InMemoryFixture>(fixture);

public sealed class InMemoryFuzzTests(InMemoryFixture fixture) : FuzzContractTests<InMemoryFixture>(fixture);
public sealed class InMemoryIdentityNormalizationTests(InMemoryFixture fixture) : IdentityNormalizationContractTests<InMemoryFixture>(fixture);
