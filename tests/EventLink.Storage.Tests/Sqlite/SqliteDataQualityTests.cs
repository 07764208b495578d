namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the shared data-quality suite as it is.
public sealed class SqliteDataQualityTests(SqliteFixture fixture) : DataQualityContractTests<SqliteFixture>(fixture);
