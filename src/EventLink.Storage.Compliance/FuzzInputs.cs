using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventLink.Storage.Compliance;

/// <summary>
/// Seeded generator of bad (and borderline) records for <see cref="FuzzContractTests{TFixture}"/>: valid payloads of the
/// test schema's record types, then mutated the way senders get it wrong or attack. The same seed gives the same inputs.
/// </summary>
/// <param name="seed">The seed.</param>
public sealed class FuzzInputs(int seed)
{
    /// <summary>The payload limit the fuzz suite configures (small, so that inputs around it stay cheap).</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>The environment variable that replaces <see cref="DefaultSeed"/>.</summary>
    public const string SeedVariable = "EVENTLINK_FUZZ_SEED";

    /// <summary>The seed CI runs with.</summary>
    public const int DefaultSeed = 20_261_204;

    private static readonly string[] Surrogates = [@"\ud800", @"\udc00", @"\udbff", @"\udfff", @"\udc00\ud800", @"\ud800\ud800", @"\ud83d", @"\ude00x", @"\uD800\u0041"];

    private static readonly string[] Numbers =
    [
        "1e200000", "-1e200000", "1e-200000", "1e131072", "10e131071", "1e-16384", "1.5e-16383", "0e-20000", "1e99999999999",
        "-1e-99999999999", "1e308", "1e309", "-1e309", "4.9e-324", "1e-400", "123456789012345678901234567890", "-0", "0.0000000000000000000001",
        "9007199254740993", "-9223372036854775809", "18446744073709551616", "1E+2", "1e0000000000000000002",
    ];

    private static readonly string[] BadNumbers = ["NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "--1", "1_000"];

    private static readonly string[] OddNames =
    [
        "", " ", "\t", "stri\0pe", "stripe\ud800", "\udc00stripe", "stripe\udc00\ud800", "str\u200Bipe", "ｓｔｒｉｐｅ", "stripe\n",
        "\u202Estripe", "stripe\uFFFF", "stripe\uFEFF", "ＳＴＲＩＰＥ", "😀", "İ", "stripe ", " stripe", "a/b", "'; DROP TABLE events; --",
    ];

    private static readonly string[] OddRecordTypes = ["", "Charge", "CHARGE", "charge ", "char\0ge", "charge\ud800", "\udc00", "ｃｈａｒｇｅ", "charge\u200B", "refund", "😀"];

    private static readonly string[] Categories = ["surrogate", "nul", "number", "nesting", "truncation", "raw-bytes", "size", "odd-name", "structure", "record-id"];

    private readonly Random _random = new(seed);
    private int _next;

    /// <summary>Gets the categories of input, each about as frequent as the others.</summary>
    public static IReadOnlyList<string> AllCategories => Categories;

    /// <summary>Gets the seed to run with: <see cref="SeedVariable"/> when set, else <see cref="DefaultSeed"/>.</summary>
    /// <returns>The seed.</returns>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    /// <summary>Generates the next input.</summary>
    /// <returns>Its category, a short description and the record.</returns>
    public (string Category, string Description, IngestRecord Record) Next()
    {
        var n = _next++;
        var category = Categories[_random.Next(Categories.Length)];
        var (type, fields) = Base(n);
        var (source, recordType) = ("stripe", type);
        byte[]? raw = null;
        string what;
        switch (category)
        {
            case "surrogate":
                {
                    var escape = Pick(Surrogates);
                    what = InjectIntoString(fields, escape, keys: _random.Next(5) == 0);
                    if (_random.Next(6) == 0)
                    {
                        // A lone surrogate in C# text: the record's UTF-8 has U+FFFD there (the encoder replaces it).
                        fields.Add(("note", "\"x" + (char)0xD800 + "\""));
                        what = "raw lone surrogate in text";
                    }

                    break;
                }

            case "nul":
                if (_random.Next(3) == 0)
                {
                    raw = Encoding.UTF8.GetBytes(Serialize(fields));
                    raw = Insert(raw, _random.Next(raw.Length + 1), [0]);
                    what = "raw NUL byte";
                }
                else
                {
                    what = InjectIntoString(fields, @"\u0000", keys: _random.Next(5) == 0);
                }

                break;
            case "number":
                {
                    var number = _random.Next(4) == 0 ? Pick(BadNumbers) : Pick(Numbers);
                    var at = _random.Next(fields.Count + 1);
                    if (at == fields.Count)
                    {
                        fields.Add(("amount_x", _random.Next(2) == 0 ? number : $"[{number},{{\"n\":{number}}}]"));
                    }
                    else
                    {
                        fields[at] = (fields[at].Key, number);
                    }

                    what = $"number {number}";
                    break;
                }

            case "nesting":
                {
                    var depth = Pick([10, 62, 63, 64, 65, 100, 1_000, 5_000]);
                    var value = _random.Next(2) == 0
                        ? new string('[', depth) + "1" + new string(']', depth)
                        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                    var at = _random.Next(fields.Count + 1);
                    if (at == fields.Count)
                    {
                        fields.Add(("deep", value));
                    }
                    else
                    {
                        fields[at] = (fields[at].Key, value);
                    }

                    what = $"nesting depth {depth}";
                    break;
                }

            case "truncation":
                {
                    var text = Encoding.UTF8.GetBytes(Serialize(fields));
                    raw = text[.._random.Next(text.Length)];
                    what = $"truncated to {raw.Length} of {text.Length} bytes";
                    break;
                }

            case "raw-bytes":
                {
                    raw = Encoding.UTF8.GetBytes(Serialize(fields));
                    byte[][] sequences = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xEF, 0xBB, 0xBF], [(byte)_random.Next(256)]];
                    if (_random.Next(8) == 0)
                    {
                        raw = new byte[_random.Next(1, 200)];
                        _random.NextBytes(raw);
                        what = "random bytes";
                    }
                    else if (_random.Next(3) == 0)
                    {
                        raw[_random.Next(raw.Length)] ^= (byte)(1 << _random.Next(8));
                        what = "a flipped bit";
                    }
                    else
                    {
                        var sequence = Pick(sequences);
                        raw = Insert(raw, _random.Next(raw.Length + 1), sequence);
                        what = $"bytes {Convert.ToHexString(sequence)} inserted";
                    }

                    break;
                }

            case "size":
                {
                    var choice = _random.Next(6);
                    switch (choice)
                    {
                        case 0:
                            var target = MaxPayloadBytes + _random.Next(-2, 3);
                            var text = Serialize(fields);
                            var padding = Math.Max(0, target - text.Length - 12);
                            fields.Add(("pad", "\"" + new string('x', padding) + "\""));
                            what = $"payload near the limit ({Encoding.UTF8.GetByteCount(Serialize(fields))} bytes)";
                            break;
                        case 1:
                            var length = Pick([511, 512, 513, 2_000]);
                            fields[0] = (fields[0].Key, JsonSerializer.Serialize(string.Concat(Enumerable.Repeat(Pick(["x", "é", "中", "😀"]), length))));
                            what = $"record id of about {length} characters";
                            break;
                        case 2:
                            // Random letters: a long name that compresses well would hide an index's row-size limit.
                            fields.Add((Letters(_random.Next(1_000, 6_000)), "1"));
                            what = "a long key";
                            break;
                        case 3:
                            fields.Add(("email", JsonSerializer.Serialize(Letters(_random.Next(300, 9_000)) + "@example.com")));
                            what = "a long identity";
                            break;
                        case 4:
                            fields.Add(("type", JsonSerializer.Serialize(new string('t', _random.Next(300, 9_000)))));
                            what = "a long event name";
                            break;
                        default:
                            fields.Add(("many", "[" + string.Join(",", Enumerable.Range(0, 2_000)) + "]"));
                            what = "a long array";
                            break;
                    }

                    break;
                }

            case "odd-name":
                if (_random.Next(2) == 0)
                {
                    source = _random.Next(4) == 0 ? new string('s', Pick([100, 101, 5_000])) : Pick(OddNames);
                    what = $"source '{Printable(source)}'";
                }
                else
                {
                    recordType = _random.Next(4) == 0 ? new string('c', Pick([100, 101, 5_000])) : Pick(OddRecordTypes);
                    what = $"record type '{Printable(recordType)}'";
                }

                break;
            case "structure":
                {
                    string[] shapes =
                    [
                        "", " ", "null", "true", "1", "\"text\"", "[]", "[{}]", "{}", "{\"id\":null,\"created\":null}", "\uFEFF{}",
                        "{\"id\":{},\"created\":1767225600}", "{\"id\":[1],\"created\":1767225600}", "{\"id\":true,\"created\":1767225600}",
                        "{\"id\":\"  \",\"created\":1767225600}", "{\"id\":\"x\",\"created\":[]}", "{\"id\":\"x\",\"created\":-99999999999}",
                        "{\"id\":\"x\",\"created\":\"2026-13-45T99:99:99Z\"}", "{\"id\":\"x\",\"created\":1767225600,\"created\":\"never\"}",
                        "{\"id\":\"x\"\"created\":1}", "{'id':'x'}", "{\"id\":\"x\",}", "{\"id\":\"x\"}}", "{\"a\":1}\n{\"b\":2}",
                    ];
                    raw = Encoding.UTF8.GetBytes(Pick(shapes));
                    what = "shape " + Printable(Encoding.UTF8.GetString(raw));
                    break;
                }

            default:
                // Another record type of the source takes an id that an earlier input (or this one's twin) holds.
                fields[0] = (fields[0].Key, $"\"fz_shared_{n % 7}\"");
                what = $"record id fz_shared_{n % 7} as a {type}";
                break;
        }

        raw ??= Encoding.UTF8.GetBytes(Serialize(fields));
        return (category, $"#{n} {category}: {what}", new IngestRecord(source, recordType, raw));
    }

    /// <summary>Makes text readable in a failure message: control characters and surrogates as escapes.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text, shortened to 120 characters.</returns>
    public static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 120 ? text[..120] : text)
        {
            builder.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return text.Length > 120 ? builder.Append('…').ToString() : builder.ToString();
    }

    private static string Serialize(List<(string Key, string Value)> fields) =>
        "{" + string.Join(",", fields.Select(f => "\"" + f.Key + "\":" + f.Value)) + "}";

    private static byte[] Insert(byte[] bytes, int at, byte[] inserted) => [.. bytes[..at], .. inserted, .. bytes[at..]];

    private (string Type, List<(string Key, string Value)> Fields) Base(int n)
    {
        var id = JsonSerializer.Serialize($"fz_{n}_{Word()}");
        var created = 1_767_225_600 + _random.Next(1_000_000);
        var email = JsonSerializer.Serialize($"fz{_random.Next(50)}@example.com");
        return _random.Next(4) switch
        {
            0 => ("customer", [("id", id), ("created", created.ToString(CultureInfo.InvariantCulture)), ("email", email), ("name", JsonSerializer.Serialize(Word() + " " + Word())), ("metadata", $"{{\"user_id\":{JsonSerializer.Serialize("u" + Word())}}}")]),
            1 => ("contact", [("vid", id), ("updatedAt", (created * 1000L).ToString(CultureInfo.InvariantCulture)), ("properties", $"{{\"email\":{email},\"name\":{JsonSerializer.Serialize(Word())}}}")]),
            _ => ("charge", [("id", id), ("created", created.ToString(CultureInfo.InvariantCulture)), ("type", JsonSerializer.Serialize("charge." + Word())), ("customer_email", email), ("amount", _random.Next(10_000).ToString(CultureInfo.InvariantCulture)), ("metadata", $"{{\"user_id\":{JsonSerializer.Serialize("u" + Word())}}}")]),
        };
    }

    /// <summary>Puts <paramref name="escape"/> into a string value (or a key) of the payload, at its start, middle or end.</summary>
    private string InjectIntoString(List<(string Key, string Value)> fields, string escape, bool keys)
    {
        var at = _random.Next(fields.Count);
        var (key, value) = fields[at];
        if (keys || !value.StartsWith('"'))
        {
            fields[at] = (Pick([escape + key, key + escape, key[..1] + escape + key[1..]]), value);
            return $"{escape} in key '{key}'";
        }

        // Only before the closing quote or after the opening one, so that no existing escape is split.
        var inner = value[1..^1];
        fields[at] = (key, "\"" + (_random.Next(2) == 0 ? escape + inner : inner + escape) + "\"");
        return $"{escape} in '{key}'";
    }

    private string Letters(int length) => string.Create(length, _random, (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + random.Next(26));
        }
    });

    private string Word() => string.Concat(Enumerable.Range(0, _random.Next(3, 8)).Select(_ => (char)('a' + _random.Next(26))));

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];
}
