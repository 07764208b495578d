using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EventLink.Sqlite.Internal;

/// <summary>
/// A multi-row statement, prepared once per row count: a profile's attributes or a claim's identities go in as one
/// <c>INSERT</c> (one step, one reset) instead of one statement a row, and the keys of a read as one <c>VALUES</c> list
/// it joins. The statement texts are built once here, so the writer's statement caches (keyed by reference) find them;
/// <see cref="Statement(SqliteSessionContext, int)"/> gives the statement bound by position, <see cref="Command"/> by name.
/// </summary>
/// <remarks>
/// Parameters: <c>$t</c>, then <paramref name="shared"/>, then for each row its <paramref name="columns"/> suffixed by
/// the row's index (<c>$name0</c>, <c>$value0</c>, <c>$name1</c>, …). Rows beyond <see cref="MaxRows"/> go in further statements.
/// </remarks>
/// <param name="head">The statement up to <c>VALUES</c>, included.</param>
/// <param name="row">One row's values, with <c>{0}</c> where a row parameter's index goes (<c>($t, $profile, $name{0})</c>).</param>
/// <param name="tail">What follows the rows (an <c>ON CONFLICT</c> clause, the semicolon).</param>
/// <param name="shared">The parameters every row shares, after <c>$t</c>.</param>
/// <param name="columns">The parameters of one row, without their index.</param>
internal sealed class SqliteMultiRow(string head, string row, string tail, string[] shared, string[] columns)
{
    /// <summary>The most rows one statement takes.</summary>
    public const int MaxRows = 16;

    private readonly Text?[] _statements = new Text?[MaxRows + 1];
    private readonly Text?[] _positional = new Text?[MaxRows + 1];

    /// <summary>The index of row 0's first parameter in a command's parameters (after <c>$t</c> and the shared ones).</summary>
    public int FirstRowParameter => 1 + shared.Length;

    /// <summary>How many parameters each row has.</summary>
    public int ColumnCount => columns.Length;

    /// <summary>Gets the prepared command for <paramref name="rows"/> rows (1 to <see cref="MaxRows"/>), scoped to the session's tenant.</summary>
    public SqliteCommand Command(SqliteSessionContext context, int rows)
    {
        var statement = StatementFor(_statements, rows, tenant: false);
        return context.Command(statement.Sql, statement.Names);
    }

    /// <summary>
    /// Gets the statement for <paramref name="rows"/> rows bound by position (see <see cref="SqliteRawStatement"/>):
    /// parameter 0 is <c>$t</c> (set to the session's tenant), then the shared ones, then each row's.
    /// </summary>
    public SqliteRawStatement Statement(SqliteSessionContext context, int rows)
    {
        var statement = StatementFor(_positional, rows, tenant: true);
        return context.Statement(statement.Sql, statement.Names);
    }

    /// <summary>
    /// Gets the statement for <paramref name="rows"/> of <paramref name="keys"/> from <paramref name="start"/>, bound by
    /// position: each row's first two parameters are its key's kind and value (the shared ones are the caller's).
    /// </summary>
    public SqliteRawStatement Statement(SqliteSessionContext context, IReadOnlyList<IdentityKey> keys, int start, int rows)
    {
        var statement = Statement(context, rows);
        for (var i = 0; i < rows; i++)
        {
            var at = FirstRowParameter + (i * columns.Length);
            statement.Set(at, keys[start + i].Kind);
            statement.Set(at + 1, keys[start + i].Value);
        }

        return statement;
    }

    private Text StatementFor(Text?[] cache, int rows, bool tenant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxRows);
        var statement = Volatile.Read(ref cache[rows]);
        if (statement is null)
        {
            // Stores in one process may build the same count at once: each gets equal text, the writer's cache at worst prepares it twice.
            var sql = new StringBuilder(head);
            var names = new List<string>(shared);
            if (tenant)
            {
                names.Insert(0, "$t");
            }

            for (var i = 0; i < rows; i++)
            {
                sql.Append(i == 0 ? " " : ", ").Append(string.Format(CultureInfo.InvariantCulture, row, i));
                foreach (var column in columns)
                {
                    names.Add(column + i.ToString(CultureInfo.InvariantCulture));
                }
            }

            statement = new Text(sql.Append(' ').Append(tail).ToString(), [.. names]);
            Volatile.Write(ref cache[rows], statement);
        }

        return statement;
    }

    /// <summary>
    /// Runs <paramref name="rows"/> in statements of up to <see cref="MaxRows"/> rows, each row's parameters bound by
    /// <paramref name="bind"/> (from the parameter index it is given), the shared ones by <paramref name="bindShared"/>
    /// from the first row of each statement (so rows that share them go in one call).
    /// </summary>
    /// <returns>How many rows the statements changed.</returns>
    public int Run<TRow>(SqliteSessionContext context, ReadOnlySpan<TRow> rows, RowBinder<TRow> bind, RowBinder<TRow>? bindShared = null)
    {
        var changed = 0;
        for (var start = 0; start < rows.Length; start += MaxRows)
        {
            var count = Math.Min(MaxRows, rows.Length - start);
            var command = Command(context, count);
            bindShared?.Invoke(command.Parameters, 1, rows[start]);
            for (var i = 0; i < count; i++)
            {
                bind(command.Parameters, FirstRowParameter + (i * columns.Length), rows[start + i]);
            }

            changed += command.ExecuteNonQuery();
        }

        return changed;
    }

    /// <summary>
    /// Runs <paramref name="rows"/> as <see cref="Run{TRow}"/> does, in statements bound by position
    /// (<see cref="Statement(SqliteSessionContext, int)"/>): for rows written at every ingest, where binding by name
    /// costs as much as the rows.
    /// </summary>
    /// <returns>How many rows the statements changed.</returns>
    public int RunPositional<TRow>(SqliteSessionContext context, ReadOnlySpan<TRow> rows, PositionalBinder<TRow> bind)
    {
        var changed = 0;
        for (var start = 0; start < rows.Length; start += MaxRows)
        {
            var count = Math.Min(MaxRows, rows.Length - start);
            var statement = Statement(context, count);
            for (var i = 0; i < count; i++)
            {
                bind(statement, FirstRowParameter + (i * columns.Length), rows[start + i]);
            }

            changed += statement.Execute();
        }

        return changed;
    }

    /// <summary>Binds one row's parameters by position, the first at index <paramref name="at"/>.</summary>
    public delegate void PositionalBinder<TRow>(SqliteRawStatement statement, int at, TRow row);

    /// <summary>Binds one row's parameters, the first at index <paramref name="at"/>.</summary>
    public delegate void RowBinder<TRow>(SqliteParameterCollection parameters, int at, TRow row);

    private sealed record Text(string Sql, string[] Names);
}
