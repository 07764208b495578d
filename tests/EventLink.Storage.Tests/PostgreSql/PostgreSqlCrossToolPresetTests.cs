namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the cross-tool preset suite as it is.
public sealed class PostgreSqlCrossToolPresetTests(PostgreSqlFixture fixture) : CrossToolPresetContractTests<PostgreSqlFixture>(fixture);
