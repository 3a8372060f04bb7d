using Folio.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;

namespace Folio.Gateway.Tests;

/// <summary>A gateway of its own that allows three auth attempts per minute per client address.</summary>
public sealed class RateLimitedGatewayFactory : GatewayFactory
{
    public const int PermitsPerMinute = 3;

    public RateLimitedGatewayFactory()
        : base(new Dictionary<string, string?> { ["AuthRateLimit:PermitsPerMinute"] = PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
    }
}

public sealed class RateLimitTests(RateLimitedGatewayFactory gateway) : IClassFixture<RateLimitedGatewayFactory>
{
    [Fact]
    public async Task The_fourth_login_attempt_in_a_minute_from_one_address_is_429_problem_with_retry_after()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var attacker = gateway.CreateIsolatedClient();

        for (var attempt = 1; attempt <= RateLimitedGatewayFactory.PermitsPerMinute; attempt++)
        {
            using var guess = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = $"Guess-number-{attempt}" });
            await guess.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        using var limited = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "Guess-number-4" });
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        limited.Headers.RetryAfter!.Delta.Should().NotBeNull();
        limited.Headers.RetryAfter.Delta!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));

        using var evenTheRightPassword = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        await evenTheRightPassword.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        evenTheRightPassword.Headers.RetryAfter.Should().NotBeNull();

        using var someoneElse = gateway.CreateIsolatedClient();
        using var elsewhere = await someoneElse.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password });
        elsewhere.StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per client address");
    }

    [Fact]
    public async Task Registering_past_the_limit_is_429_problem_and_creates_no_account()
    {
        using var client = gateway.CreateIsolatedClient();
        for (var attempt = 1; attempt <= RateLimitedGatewayFactory.PermitsPerMinute; attempt++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = GatewayUser.NewEmail(), password = GatewayUser.GoodPassword });
            allowed.StatusCode.Should().Be(HttpStatusCode.Created, await allowed.Content.ReadAsStringAsync());
        }

        var email = GatewayUser.NewEmail("limited");
        using var limited = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = GatewayUser.GoodPassword });

        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await gateway.CountUsersWithEmailAsync(email)).Should().Be(0);
    }
}
