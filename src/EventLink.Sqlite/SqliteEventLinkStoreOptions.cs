using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace EventLink.Sqlite;

/// <summary>Options of <see cref="SqliteEventLinkStore"/>.</summary>
public sealed class SqliteEventLinkStoreOptions
{
    /// <summary>
    /// Gets or sets the connection string of the database file, such as <c>Data Source=eventlink.db</c>. The file is
    /// created when missing; an in-memory database is not supported, because the store opens several connections.
    /// </summary>
    /// <value>The default value is an empty string, which is invalid: a data source must be set.</value>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets how hard SQLite pushes a commit to disk. With <see cref="SqliteSynchronousMode.Full"/> a batch
    /// that was acknowledged survives a crash of the process or of the machine.
    /// </summary>
    /// <value>The default value is <see cref="SqliteSynchronousMode.Full"/>.</value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// Gets or sets how long a writer waits for another writer (in this process or another one) to finish before it
    /// fails with a <see cref="Microsoft.Data.Sqlite.SqliteException"/>.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the page cache of each connection, in kibibytes.</summary>
    /// <value>The default value is 16,384 (16 MiB).</value>
    [Range(0, int.MaxValue)]
    public int CacheSizeKibibytes { get; set; } = 16 * 1024;
}

/// <summary>The values of SQLite's <c>synchronous</c> setting (in WAL mode).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SqliteSynchronousMode>))]
public enum SqliteSynchronousMode
{
    /// <summary>Never waits for the disk: fastest, and an operating system crash may lose or corrupt recent commits.</summary>
    Off,

    /// <summary>Waits for the disk at checkpoints only: a power loss may lose the most recent commits, never corrupts.</summary>
    Normal,

    /// <summary>Waits for the disk at every commit: a committed batch is durable.</summary>
    Full,

    /// <summary>Like <see cref="Full"/>, and also syncs the directory.</summary>
    Extra,
}
