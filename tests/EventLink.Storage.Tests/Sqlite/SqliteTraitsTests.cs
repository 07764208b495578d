namespace EventLink.Storage.Tests;

// Empty on purpose: the SQLite store runs the traits contract suite as it is.
public sealed class SqliteTraitsTests(SqliteFixture fixture) : TraitsContractTests<SqliteFixture>(fixture);
