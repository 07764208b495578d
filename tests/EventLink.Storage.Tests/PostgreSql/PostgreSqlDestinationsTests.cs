namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSql store runs the destinations and erasure contract suites as they are.
public sealed class PostgreSqlDestinationsTests(PostgreSqlFixture fixture) : DestinationsContractTests<PostgreSqlFixture>(fixture);

public sealed class PostgreSqlErasureTests(PostgreSqlFixture fixture) : ErasureContractTests<PostgreSqlFixture>(fixture);
