namespace EventLink.Storage.Tests;

// Empty on purpose: the Sqlite store runs the destinations and erasure contract suites as they are.
public sealed class SqliteDestinationsTests(SqliteFixture fixture) : DestinationsContractTests<SqliteFixture>(fixture);

public sealed class SqliteErasureTests(SqliteFixture fixture) : ErasureContractTests<SqliteFixture>(fixture);
