using System.Text;
using System.Text.Json;

namespace EventLink.Cli.Ingestion;

/// <summary>One item of the input: a JSON value (as text) and where it was.</summary>
/// <param name="Number">The item's 1-based position (its line in JSON Lines, its index in an array).</param>
/// <param name="Json">The JSON text.</param>
/// <param name="Position">How far into the input the reader is, in bytes (for the progress bar).</param>
internal readonly record struct Delivery(long Number, string Json, long Position);

/// <summary>Reads JSON Lines, or one JSON array of items, from a file or standard input.</summary>
internal static class DeliveryReader
{
    public static async IAsyncEnumerable<Delivery> ReadAsync(Stream input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var first = await FirstLineAsync(reader, cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            yield break;
        }

        // A JSON array spanning the whole input is a list of items; an array on one line of JSON Lines is one item.
        if (first.Value.Text.TrimStart().StartsWith('['))
        {
            var rest = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            var whole = first.Value.Text + "\n" + rest;
            if (TryParseArray(whole, out var items))
            {
                var position = input.CanSeek ? input.Length : 0;
                for (var i = 0; i < items.Count; i++)
                {
                    yield return new Delivery(i + 1, items[i], position);
                }

                yield break;
            }

            var number = first.Value.Number - 1;
            foreach (var line in whole.Split('\n'))
            {
                number++;
                if (line.Trim().Length > 0)
                {
                    yield return new Delivery(number, line.TrimEnd('\r'), input.CanSeek ? input.Length : 0);
                }
            }

            yield break;
        }

        yield return new Delivery(first.Value.Number, first.Value.Text, Position(input));
        var lineNumber = first.Value.Number;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Trim().Length > 0)
            {
                yield return new Delivery(lineNumber, line, Position(input));
            }
        }
    }

    private static long Position(Stream input) => input.CanSeek ? input.Position : 0;

    private static async Task<(long Number, string Text)?> FirstLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (line.Trim().Length > 0)
            {
                return (number, line);
            }
        }

        return null;
    }

    private static bool TryParseArray(string text, out List<string> items)
    {
        items = [];
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            foreach (var item in document.RootElement.EnumerateArray())
            {
                items.Add(item.GetRawText());
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
