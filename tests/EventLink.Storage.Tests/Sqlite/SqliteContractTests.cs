namespace EventLink.Storage.Tests;

// Empty on purpose: the Sqlite store runs the shared contract suites as they are; store-only tests live beside these.
public sealed class SqliteIngestionTests(SqliteFixture fixture) : IngestionContractTests<SqliteFixture>(fixture);

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyContractTests<SqliteFixture>(fixture);

public sealed class SqliteQuarantineTests(SqliteFixture fixture) : QuarantineContractTests<SqliteFixture>(fixture);

public sealed class SqliteTimelineTests(SqliteFixture fixture) : TimelineContractTests<SqliteFixture>(fixture);

public sealed class SqliteCoverageTests(SqliteFixture fixture) : CoverageContractTests<SqliteFixture>(fixture);

public sealed class SqliteBadInputTests(SqliteFixture fixture) : BadInputContractTests<SqliteFixture>(fixture);

public sealed class SqliteTenantTests(SqliteFixture fixture) : TenantContractTests<SqliteFixture>(fixture);

public sealed class SqliteOrderIndependenceTests(SqliteFixture fixture) : OrderIndependenceContractTests<SqliteFixture>(fixture);

public sealed class SqliteGraphPrimitivesTests(SqliteFixture fixture) : GraphPrimitivesContractTests<SqliteFixture>(fixture);

public sealed class SqliteIndexRefreshTests(SqliteFixture fixture) : IndexRefreshContractTests<SqliteFixture>(fixture);

public sealed class SqliteFuzzTests(SqliteFixture fixture) : FuzzContractTests<SqliteFixture>(fixture);
public sealed class SqliteIdentityNormalizationTests(SqliteFixture fixture) : IdentityNormalizationContractTests<SqliteFixture>(fixture);
