using System.CommandLine;
using EventLink.Presets;
using Microsoft.Extensions.Configuration;

namespace EventLink.Cli;

/// <summary>The options every command shares: where the data is (SQLite or PostgreSQL), the schema, the tenant.</summary>
internal sealed class LinkOptions
{
    public Option<string> Db { get; } = new("--db")
    {
        Description = "The SQLite database file.",
        DefaultValueFactory = _ => "eventlink.db",
    };

    /// <summary>The environment variable read when <c>--postgres</c> is not given.</summary>
    public const string PostgresVariable = "EVENTLINK_POSTGRES";

    public Option<string?> Postgres { get; } = new("--postgres")
    {
        Description = $"A PostgreSQL connection string; used instead of --db. Default: the {PostgresVariable} environment variable (unless --db is given).",
    };

    public Option<string?> Schema { get; } = new("--schema")
    {
        Description = "A JSON schema file (the shape of EventLinkSchemaOptions, at the root or under EventLink:Schema).",
    };

    public Option<string[]> Preset { get; } = new("--preset")
    {
        Description = $"Source presets to use, comma-separated ({string.Join(", ", SourcePresets.All.Select(p => p.Name))}); all of them when neither --schema nor --preset is given.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> Tenant { get; } = new("--tenant")
    {
        Description = "The tenant; the default tenant when absent.",
    };

    public Option<string?> TombstoneSecret { get; } = new("--tombstone-secret")
    {
        Description = "The secret keying erasure tombstones (HMAC-SHA256), at least 32 characters; EVENTLINK_TOMBSTONE_SECRET when absent. Needed by forget, and by ingest once a person was forgotten.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EVENTLINK_TOMBSTONE_SECRET"),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(TombstoneSecret);
        command.Options.Add(Db);
        command.Options.Add(Postgres);
        command.Options.Add(Schema);
        command.Options.Add(Preset);
        command.Options.Add(Tenant);
    }

    /// <summary>Gets the presets named on the command line (all when neither a schema nor a preset is given).</summary>
    public IReadOnlyList<SourcePreset> Presets(ParseResult parse)
    {
        var names = (parse.GetValue(Preset) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (names.Count == 0)
        {
            return parse.GetValue(Schema) is null ? SourcePresets.All : [];
        }

        var presets = new List<SourcePreset>();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!SourcePresets.TryGet(name, out var preset))
            {
                throw new UsageException($"unknown preset '{name}' (known: {string.Join(", ", SourcePresets.All.Select(p => p.Name))})");
            }

            presets.Add(preset);
        }

        return presets;
    }

    /// <summary>Gets the PostgreSQL connection string: <c>--postgres</c>, else <see cref="PostgresVariable"/> unless <c>--db</c> is given.</summary>
    public string? PostgresConnectionString(ParseResult parse)
    {
        if (parse.GetValue(Postgres) is { Length: > 0 } given)
        {
            return given;
        }

        var dbGiven = parse.GetResult(Db) is { Implicit: false };
        return !dbGiven && Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    /// <summary>
    /// Builds EventLink over the chosen store with the chosen schema. Only a command that writes records
    /// (<paramref name="create"/>) may create a SQLite file: the others refuse a missing one, so a mistyped
    /// <c>--db</c> is an error rather than an empty database.
    /// </summary>
    public OpenLink Open(ParseResult parse, bool create = false)
    {
        var postgres = PostgresConnectionString(parse);
        var file = parse.GetValue(Db)!;
        if (postgres is null && !create && !File.Exists(file))
        {
            throw new UsageException($"database '{file}' not found: give --db the file 'eventlink ingest' wrote, or --postgres (or {PostgresVariable}) for PostgreSQL");
        }

        var builder = ConfigureSchema(parse, new EventLinkBuilder());
        if (postgres is not null)
        {
            builder.UsePostgreSql(postgres);
        }
        else
        {
            builder.UseSqlite($"Data Source={file}");
        }

        if (parse.GetValue(TombstoneSecret) is { Length: > 0 } secret)
        {
            builder.ConfigurePrivacy(p => p.TombstoneSecret = secret);
        }

        var link = builder.Build();
        return new OpenLink(link, parse.GetValue(Tenant) is { Length: > 0 } tenant ? link.ForTenant(tenant) : link);
    }

    /// <summary>Adds the schema named on the command line (presets, a schema file, or both) to a builder.</summary>
    public TBuilder ConfigureSchema<TBuilder>(ParseResult parse, TBuilder builder)
        where TBuilder : IEventLinkBuilder
    {
        var presets = Presets(parse);
        if (presets.Count > 0)
        {
            builder.AddSchema(schema =>
            {
                foreach (var preset in presets)
                {
                    preset.Apply(schema);
                }
            });
        }

        if (parse.GetValue(Schema) is { } file)
        {
            builder.BindSchema(SchemaSection(file));
        }

        return builder;
    }

    private static IConfiguration SchemaSection(string file)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new UsageException($"schema file '{file}' not found");
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new UsageException($"schema file '{file}' is not valid JSON: {ex.Message}");
        }

        foreach (var candidate in new[] { "EventLink:Schema", "Schema" })
        {
            var section = configuration.GetSection(candidate);
            if (section.GetSection("RecordTypes").Exists())
            {
                return section;
            }
        }

        if (!configuration.GetSection("RecordTypes").Exists())
        {
            throw new UsageException($"schema file '{file}' has no RecordTypes (at the root, under Schema or under EventLink:Schema)");
        }

        return configuration;
    }
}

/// <summary>EventLink opened for one command: <see cref="Link"/> acts on the chosen tenant; disposing releases the store.</summary>
internal sealed class OpenLink(IEventLink root, IEventLink link) : IAsyncDisposable
{
    public IEventLink Link { get; } = link;

    public ValueTask DisposeAsync() => root.DisposeAsync();
}
