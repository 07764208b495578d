using Microsoft.Extensions.DependencyInjection;

namespace EventLink.Tests.Destinations;

public sealed class SyncNameTests
{
    [Fact]
    public void A_sync_name_may_not_contain_the_trigger_feed_separator()
    {
        var act = () => new EventLinkBuilder().AddSync("crm~triggers", s => s.Destination = "crm");
        act.Should().Throw<ArgumentException>().WithMessage("A sync's name may not contain '~'*");
    }
}
