using System.Buffers.Text;
using System.Text.Json;

namespace EventLink.Ingestion.Internal;

/// <summary>
/// The values a payload may not hold, whatever the store: what every store can keep, read back and query the same way.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A lone UTF-16 surrogate escape (<c>"\ud800"</c>, <c>"\udc00"</c>, a reversed pair): not a character, so no
/// string can be made of it (I-JSON, RFC 7493 §2.1: "MUST NOT include code points that identify Surrogates").</item>
/// <item>A NUL escape (<c>"\u0000"</c>): PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold it.</item>
/// <item>A number beyond PostgreSQL's <c>numeric</c>: more than 131,072 digits before the decimal point or more than
/// 16,383 after it, once its exponent is applied (such as <c>1e200000</c> or <c>1e-16384</c>).</item>
/// </list>
/// The checks look only at the tokens that can break a rule: an escaped string, a number of eight bytes or more.
/// </remarks>
internal static class JsonValueRules
{
    /// <summary>The most digits PostgreSQL's <c>numeric</c> keeps before the decimal point.</summary>
    public const int MaxIntegerDigits = 131_072;

    /// <summary>The most digits PostgreSQL's <c>numeric</c> keeps after the decimal point.</summary>
    public const int MaxFractionDigits = 16_383;

    /// <summary>Checks the current token of <paramref name="reader"/>; cheap for every token but an escaped string or a long number.</summary>
    /// <param name="reader">The reader, on a token.</param>
    /// <returns>Why the token may not be stored, or <see langword="null"/>.</returns>
    public static string? Check(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped:
                var problem = CheckEscapes(reader.ValueSpan);
                return problem is null ? null : (reader.TokenType == JsonTokenType.PropertyName ? "a property name" : "a string") + $" at offset {reader.TokenStartIndex:N0} holds {problem}";
            case JsonTokenType.Number when reader.ValueSpan.Length >= 8:
                return CheckNumber(reader.ValueSpan) is { } number ? $"the number at offset {reader.TokenStartIndex:N0} {number}" : null;
            default:
                return null;
        }
    }

    /// <summary>Checks a whole payload token by token.</summary>
    /// <param name="utf8Json">The payload.</param>
    /// <param name="maxDepth">The reader's depth limit.</param>
    /// <returns>Why the payload may not be stored, or <see langword="null"/> (also when it is not well-formed JSON: the parser says why).</returns>
    public static string? Check(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (Check(ref reader) is { } problem)
                {
                    return problem;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Finds a NUL or unpaired surrogate among the escapes of a raw (still escaped) JSON string.</summary>
    /// <param name="raw">The string's bytes between its quotes, escapes included.</param>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    public static string? CheckEscapes(ReadOnlySpan<byte> raw)
    {
        var i = raw.IndexOf((byte)'\\');
        while (i >= 0)
        {
            // Escapes do not overlap: from the first backslash on, each one is consumed whole.
            if (i + 1 < raw.Length && raw[i + 1] == (byte)'u' && TryHex4(raw, i + 2, out var unit))
            {
                if (unit == 0)
                {
                    return "a NUL character (\\u0000), which PostgreSQL cannot store";
                }

                if (char.IsHighSurrogate((char)unit))
                {
                    if (i + 11 < raw.Length && raw[i + 6] == (byte)'\\' && raw[i + 7] == (byte)'u' && TryHex4(raw, i + 8, out var low) && char.IsLowSurrogate((char)low))
                    {
                        i += 12;
                    }
                    else
                    {
                        return $"a lone surrogate (\\u{unit:x4}), which is no character";
                    }
                }
                else if (char.IsLowSurrogate((char)unit))
                {
                    return $"a lone surrogate (\\u{unit:x4}), which is no character";
                }
                else
                {
                    i += 6;
                }
            }
            else
            {
                i += 2;
            }

            if (i >= raw.Length)
            {
                break;
            }

            var next = raw[i..].IndexOf((byte)'\\');
            i = next < 0 ? -1 : i + next;
        }

        return null;
    }

    /// <summary>Checks that a JSON number fits PostgreSQL's <c>numeric</c> once its exponent is applied.</summary>
    /// <param name="number">The number's text (valid JSON).</param>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    public static string? CheckNumber(ReadOnlySpan<byte> number)
    {
        var e = number.IndexOfAny((byte)'e', (byte)'E');
        if (e < 0 && number.Length <= MaxFractionDigits)
        {
            return null;
        }

        var mantissa = e < 0 ? number : number[..e];
        if (mantissa.Length > 0 && mantissa[0] == (byte)'-')
        {
            mantissa = mantissa[1..];
        }

        long exponent = 0;
        if (e >= 0)
        {
            var digits = number[(e + 1)..];
            var negative = digits.Length > 0 && digits[0] == (byte)'-';
            if (digits.Length > 0 && digits[0] is (byte)'-' or (byte)'+')
            {
                digits = digits[1..];
            }

            digits = digits.TrimStart((byte)'0');
            if (digits.Length > 9 || !Utf8Parser.TryParse(digits.IsEmpty ? "0"u8 : digits, out exponent, out _))
            {
                return "has an exponent beyond ±999,999,999, which PostgreSQL cannot store";
            }

            exponent = negative ? -exponent : exponent;
        }

        var point = mantissa.IndexOf((byte)'.');
        long integerDigits = point < 0 ? mantissa.Length : point;
        long fractionDigits = point < 0 ? 0 : mantissa.Length - point - 1;
        if (fractionDigits - exponent > MaxFractionDigits)
        {
            return $"has {fractionDigits - exponent:N0} digits after the decimal point; PostgreSQL keeps at most {MaxFractionDigits:N0}";
        }

        // The digits before the point, counted from the first significant one (none when the number is zero).
        var firstSignificant = mantissa.IndexOfAnyExcept("0."u8);
        if (firstSignificant >= 0)
        {
            var leading = firstSignificant < integerDigits ? integerDigits - firstSignificant : integerDigits - firstSignificant + 1;
            if (leading + exponent > MaxIntegerDigits)
            {
                return $"has {leading + exponent:N0} digits before the decimal point; PostgreSQL keeps at most {MaxIntegerDigits:N0}";
            }
        }

        return null;
    }

    private static bool TryHex4(ReadOnlySpan<byte> raw, int start, out int value)
    {
        value = 0;
        if (start + 4 > raw.Length)
        {
            return false;
        }

        for (var k = start; k < start + 4; k++)
        {
            var digit = HexValue(raw[k]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
