using Folio.ServiceDefaults.Security;
using Folio.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Folio.ServiceDefaults.Tests.Security;

public sealed class OnBehalfOfTokenTests
{
    private static readonly JwtOptions Jwt = new()
    {
        Issuer = TestInfrastructure.JwtIssuer, Audience = TestInfrastructure.JwtAudience, SigningKey = TestInfrastructure.JwtSigningKey,
    };

    [Fact]
    public async Task A_service_token_is_a_short_lived_token_for_the_owner_that_every_service_accepts()
    {
        var owner = Guid.NewGuid();
        var token = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Jwt), TimeProvider.System).IssueOnBehalfOf(owner, "continuity", TimeSpan.FromMinutes(2)).Token;

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters());

        result.IsValid.Should().BeTrue(result.Exception?.Message);
        result.Claims["sub"].Should().Be(owner.ToString());
        result.Claims["azp"].Should().Be("continuity");
        ((JsonWebToken)result.SecurityToken).ValidTo.Should().BeCloseTo(DateTime.UtcNow.AddMinutes(2), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_old_service_token_is_rejected()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow.AddMinutes(-10));
        var token = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Jwt), clock).IssueOnBehalfOf(Guid.NewGuid(), "continuity", TimeSpan.FromMinutes(2)).Token;

        (await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters())).IsValid.Should().BeFalse();
    }

    private static TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = Jwt.Issuer,
        ValidAudience = Jwt.Audience,
        IssuerSigningKey = Jwt.CreateSigningKey(),
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
