namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the Segment preset suite as it is.
public sealed class PostgreSqlSegmentPresetTests(PostgreSqlFixture fixture) : SegmentPresetContractTests<PostgreSqlFixture>(fixture);
