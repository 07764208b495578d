using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using EventLink.Storage;
using static EventLink.Sqlite.Internal.SqliteValues;

namespace EventLink.Sqlite.Traits.Internal;

/// <summary>
/// The trigger log as SQLite keeps it since migration step 8: the entries a session appends go in as one row of
/// <c>trigger_batches</c> (its row id the greatest sequence among them), encoded here, instead of a row and two index
/// entries each. Entries keep their own sequences, so an erasure can take some out of a row and leave the others'.
/// </summary>
/// <remarks>
/// <para>
/// An entry is: its sequence as a varint delta from the previous entry's (from 0 for the first), its kind (one byte),
/// its name (varint length, UTF-8), its profile (16 bytes, big-endian), its event id plus one as a varint (0: none)
/// and its time (8 bytes, microseconds since the Unix epoch, little-endian).
/// </para>
/// <para>
/// Sequences come from <c>meta.trigger_seq</c>, which step 8 starts at the last sequence the <c>triggers</c> table
/// handed out: rows written before step 8 stay in that table and come first, as their sequences are smaller.
/// </para>
/// </remarks>
internal static class SqliteTriggerBatches
{
    /// <summary>The statement that hands out <c>@count</c> sequences and returns the greatest.</summary>
    public const string Allocate = "UPDATE meta SET value = value + $count WHERE key = 'trigger_seq' RETURNING value;";

    public const string Insert = "INSERT INTO trigger_batches (last_seq, tenant_key, entries) VALUES ($last, $t, $entries);";

    /// <summary>Encodes <paramref name="entries"/> with the sequences <paramref name="first"/> onwards, in order.</summary>
    public static byte[] Encode(IReadOnlyList<TriggerRow> entries, long first)
    {
        var buffer = new ArrayBufferWriter<byte>(entries.Count * 48);
        var previous = 0L;
        for (var i = 0; i < entries.Count; i++)
        {
            Write(buffer, entries[i], first + i, ref previous);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a row's entries, in sequence order.</summary>
    public static List<TriggerRow> Decode(ReadOnlySpan<byte> data)
    {
        var entries = new List<TriggerRow>();
        var at = 0;
        var sequence = 0L;
        while (at < data.Length)
        {
            sequence += (long)ReadVarint(data, ref at);
            var kind = (TriggerKind)data[at++];
            var length = (int)ReadVarint(data, ref at);
            var name = Encoding.UTF8.GetString(data.Slice(at, length));
            at += length;
            var profile = new Guid(data.Slice(at, 16), bigEndian: true);
            at += 16;
            var eventId = ReadVarint(data, ref at);
            var time = BinaryPrimitives.ReadInt64LittleEndian(data.Slice(at, 8));
            at += 8;
            entries.Add(new TriggerRow(sequence, kind, name, profile, eventId == 0 ? null : (long)(eventId - 1), FromMicros(time)));
        }

        return entries;
    }

    /// <summary>
    /// Encodes what remains of <paramref name="entries"/> once those of <paramref name="profiles"/> are taken out;
    /// <see langword="null"/> when none remains.
    /// </summary>
    public static byte[]? Without(List<TriggerRow> entries, HashSet<Guid> profiles, out int removed)
    {
        var kept = entries.FindAll(e => !profiles.Contains(e.ProfileId));
        removed = entries.Count - kept.Count;
        if (kept.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(kept.Count * 48);
        var previous = 0L;
        foreach (var entry in kept)
        {
            Write(buffer, entry, entry.Sequence, ref previous);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="entry"/> with <paramref name="sequence"/> (an appended entry's row holds none yet).</summary>
    private static void Write(ArrayBufferWriter<byte> buffer, TriggerRow entry, long sequence, ref long previous)
    {
        var name = Encoding.UTF8.GetByteCount(entry.Name);
        var span = buffer.GetSpan(10 + 1 + 5 + name + 16 + 10 + 8);
        var at = 0;
        WriteVarint(span, ref at, (ulong)(sequence - previous));
        previous = sequence;
        span[at++] = (byte)entry.Kind;
        WriteVarint(span, ref at, (ulong)name);
        at += Encoding.UTF8.GetBytes(entry.Name, span[at..]);
        entry.ProfileId.TryWriteBytes(span.Slice(at, 16), bigEndian: true, out _);
        at += 16;
        WriteVarint(span, ref at, entry.EventId is { } id ? (ulong)id + 1 : 0);
        BinaryPrimitives.WriteInt64LittleEndian(span.Slice(at, 8), ToMicros(entry.At));
        at += 8;
        buffer.Advance(at);
    }

    private static void WriteVarint(Span<byte> span, ref int at, ulong value)
    {
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        var shift = 0;
        byte current;
        do
        {
            current = data[at++];
            value |= (ulong)(current & 0x7F) << shift;
            shift += 7;
        }
        while ((current & 0x80) != 0);
        return value;
    }
}
