namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the shared data-quality suite as it is.
public sealed class PostgreSqlDataQualityTests(PostgreSqlFixture fixture) : DataQualityContractTests<PostgreSqlFixture>(fixture);
