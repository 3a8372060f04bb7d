using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class ProjectAccessTests(ProjectsApiFactory api)
{
    /// <summary>A different, valid-looking key: tokens signed with it are forgeries.</summary>
    private static readonly string ForeignSigningKey = Convert.ToBase64String(Enumerable.Range(1, 48).Select(i => (byte)(255 - i)).ToArray());

    [Fact]
    public async Task Another_users_project_is_404_problem_exactly_like_a_missing_one()
    {
        using var owner = api.ClientFor(Guid.NewGuid());
        using var created = await owner.PostAsJsonAsync("/api/v1/projects", new { title = "Private diary" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var intruder = api.ClientFor(Guid.NewGuid());
        using var foreign = await intruder.GetAsync($"/api/v1/projects/{projectId}");
        var foreignProblem = await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        foreign.Headers.ETag.Should().BeNull();
        foreignProblem.GetRawText().Should().NotContain("Private diary");

        using var missing = await intruder.GetAsync($"/api/v1/projects/{Guid.NewGuid()}");
        var missingProblem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        missingProblem.GetProperty("title").GetString().Should().Be(foreignProblem.GetProperty("title").GetString(), "ids must not leak whether a project exists");

        using var stillMine = await owner.GetAsync($"/api/v1/projects/{projectId}");
        stillMine.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<string, string?> RejectedTokens() => new()
    {
        { "no token", null },
        { "expired token", TestInfrastructure.TokenFor(Guid.NewGuid(), lifetime: TimeSpan.FromMinutes(-5)) },
        { "forged token (signed with another key)", TestInfrastructure.TokenFor(Guid.NewGuid(), signingKey: ForeignSigningKey) },
        { "not a JWT at all", "not-a-jwt" },
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Listing_without_a_valid_token_is_401_problem(string why, string? token)
    {
        using var client = api.ClientWithToken(token);

        using var response = await client.GetAsync("/api/v1/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().NotBeEmpty(why);
    }

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Reading_a_project_without_a_valid_token_is_401_problem(string why, string? token)
    {
        var owner = Guid.NewGuid();
        using var ownerClient = api.ClientFor(owner);
        using var created = await ownerClient.PostAsJsonAsync("/api/v1/projects", new { title = "Guarded" });
        var projectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var client = api.ClientWithToken(token);
        using var response = await client.GetAsync($"/api/v1/projects/{projectId}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetRawText().Should().NotContain("Guarded", why);
    }

    [Fact]
    public async Task Creating_with_an_expired_or_forged_token_is_401_problem_and_writes_nothing()
    {
        var victim = Guid.NewGuid();
        var tokens = new[]
        {
            TestInfrastructure.TokenFor(victim, lifetime: TimeSpan.FromMinutes(-5)),
            TestInfrastructure.TokenFor(victim, signingKey: ForeignSigningKey),
            null,
        };

        foreach (var token in tokens)
        {
            using var client = api.ClientWithToken(token);
            using var response = await client.PostAsJsonAsync("/api/v1/projects", new { title = "Should not exist" });
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        (await api.CountProjectsOwnedByAsync(victim)).Should().Be(0);
        (await api.CountOutboxMessagesForOwnerAsync(victim)).Should().Be(0);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401_problem()
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var token = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = TestInfrastructure.JwtIssuer,
            Audience = "someone-else",
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString() },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(TestInfrastructure.JwtSigningKey)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        using var client = api.ClientWithToken(token);

        using var response = await client.GetAsync("/api/v1/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
