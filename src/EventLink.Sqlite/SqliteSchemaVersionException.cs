namespace EventLink.Sqlite;

/// <summary>
/// Thrown when a database file was written by a newer version of EventLink.Sqlite than the one running, whose
/// schema this version cannot read safely.
/// </summary>
public sealed class SqliteSchemaVersionException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="SqliteSchemaVersionException"/> class.</summary>
    public SqliteSchemaVersionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteSchemaVersionException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public SqliteSchemaVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteSchemaVersionException"/> class with a message and the cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SqliteSchemaVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SqliteSchemaVersionException"/> class for a file and library version.</summary>
    /// <param name="fileVersion">The schema version recorded in the file.</param>
    /// <param name="supportedVersion">The newest schema version this library knows.</param>
    public SqliteSchemaVersionException(long fileVersion, long supportedVersion)
        : base($"The EventLink database has schema version {fileVersion}, but this version of EventLink.Sqlite supports schema versions up to {supportedVersion}. Upgrade EventLink.Sqlite to open it.")
    {
        FileVersion = fileVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>Gets the schema version recorded in the file.</summary>
    public long FileVersion { get; }

    /// <summary>Gets the newest schema version this library knows.</summary>
    public long SupportedVersion { get; }
}
