namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the preset suite as it is.
public sealed class PostgreSqlPresetTests(PostgreSqlFixture fixture) : PresetContractTests<PostgreSqlFixture>(fixture);
