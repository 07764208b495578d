using System.Text;
using System.Text.Json;
using EventLink.Presets;
using EventLink.Presets.Internal;

namespace EventLink.Tests.Presets;

public sealed class PresetDeliveryTests
{
    [Fact]
    public void A_call_is_kept_lower_case_without_slashes_and_a_blank_one_is_none()
    {
        new PresetDelivery { Call = " /Track/ " }.Call.Should().Be("track");
        new PresetDelivery { Call = "/v1/batch" }.Call.Should().Be("batch", "a path is reduced to its last segment");
        new PresetDelivery { Call = "/" }.Call.Should().BeNull();
        new PresetDelivery { Call = "  " }.Call.Should().BeNull();
        PresetDelivery.Unspecified.Call.Should().BeNull();
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded", true)]
    [InlineData("Application/X-WWW-Form-Urlencoded; charset=utf-8", true)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void The_content_type_says_whether_the_body_is_a_form(string? contentType, bool form) =>
        new PresetDelivery { ContentType = contentType }.IsFormUrlEncoded.Should().Be(form);

    [Fact]
    public void A_form_is_read_into_nested_objects_and_arrays_with_decoded_values()
    {
        FormBody.TryRead(Encoding.UTF8.GetBytes("type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data[email]=api%40mailchimp.com&data[merges][EMAIL]=api%40mailchimp.com&data[tags][]=a&data[tags][]=b"), out var form)
            .Should().BeTrue();

        form.ToJsonString().Should().Be("""{"type":"subscribe","fired_at":"2009-03-26 21:35:57","data":{"email":"api@mailchimp.com","merges":{"EMAIL":"api@mailchimp.com"},"tags":["a","b"]}}""");
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("no pairs here")]
    [InlineData("[x]=1")]
    [InlineData("a[b=1")]
    public void Text_that_is_not_a_form_is_not_read_as_one(string text) =>
        FormBody.TryRead(Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();

    [Fact]
    public void The_calls_a_hint_can_name_are_listed_per_preset()
    {
        SourcePresets.Segment.DeliveryCalls.Should().Contain(["track", "identify", "page", "screen", "group", "alias", "batch"]);
        SourcePresets.PostHog.DeliveryCalls.Should().Contain(["capture", "batch"]);
        SourcePresets.Stripe.DeliveryCalls.Should().BeEmpty();
    }

    [Fact]
    public void A_body_that_a_json_content_type_calls_json_is_not_read_as_a_form()
    {
        var read = SourcePresets.Stripe.Read(Encoding.UTF8.GetBytes("id=evt_1&type=customer.created"), new PresetDelivery { ContentType = "application/json" });
        read.Status.Should().Be(PresetReadStatus.Unrecognized);
        read.Message.Should().StartWith("not well-formed JSON");
    }

    [Fact]
    public void A_form_body_is_routed_like_the_json_object_it_spells()
    {
        var form = "id=evt_1&object=event&type=customer.created&created=1700000000&data[object][id]=cus_1&data[object][object]=customer&data[object][email]=ada%40example.com";
        var read = SourcePresets.Stripe.Read(form, new PresetDelivery { ContentType = "application/x-www-form-urlencoded" });

        read.Status.Should().Be(PresetReadStatus.Read, read.Message);
        using var payload = JsonDocument.Parse(read.Records.Single().Utf8Payload);
        payload.RootElement.GetProperty("data").GetProperty("object").GetProperty("email").GetString().Should().Be("ada@example.com");
        SourcePresets.Stripe.Read(form).Status.Should().Be(PresetReadStatus.Read, "a form is recognised without a content type too");
        SourcePresets.Stripe.Read("a[b=1", new PresetDelivery { ContentType = "application/x-www-form-urlencoded" }).Status.Should().Be(PresetReadStatus.Unrecognized);
    }
}
