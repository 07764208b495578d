namespace EventLink.Storage.Tests;

// Empty on purpose: the shared identity graph suite, on the SQLite store.
public sealed class SqliteIdentityGraphTests(SqliteFixture fixture) : IdentityGraphContractTests<SqliteFixture>(fixture);
