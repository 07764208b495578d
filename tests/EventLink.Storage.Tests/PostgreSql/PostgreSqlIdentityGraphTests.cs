namespace EventLink.Storage.Tests;

// Empty on purpose: the shared identity graph suite, on the PostgreSQL store.
public sealed class PostgreSqlIdentityGraphTests(PostgreSqlFixture fixture) : IdentityGraphContractTests<PostgreSqlFixture>(fixture);
