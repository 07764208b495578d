using System.Text;

namespace EventLink.Testing;

/// <summary>Side-by-side tables of expected and actual lists.</summary>
internal static class Diff
{
    public static string Table(IReadOnlyList<string> expected, IReadOnlyList<string> actual, Func<int, string> actualDetail)
    {
        var width = Math.Max(8, expected.Count == 0 ? 0 : expected.Max(e => e.Length));
        var text = new StringBuilder();
        text.AppendLine($"   #  {"expected".PadRight(width)}    actual");
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(none)";
            var a = i < actual.Count ? $"{actual[i]}  ({actualDetail(i)})" : "(none)";
            var same = i < expected.Count && i < actual.Count && string.Equals(expected[i], actual[i], StringComparison.Ordinal);
            text.AppendLine($"{i + 1,4}  {e.PadRight(width)} {(same ? "   " : " ≠ ")} {a}");
        }

        return text.ToString().TrimEnd();
    }
}
