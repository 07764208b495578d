namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the cross-tool preset suite as it is.
public sealed class SqliteCrossToolPresetTests(SqliteFixture fixture) : CrossToolPresetContractTests<SqliteFixture>(fixture);
