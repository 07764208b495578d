namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSql store runs the shared contract suites as they are; store-only tests live beside these.
public sealed class PostgreSqlIngestionTests(PostgreSqlFixture fixture) : IngestionContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlIdempotencyTests(PostgreSqlFixture fixture) : IdempotencyContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlQuarantineTests(PostgreSqlFixture fixture) : QuarantineContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlTimelineTests(PostgreSqlFixture fixture) : TimelineContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlCoverageTests(PostgreSqlFixture fixture) : CoverageContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlBadInputTests(PostgreSqlFixture fixture) : BadInputContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlTenantTests(PostgreSqlFixture fixture) : TenantContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlOrderIndependenceTests(PostgreSqlFixture fixture) : OrderIndependenceContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlGraphPrimitivesTests(PostgreSqlFixture fixture) : GraphPrimitivesContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlFuzzTests(PostgreSqlFixture fixture) : FuzzContractTests<PostgreSqlFixture>(fixture);
public sealed class PostgreSqlIdentityNormalizationTests(PostgreSqlFixture fixture) : IdentityNormalizationContractTests<PostgreSqlFixture>(fixture);
