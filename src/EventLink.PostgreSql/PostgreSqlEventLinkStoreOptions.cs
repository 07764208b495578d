using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventLink.PostgreSql;

/// <summary>Options of the <see cref="PostgreSqlEventLinkStore"/>: where the database is and which schema holds the tables.</summary>
public sealed class PostgreSqlEventLinkStoreOptions
{
    /// <summary>The default <see cref="Schema"/>.</summary>
    public const string DefaultSchema = "eventlink";

    /// <summary>
    /// Gets or sets the Npgsql connection string, such as <c>Host=localhost;Username=app;Password=…;Database=app</c>.
    /// Ignored when <see cref="DataSource"/> is set.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the store uses <see cref="DataSource"/> (or, through dependency injection, the registered <see cref="NpgsqlDataSource"/>).</value>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the data source the store opens its connections from. The store does not dispose it; a data
    /// source the store builds from <see cref="ConnectionString"/> is disposed with the store.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// Gets or sets the PostgreSQL schema holding the store's tables; it is created on first use. Several stores
    /// (or applications) can share a database by using different schemas.
    /// </summary>
    /// <value>The default value is <c>eventlink</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,62}$", ErrorMessage = "The schema must be a plain PostgreSQL identifier: a letter or underscore, then letters, digits or underscores (at most 63).")]
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Gets or sets the smallest batch of events inserted with binary <c>COPY</c>; smaller batches use one
    /// prepared <c>INSERT</c> per event, which costs fewer round trips for a handful of rows.
    /// </summary>
    /// <value>The default value is 4.</value>
    [Range(1, int.MaxValue)]
    public int BulkInsertThreshold { get; set; } = 4;

    internal List<string> GetErrors()
    {
        // The validator is generated at compile time (no reflection), so the check holds in trimmed and AOT applications.
        var result = new PostgreSqlEventLinkStoreOptionsValidator().Validate(null, this);
        var errors = result.Failed ? result.Failures.ToList() : [];
        if (DataSource is null && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("PostgreSqlEventLinkStoreOptions needs a ConnectionString or a DataSource.");
        }

        return errors;
    }

    internal void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), "options");
        }
    }
}

/// <summary>Checks the data-annotation rules of <see cref="PostgreSqlEventLinkStoreOptions"/> with generated code.</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlEventLinkStoreOptionsValidator : IValidateOptions<PostgreSqlEventLinkStoreOptions>;
