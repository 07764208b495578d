namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the traits contract suite as it is.
public sealed class PostgreSqlTraitsTests(PostgreSqlFixture fixture) : TraitsContractTests<PostgreSqlFixture>(fixture);
