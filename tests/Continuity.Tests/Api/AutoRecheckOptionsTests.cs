using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Folio.Continuity.Tests.Api;

public sealed class AutoRecheckOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    public void A_pass_share_outside_zero_to_one_stops_the_service_at_start(string share)
    {
        using var factory = new ContinuityApiFactory();
        using var misconfigured = factory.WithWebHostBuilder(builder => builder.UseSetting("AutoRecheck:PassShare", share));

        FluentActions.Invoking(() => misconfigured.CreateClient()).Should().Throw<OptionsValidationException>()
            .WithMessage("*AutoRecheck:PassShare must be above 0 and at most 1*");
    }
}
