using System.Globalization;

namespace EventLink.Traits.Internal;

/// <summary>
/// The compact text encoding of one trait's state, what was stored per trait before states were packed per profile
/// (<see cref="Pack"/>): a version digit, then each field as text ending in <c>;</c> (empty for none), strings as
/// <c>length:text</c>. Still read, so that rows stored by earlier versions are used rather than recomputed.
/// </summary>
internal sealed partial class TraitState
{
    private const char Version = '2';

    private static TraitState? Decode(string text)
    {
        var reader = new Reader(text);
        try
        {
            if (reader.Char() != Version)
            {
                return null;
            }

            var state = new TraitState
            {
                Fingerprint = reader.String()!,
                Count = reader.Long(),
                Sum = reader.Decimal() ?? 0,
                Overflow = reader.Char() == '1' ? true : null,
            };
            reader.Expect(';');
            state.Min = reader.Decimal();
            state.Max = reader.Decimal();
            state.FirstAt = reader.Time();
            state.LastAt = reader.Time();
            state.LastValue = reader.Entry();
            var distinct = reader.Long();
            if (distinct >= 0)
            {
                state.Distinct = new HashSet<string>((int)distinct, StringComparer.Ordinal);
                for (var i = 0; i < distinct; i++)
                {
                    state.Distinct.Add(reader.String()!);
                }
            }

            var entries = reader.Long();
            if (entries >= 0)
            {
                state.Entries = new List<TraitEntry>((int)entries);
                for (var i = 0; i < entries; i++)
                {
                    state.Entries.Add(reader.Entry() ?? throw new FormatException());
                }
            }

            return reader.AtEnd ? state : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Reads the compact encoding; any mismatch is a <see cref="FormatException"/> (the state is then recomputed).</summary>
    private ref struct Reader(string text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _at;

        public readonly bool AtEnd => _at == _text.Length;

        public char Char() => _at < _text.Length ? _text[_at++] : throw new FormatException();

        public void Expect(char expected)
        {
            if (Char() != expected)
            {
                throw new FormatException();
            }
        }

        public long Long() => Field() is { IsEmpty: false } field ? long.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : throw new FormatException();

        public decimal? Decimal() => Field() is { IsEmpty: false } field ? decimal.Parse(field, NumberStyles.Number, CultureInfo.InvariantCulture) : null;

        public DateTimeOffset? Time() => Field() is { IsEmpty: false } field
            ? new DateTimeOffset(long.Parse(field, NumberStyles.None, CultureInfo.InvariantCulture), TimeSpan.Zero)
            : null;

        public string? String()
        {
            var end = _text[_at..].IndexOf(':');
            if (end < 0)
            {
                throw new FormatException();
            }

            var length = _text.Slice(_at, end);
            _at += end + 1;
            if (length is "-")
            {
                return null;
            }

            var count = int.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture);
            if (count > _text.Length - _at)
            {
                throw new FormatException();
            }

            var value = new string(_text.Slice(_at, count));
            _at += count;
            return value;
        }

        public TraitEntry? Entry()
        {
            if (_at < _text.Length && _text[_at] == ';')
            {
                _at++;
                return null;
            }

            return new TraitEntry
            {
                At = Time() ?? throw new FormatException(),
                Number = Decimal(),
                Source = String() ?? throw new FormatException(),
                RecordId = String() ?? throw new FormatException(),
                Json = String(),
            };
        }

        private ReadOnlySpan<char> Field()
        {
            var end = _text[_at..].IndexOf(';');
            if (end < 0)
            {
                throw new FormatException();
            }

            var field = _text.Slice(_at, end);
            _at += end + 1;
            return field;
        }
    }
}
