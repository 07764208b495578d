namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the audience contract suite as it is.
public sealed class SqliteAudienceTests(SqliteFixture fixture) : AudienceContractTests<SqliteFixture>(fixture);
