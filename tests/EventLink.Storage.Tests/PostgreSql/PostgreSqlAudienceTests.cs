namespace EventLink.Storage.Tests;

// Empty on purpose: the PostgreSQL store runs the audience contract suite as it is.
public sealed class PostgreSqlAudienceTests(PostgreSqlFixture fixture) : AudienceContractTests<PostgreSqlFixture>(fixture);
