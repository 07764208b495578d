using System.Text;
using EventLink.Quality.Internal;

namespace EventLink.Tests.Quality;

/// <summary>Shapes are walked once per distinct token sequence per batch; the counts stay per record.</summary>
public sealed class ShapeTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Repeated_and_distinct_shapes_are_counted_per_record()
    {
        var tracker = new ShapeTracker(new SchemaDriftOptions());
        Observe(tracker, """{"a":1,"b":{"c":"x"}}""", 1);
        Observe(tracker, """{"a":"s","b":{"c":null},"d":[1,2]}""", 2);
        Observe(tracker, """{"a":7,"b":{"c":"y"}}""", 3);
        Observe(tracker, """{"\u0061":true}""", 4);
        Observe(tracker, """{"a":false}""", 5);
        Observe(tracker, """{"a":2,"b":{"c":"z"}}""", 0, source: "other");

        var fields = tracker.Fields()
            .Where(f => f.Source == "stripe")
            .ToDictionary(f => (f.Path, f.JsonType), f => (f.Count, First: (f.FirstSeen - T0).TotalHours, Last: (f.LastSeen - T0).TotalHours));

        fields.Should().BeEquivalentTo(new Dictionary<(string, string), (long, double, double)>
        {
            [("$", "object")] = (5, 1, 5),
            [("a", "number")] = (2, 1, 3),
            [("b", "object")] = (3, 1, 3),
            [("b.c", "string")] = (2, 1, 3),
            [("a", "string")] = (1, 2, 2),
            [("b.c", "null")] = (1, 2, 2),
            [("d", "array")] = (1, 2, 2),
            [("d[]", "number")] = (1, 2, 2),
            [("a", "boolean")] = (2, 4, 5),
        });
    }

    [Fact]
    public void A_shape_cut_by_the_field_limit_is_cut_the_same_way_when_seen_again()
    {
        var tracker = new ShapeTracker(new SchemaDriftOptions { MaxFieldsPerRecord = 2 });
        Observe(tracker, """{"a":1,"b":2,"c":3,"d":4}""", 1);
        Observe(tracker, """{"a":5,"b":6,"c":7,"d":8}""", 2);

        tracker.Fields().Select(f => (f.Path, f.Count)).Should().BeEquivalentTo([("$", 2L), ("a", 2L), ("b", 2L)]);
    }

    private static void Observe(ShapeTracker tracker, string json, int hour, string source = "stripe") =>
        tracker.Observe(source, "charge", Encoding.UTF8.GetBytes(json), T0.AddHours(hour));
}
