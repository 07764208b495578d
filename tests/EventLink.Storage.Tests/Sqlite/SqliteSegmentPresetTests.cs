namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the Segment preset suite as it is.
public sealed class SqliteSegmentPresetTests(SqliteFixture fixture) : SegmentPresetContractTests<SqliteFixture>(fixture);
