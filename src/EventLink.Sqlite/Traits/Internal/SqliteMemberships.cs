using System.Buffers;
using System.Text;
using System.Text.Json;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>
/// A profile's audience memberships as the <c>computed.audiences</c> column holds them: a JSON array of
/// <c>[audience, entered_at]</c> pairs (entered_at in microseconds since the Unix epoch), ordered by audience, or
/// <c>NULL</c> when the profile is in no audience.
/// </summary>
/// <remarks>
/// The memberships live in the profile's row beside its packed state (migration step 8), so an update that changes
/// both writes one row instead of a row per membership in a table of its own and that table's index: at ingest,
/// memberships change with most updates. An audience's member list reads the tenant's rows through
/// <c>json_each</c> (see <see cref="SqliteTraitQueries"/>); the column is text so that SQLite's JSON functions
/// read it (a blob would be taken for SQLite's binary JSON).
/// </remarks>
internal static class SqliteMemberships
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Encodes <paramref name="members"/>; <see langword="null"/> when there are none.</summary>
    public static string? Encode(IReadOnlyList<AudienceMemberRow> members)
    {
        if (members.Count == 0)
        {
            return null;
        }

        // Ordered by audience without copying the rows: their positions, sorted (a profile is in a few audiences).
        Span<int> order = members.Count <= 32 ? stackalloc int[members.Count] : new int[members.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var at = i;
            while (at > 0 && string.CompareOrdinal(members[order[at - 1]].Audience, members[i].Audience) > 0)
            {
                order[at] = order[at - 1];
                at--;
            }

            order[at] = i;
        }

        // One writer and buffer a thread, reset for each row (an update writes a row per profile).
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var i in order)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(members[i].Audience);
            writer.WriteNumberValue(ToMicros(members[i].EnteredAt));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes the column's text (written by <see cref="Encode"/> or migration step 8) for <paramref name="profileId"/>.</summary>
    public static AudienceMemberRow[] Decode(string? text, Guid profileId)
    {
        if (text is null)
        {
            return [];
        }

        var members = new List<AudienceMemberRow>(4);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var audience = reader.GetString()!;
            reader.Read();
            members.Add(new AudienceMemberRow(audience, profileId, FromMicros(reader.GetInt64())));
            reader.Read();
        }

        return [.. members];
    }
}
