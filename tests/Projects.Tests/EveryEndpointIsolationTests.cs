using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Folio.Projects.Tests;

/// <summary>
/// Every endpoint that addresses a book (or a series) by id, found from the running app's routing table so an endpoint
/// added later is covered without touching this test: called by a second user with A's ids, each answers 404 and A's
/// data is unchanged. A route parameter this test does not know how to fill fails the test.
/// </summary>
[Collection(SharedProjectsApi.Name)]
public sealed class EveryEndpointIsolationTests(ProjectsApiFactory api)
{
    private static readonly string[] ScopeParameters = ["projectId", "seriesId"];

    [Fact]
    public async Task Every_endpoint_of_another_users_book_or_series_answers_404_and_changes_nothing()
    {
        using var owner = ProjectsClient.For(api);
        var projectId = await owner.CreateProjectAsync("Owner's book");
        var chapterId = (await owner.PostAsync($"/api/v1/projects/{projectId}/chapters", new { title = "One" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var endpoints = Endpoints().ToList();
        Guid? seriesId = null;
        if (endpoints.Any(endpoint => endpoint.Pattern.Parameters.Any(parameter => parameter.Name == "seriesId")))
        {
            seriesId = (await owner.PostAsync("/api/v1/series", new { title = "Owner's series" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        }

        var auditBefore = (await owner.GetAsync($"/api/v1/projects/{projectId}/audit?limit=200")).GetProperty("items").GetArrayLength();
        using var stranger = ProjectsClient.For(api);
        var covered = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var path = Fill(pattern, projectId, seriesId, chapterId);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var response = await stranger.Http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{method} {pattern.RawText} as another user: {await response.Content.ReadAsStringAsync()}");
            covered.Add($"{method} {pattern.RawText}");
        }

        covered.Should().HaveCountGreaterThanOrEqualTo(15, "every book-scoped endpoint is in the routing table");
        (await owner.GetAsync($"/api/v1/projects/{projectId}")).GetProperty("version").GetInt32().Should().Be(1);
        (await owner.GetAsync($"/api/v1/projects/{projectId}/chapters")).GetArrayLength().Should().Be(1);
        (await owner.GetAsync($"/api/v1/projects/{projectId}/audit?limit=200")).GetProperty("items").GetArrayLength().Should().Be(auditBefore);
    }

    private IEnumerable<(string Method, RoutePattern Pattern)> Endpoints() =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .Where(endpoint => endpoint.RoutePattern.Parameters.Any(parameter => ScopeParameters.Contains(parameter.Name)))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, endpoint.RoutePattern)));

    private static string Fill(RoutePattern pattern, Guid projectId, Guid? seriesId, Guid chapterId)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart { Name: "projectId" } => projectId.ToString(),
                    RoutePatternParameterPart { Name: "seriesId" } => seriesId?.ToString() ?? throw new InvalidOperationException("No series to address."),
                    RoutePatternParameterPart { Name: "chapterId" } => chapterId.ToString(),
                    RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(policy => policy.Content == "guid") => Guid.NewGuid().ToString(),
                    RoutePatternParameterPart parameter => throw new InvalidOperationException($"Route parameter {{{parameter.Name}}} of {pattern.RawText} has no sample value: add one here."),
                    _ => throw new InvalidOperationException($"Unexpected route part in {pattern.RawText}."),
                });
            }
        }

        return path.ToString();
    }
}
