namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the preset suite as it is.
public sealed class SqlitePresetTests(SqliteFixture fixture) : PresetContractTests<SqliteFixture>(fixture);
