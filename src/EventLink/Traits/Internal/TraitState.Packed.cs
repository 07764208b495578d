namespace EventLink.Traits.Internal;

/// <summary>
/// The packed encoding of every trait state of one profile, what is stored (one value per profile): a version byte,
/// a digest of the trait definitions (a changed definition makes the whole state unreadable, so the profile is
/// recomputed), then each state in trait order: a byte of flags saying which fields are present, then only the fields
/// the trait's kind reads (the others are kept in memory as events are added, but no value is computed from them: a
/// first-seen trait needs no count or sum, a minimum no sum). A windowed trait keeps only its entries, its aggregates
/// computed again from them when read. Numbers are decimals as scale, sign and a variable-length mantissa; times are
/// UTC ticks. Version 3, which packed every state's count and sum and a windowed trait's aggregates, is still read.
/// </summary>
internal sealed partial class TraitState
{
    private const byte PackedVersion = 4;

    /// <summary>The version that packed every state's count and sum (read, not written).</summary>
    private const byte PackedVersionWithTotals = 3;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Overflow = 1,
        Min = 2,
        Max = 4,
        FirstAt = 8,
        LastAt = 16,
        LastValue = 32,
        Distinct = 64,
        Entries = 128,
    }

    [ThreadStatic]
    private static byte[]? t_packBuffer;

    /// <summary>Packs the states of one profile, in trait order, after the definitions' <paramref name="digest"/>; allocates only the result.</summary>
    public static byte[] Pack(TraitState[] states, IReadOnlyList<CompiledTrait> traits, ulong digest)
    {
        var writer = new PackedTraitWriter(t_packBuffer ??= new byte[512]);
        writer.Byte(PackedVersion);
        writer.Fixed(digest);
        writer.Varint((ulong)states.Length);
        for (var i = 0; i < states.Length; i++)
        {
            states[i].PackTo(ref writer, traits[i].Kind);
        }

        var packed = writer.Written.ToArray();
        t_packBuffer = writer.Buffer.Length > 64 * 1024 ? null : writer.Buffer; // A state with a large window: do not keep its buffer for every thread.
        return packed;
    }

    /// <summary>Unpacks the states of one profile for <paramref name="traits"/>, or null when they were packed for other definitions (or are unreadable).</summary>
    public static TraitState[]? Unpack(ReadOnlySpan<byte> packed, IReadOnlyList<CompiledTrait> traits, ulong digest)
    {
        var reader = new PackedTraitReader(packed);
        try
        {
            var version = reader.Byte();
            if (version is not (PackedVersion or PackedVersionWithTotals) || reader.Fixed() != digest || reader.Varint() != (ulong)traits.Count)
            {
                return null;
            }

            var states = new TraitState[traits.Count];
            for (var i = 0; i < states.Length; i++)
            {
                states[i] = UnpackFrom(ref reader, traits[i], withTotals: version == PackedVersionWithTotals);
            }

            return reader.AtEnd ? states : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private void PackTo(ref PackedTraitWriter writer, TraitKind kind)
    {
        if (IsWindowed)
        {
            // A windowed trait: its entries are its state (the aggregates are computed from them when unpacked).
            writer.Byte((byte)Fields.Entries);
            var entries = Entries;
            writer.Varint((ulong)(entries?.Count ?? 0));
            for (var i = 0; i < entries?.Count; i++)
            {
                writer.Entry(entries[i], kind == TraitKind.LastValue);
            }

            return;
        }

        // Only the fields the kind reads: the others are not packed, whatever they hold.
        var fields = (_has & Fields.Overflow)
            | (kind switch
            {
                TraitKind.Min => _has & Fields.Min,
                TraitKind.Max => _has & Fields.Max,
                TraitKind.FirstOccurredAt => _has & Fields.FirstAt,
                TraitKind.LastOccurredAt => _has & Fields.LastAt,
                _ => Fields.None,
            })
            | (_extra is LastValueBox ? Fields.LastValue : _extra is HashSet<string> ? Fields.Distinct : Fields.None);
        writer.Byte((byte)fields);
        if (ReadsCount(kind))
        {
            writer.Varint((ulong)_count);
        }

        if (ReadsSum(kind))
        {
            writer.Decimal(_sum);
        }

        if ((fields & (Fields.Min | Fields.Max)) != 0)
        {
            writer.Decimal(_extreme);
        }

        if ((fields & (Fields.FirstAt | Fields.LastAt)) != 0)
        {
            writer.Fixed((ulong)_at.UtcTicks);
        }

        // Only the last value's ordering reads an entry's source and record id (ties in time).
        if (_extra is LastValueBox box)
        {
            writer.Entry(in box.Entry, kind == TraitKind.LastValue);
        }
        else if (_extra is HashSet<string> distinct)
        {
            writer.Varint((ulong)distinct.Count);
            foreach (var value in distinct)
            {
                writer.String(value);
            }
        }
    }

    /// <summary>Whether an all-time trait's value reads the count (the count of events, or the divisor of an average).</summary>
    private static bool ReadsCount(TraitKind kind) => kind is TraitKind.Count or TraitKind.Average;

    /// <summary>Whether the trait's value reads the sum (and so may overflow).</summary>
    private static bool ReadsSum(TraitKind kind) => kind is TraitKind.Sum or TraitKind.Average;

    private static TraitState UnpackFrom(ref PackedTraitReader reader, CompiledTrait trait, bool withTotals)
    {
        var fields = (Fields)reader.Byte();
        var windowed = !withTotals && (fields & Fields.Entries) != 0;
        var state = new TraitState
        {
            Fingerprint = trait.Key,
            Count = withTotals || (!windowed && ReadsCount(trait.Kind)) ? checked((long)reader.Varint()) : 0,
            Sum = withTotals || (!windowed && ReadsSum(trait.Kind)) ? reader.Decimal() : 0,
            Overflow = (fields & Fields.Overflow) != 0 ? true : null,
        };
        state.Min = (fields & Fields.Min) != 0 ? reader.Decimal() : null;
        state.Max = (fields & Fields.Max) != 0 ? reader.Decimal() : null;
        state.FirstAt = (fields & Fields.FirstAt) != 0 ? reader.Time() : null;
        state.LastAt = (fields & Fields.LastAt) != 0 ? reader.Time() : null;
        state.LastValue = (fields & Fields.LastValue) != 0 ? reader.Entry() : null;
        if ((fields & Fields.Distinct) != 0)
        {
            var count = reader.Count();
            state.Distinct = new HashSet<string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                state.Distinct.Add(reader.String() ?? throw new FormatException());
            }
        }

        if ((fields & Fields.Entries) != 0)
        {
            var count = reader.Count();
            state._has |= Fields.Entries;
            if (count > 0)
            {
                state.Entries = new List<TraitEntry>(count);
                for (var i = 0; i < count; i++)
                {
                    state.Entries.Add(reader.Entry());
                }
            }

            if (windowed)
            {
                if (trait.Window is null)
                {
                    throw new FormatException();
                }

                state.Aggregate(trait);
            }
        }

        return state;
    }
}
