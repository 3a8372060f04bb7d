using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Folio.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Folio.Gateway.Tests;

[Collection(SharedGateway.Name)]
public sealed class AuthTests(GatewayFactory gateway)
{
    [Fact]
    public async Task Register_returns_201_with_a_token_that_works_on_me()
    {
        var email = GatewayUser.NewEmail();
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = GatewayUser.GoodPassword, displayName = "  Ada Writer " });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, text);
        response.Headers.Location!.ToString().Should().EndWith("/api/v1/auth/me");
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("tokenType").GetString().Should().Be("Bearer");
        body.GetProperty("expiresAt").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(5));
        var user = body.GetProperty("user");
        var userId = user.GetProperty("id").GetGuid();
        user.GetProperty("email").GetString().Should().Be(email);
        user.GetProperty("displayName").GetString().Should().Be("Ada Writer");
        text.Should().NotContain(GatewayUser.GoodPassword).And.NotContainEquivalentOf("passwordHash");

        var token = body.GetProperty("accessToken").GetString()!;
        var jwt = new JsonWebToken(token);
        jwt.Subject.Should().Be(userId.ToString());
        jwt.Issuer.Should().Be(TestInfrastructure.JwtIssuer);

        using var authenticated = gateway.CreateIsolatedClient(token);
        var me = await authenticated.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        me.GetProperty("id").GetGuid().Should().Be(userId);
        me.GetProperty("email").GetString().Should().Be(email);
        me.GetProperty("displayName").GetString().Should().Be("Ada Writer");
        (await gateway.CountUsersWithEmailAsync(email)).Should().Be(1);
    }

    [Fact]
    public async Task Register_without_a_display_name_uses_the_email_name()
    {
        var email = GatewayUser.NewEmail("quill");
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = GatewayUser.GoodPassword });

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("user").GetProperty("displayName").GetString().Should().Be(email.Split('@')[0]);
    }

    [Fact]
    public async Task Login_returns_200_with_a_working_token_and_ignores_email_case()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "  " + user.Email.ToUpperInvariant() + " ", password = user.Password });

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        var body = JsonDocument.Parse(text).RootElement;
        body.GetProperty("tokenType").GetString().Should().Be("Bearer");
        body.GetProperty("user").GetProperty("id").GetGuid().Should().Be(user.Id);

        using var authenticated = gateway.CreateIsolatedClient(body.GetProperty("accessToken").GetString());
        var me = await authenticated.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        me.GetProperty("id").GetGuid().Should().Be(user.Id);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_are_the_same_401_problem()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient();

        using var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "Not-the-password-1" });
        using var unknownEmail = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = GatewayUser.NewEmail("nobody"), password = user.Password });

        var wrong = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await unknownEmail.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        wrong.GetProperty("title").GetString().Should().Be(unknown.GetProperty("title").GetString());
        wrong.GetProperty("detail").GetString().Should().NotBeNullOrEmpty()
            .And.Be(unknown.GetProperty("detail").GetString(), "the answer must not reveal which accounts exist");
        wrong.TryGetProperty("accessToken", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("same")]
    public async Task Registering_an_existing_email_again_in_any_case_is_409_problem_and_keeps_one_account(string variant)
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        var again = variant == "upper" ? user.Email.ToUpperInvariant() : user.Email;
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email = again, password = "Another-pass-99", displayName = "Impostor" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        (await gateway.CountUsersWithEmailAsync(user.Email)).Should().Be(1);

        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = "Another-pass-99" });
        await login.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>In each password, {name} stands for the (unique) part of the email before the @.</summary>
    public static TheoryData<string, string> WeakPasswords() => new()
    {
        { "too short", "Sh0rt-1" },
        { "letters only", "onlylettershere" },
        { "no letters", "1234567890!!" },
        { "contains the email name", "my-{name}-2024" },
        { "contains the email name in another case", "{NAME}!2024" },
        { "empty", "" },
        { "too long", new string('a', 120) + "123456789" },
    };

    [Theory]
    [MemberData(nameof(WeakPasswords))]
    public async Task A_weak_password_is_400_validation_problem_on_Password_and_creates_no_account(string why, string passwordTemplate)
    {
        var name = $"pen{Guid.NewGuid():N}"[..15];
        var email = $"{name}@example.com";
        var password = passwordTemplate
            .Replace("{name}", name, StringComparison.Ordinal)
            .Replace("{NAME}", name.ToUpperInvariant(), StringComparison.Ordinal);
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password });

        await response.ShouldBeValidationProblemAsync("Password");
        (await gateway.CountUsersWithEmailAsync(email)).Should().Be(0, why);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("missing-domain@")]
    [InlineData("no-tld@example")]
    [InlineData("two words@example.com")]
    [InlineData("")]
    public async Task An_invalid_email_is_400_validation_problem_on_Email_and_creates_no_account(string email)
    {
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = GatewayUser.GoodPassword });

        await response.ShouldBeValidationProblemAsync("Email");
        (await gateway.CountUsersWithEmailAsync(email)).Should().Be(0);
    }

    [Theory]
    [InlineData("/api/v1/auth/register", "{\"email\": \"a@example.com\", ")]
    [InlineData("/api/v1/auth/register", "[1, 2, 3]")]
    [InlineData("/api/v1/auth/login", "{\"email\": ")]
    [InlineData("/api/v1/auth/login", "plain text")]
    public async Task Malformed_json_is_400_problem(string path, string json)
    {
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_missing_body_is_400_problem()
    {
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostAsync("/api/v1/auth/login", new StringContent("", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413_problem_and_creates_no_account()
    {
        var email = GatewayUser.NewEmail("huge");
        var json = JsonSerializer.Serialize(new { email, password = GatewayUser.GoodPassword, displayName = new string('d', (1024 * 1024) + 10) });
        using var client = gateway.CreateIsolatedClient();

        using var response = await client.PostJsonExpectingContinueAsync("/api/v1/auth/register", json);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        (await gateway.CountUsersWithEmailAsync(email)).Should().Be(0);
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/auth/unknown")]
    [InlineData("/api/v1/api-keys/not-a-guid/extra")]
    public async Task An_unknown_route_is_404_problem(string path)
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var anonymous = gateway.CreateIsolatedClient();
        using var authenticated = gateway.CreateIsolatedClient(user.Token);

        using var withoutToken = await anonymous.GetAsync(path);
        using var withToken = await authenticated.GetAsync(path);

        await withoutToken.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await withToken.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string?> RejectedCredentials() => new()
    {
        { "no token", null },
        { "expired token", TestInfrastructure.TokenFor(Guid.NewGuid(), lifetime: TimeSpan.FromMinutes(-5)) },
        { "forged token", TestInfrastructure.TokenFor(Guid.NewGuid(), signingKey: Convert.ToBase64String(Enumerable.Range(0, 48).Select(i => (byte)(200 - i)).ToArray())) },
        { "garbage", "definitely-not-a-token" },
        { "unknown API key", "folio_0123456789ab_not-a-real-secret" },
        { "malformed API key", "folio_short" },
    };

    [Theory]
    [MemberData(nameof(RejectedCredentials))]
    public async Task Me_without_valid_credentials_is_401_problem(string why, string? bearer)
    {
        using var client = gateway.CreateIsolatedClient(bearer);

        using var response = await client.GetAsync("/api/v1/auth/me");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.TryGetProperty("email", out _).Should().BeFalse(why);
    }

    [Fact]
    public async Task Me_with_an_expired_token_of_a_real_user_is_401_problem()
    {
        var user = await GatewayUser.RegisterAsync(gateway);
        using var client = gateway.CreateIsolatedClient(TestInfrastructure.TokenFor(user.Id, user.Email, lifetime: TimeSpan.FromMinutes(-2)));

        using var response = await client.GetAsync("/api/v1/auth/me");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
