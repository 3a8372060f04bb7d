using Folio.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Folio.Projects.Tests;

/// <summary>Every malformed request is refused with problem+json, and none of them leaves a project or an outbox row behind.</summary>
[Collection(SharedProjectsApi.Name)]
public sealed class BadRequestTests(ProjectsApiFactory api)
{
    [Theory]
    [InlineData("{\"title\": \"Unclosed")]
    [InlineData("{\"title\": }")]
    [InlineData("not json at all")]
    [InlineData("{\"title\": \"Wrong type\", \"targetWordCount\": \"many\"}")]
    public async Task Malformed_json_is_400_problem_and_creates_nothing(string json)
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsync("/api/v1/projects", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task An_empty_body_is_400_problem_and_creates_nothing()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsync("/api/v1/projects", new StringContent("", Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_problem_and_creates_nothing()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsync("/api/v1/projects", new StringContent("title=Plain", Encoding.UTF8, "text/plain"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    public static TheoryData<string, object> InvalidFields() => new()
    {
        { "Title", new { language = "en" } },
        { "Title", new { title = "" } },
        { "Title", new { title = "   " } },
        { "Title", new { title = new string('t', 201) } },
        { "Subtitle", new { title = "Fine", subtitle = new string('s', 301) } },
        { "Genre", new { title = "Fine", genre = new string('g', 101) } },
        { "Language", new { title = "Fine", language = "english!" } },
        { "Language", new { title = "Fine", language = "e" } },
        { "Language", new { title = "Fine", language = "" } },
        { "TargetWordCount", new { title = "Fine", targetWordCount = -1 } },
        { "TargetWordCount", new { title = "Fine", targetWordCount = 0 } },
        { "TargetWordCount", new { title = "Fine", targetWordCount = 5_000_001 } },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task An_invalid_field_is_400_validation_problem_naming_the_field_and_creates_nothing(string field, object request)
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsJsonAsync("/api/v1/projects", request);

        await response.ShouldBeValidationProblemAsync(field);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_reported_at_once()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsJsonAsync("/api/v1/projects", new { title = "", language = "??", targetWordCount = -10 });

        var problem = await response.ShouldBeValidationProblemAsync("Title");
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("Language", out _).Should().BeTrue(errors.GetRawText());
        errors.TryGetProperty("TargetWordCount", out _).Should().BeTrue(errors.GetRawText());
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413_problem_and_creates_nothing()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);
        var json = "{\"title\":\"Huge\",\"subtitle\":\"" + new string('x', (1024 * 1024) + 10) + "\"}";

        using var response = await client.PostJsonExpectingContinueAsync("/api/v1/projects", json);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task A_body_just_under_one_megabyte_reaches_validation()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);
        var json = "{\"title\":\"Big\",\"subtitle\":\"" + new string('x', 1000 * 1000) + "\"}";

        using var response = await client.PostAsync("/api/v1/projects", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.ShouldBeValidationProblemAsync("Subtitle");
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/projects/not-a-guid")]
    [InlineData("/api/v2/projects")]
    public async Task An_unknown_route_is_404_problem_with_or_without_a_token(string path)
    {
        using var authenticated = api.ClientFor(Guid.NewGuid());
        using var anonymous = api.ClientFor(null);

        using var withToken = await authenticated.GetAsync(path);
        using var withoutToken = await anonymous.GetAsync(path);

        await withToken.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await withoutToken.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Posting_to_an_unknown_route_is_404_problem_and_creates_nothing()
    {
        var owner = Guid.NewGuid();
        using var client = api.ClientFor(owner);

        using var response = await client.PostAsJsonAsync("/api/v1/project", new { title = "Typo in the path" });

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await ShouldHaveWrittenNothingAsync(owner);
    }

    [Fact]
    public async Task An_unsupported_method_is_405_problem()
    {
        using var client = api.ClientFor(Guid.NewGuid());

        using var response = await client.DeleteAsync("/api/v1/projects");

        await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    private async Task ShouldHaveWrittenNothingAsync(Guid owner)
    {
        (await api.CountProjectsOwnedByAsync(owner)).Should().Be(0, "a refused request must not create a project");
        (await api.CountOutboxMessagesForOwnerAsync(owner)).Should().Be(0, "a refused request must not enqueue an event");
    }
}
