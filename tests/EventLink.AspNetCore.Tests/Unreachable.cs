namespace EventLink.AspNetCore.Tests;

/// <summary>A PostgreSQL server that is not there: port 1 on the loopback refuses at once.</summary>
public static class Unreachable
{
    public const string PostgreSql = "Host=127.0.0.1;Port=1;Username=eventlink;Password=eventlink;Database=eventlink;Timeout=3;Pooling=false";
}
