using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Folio.EndToEnd.Tests;

[Collection(RunningFolioDefinition.Name)]
public sealed class WalkingSkeletonTests(RunningFolio stack)
{
    private static readonly TimeSpan EventTravel = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_project_created_in_Projects_gets_a_repository_in_Versioning_that_Export_reads_over_gRPC()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        (await writer.GetJsonAsync("/api/v1/auth/me")).GetProperty("email").GetString().Should().StartWith("writer-");

        var project = await writer.PostJsonAsync("/api/v1/projects", new { title = "The Lighthouse Keeper", language = "en", targetWordCount = 80000 }, HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetString();
        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}")).GetProperty("title").GetString().Should().Be("The Lighthouse Keeper");

        var branches = await writer.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);
        branches.EnumerateArray().Select(b => b.GetProperty("name").GetString()).Should().Equal("main");

        var chapterId = Guid.NewGuid();
        using (var save = await writer.SendAsync(HttpMethod.Put, $"/api/v1/projects/{projectId}/chapters/{chapterId}/content",
                   new { text = "Chapter one.\n\nThe lamp was lit.", mode = "version", expectedHead = (string?)null }))
        {
            save.StatusCode.Should().Be(HttpStatusCode.Created, await save.Content.ReadAsStringAsync());
        }

        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}/chapters/{chapterId}/content")).GetProperty("words").GetInt32().Should().Be(6);
        (await writer.PostJsonAsync($"/api/v1/projects/{projectId}/versions", new { bump = "major" }, HttpStatusCode.Created)).GetProperty("name").GetString().Should().Be("v1.0");

        var sources = await writer.GetJsonAsync($"/api/v1/exports/projects/{projectId}/refs");
        sources.GetProperty("defaultBranch").GetString().Should().Be("main");
        sources.GetProperty("refs").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Should().Equal("main");
        sources.GetProperty("refs")[0].GetProperty("headCommitId").GetString().Should().HaveLength(64);
    }

    [Fact]
    public async Task Another_user_gets_404_and_no_token_gets_401_in_every_service()
    {
        using var owner = await GatewayClient.RegisterAsync(stack.Gateway);
        using var stranger = await GatewayClient.RegisterAsync(stack.Gateway);
        using var anonymous = new GatewayClient(stack.Gateway);
        var projectId = (await owner.PostJsonAsync("/api/v1/projects", new { title = "Private" }, HttpStatusCode.Created)).GetProperty("id").GetString();
        await owner.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);

        string[] paths = [$"/api/v1/projects/{projectId}", $"/api/v1/projects/{projectId}/branches", $"/api/v1/exports/projects/{projectId}/refs"];
        foreach (var path in paths)
        {
            await ExpectProblemAsync(stranger, path, HttpStatusCode.NotFound);
            await ExpectProblemAsync(anonymous, path, HttpStatusCode.Unauthorized);
        }

        (await stranger.GetJsonAsync("/api/v1/projects")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task An_integrator_with_an_API_key_works_through_the_gateway()
    {
        using var writer = await GatewayClient.RegisterAsync(stack.Gateway);
        var created = await writer.PostJsonAsync("/api/v1/api-keys", new { name = "CI integration" }, HttpStatusCode.Created);
        using var integrator = new GatewayClient(stack.Gateway, created.GetProperty("key").GetString());

        var projectId = (await integrator.PostJsonAsync("/api/v1/projects", new { title = "Made by a script" }, HttpStatusCode.Created)).GetProperty("id").GetString();

        (await writer.GetJsonAsync($"/api/v1/projects/{projectId}")).GetProperty("title").GetString().Should().Be("Made by a script");
        await integrator.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);

        using var revoke = await writer.SendAsync(HttpMethod.Delete, $"/api/v1/api-keys/{created.GetProperty("apiKey").GetProperty("id").GetString()}");
        revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await ExpectProblemAsync(integrator, $"/api/v1/projects/{projectId}", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_independent_gRPC_client_reads_the_repository_through_the_gateway()
    {
        using var owner = await GatewayClient.RegisterAsync(stack.Gateway);
        using var stranger = await GatewayClient.RegisterAsync(stack.Gateway);
        var projectId = (await owner.PostJsonAsync("/api/v1/projects", new { title = "Over gRPC" }, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await owner.EventuallyGetJsonAsync($"/api/v1/projects/{projectId}/branches", EventTravel);

        var results = await RunPythonClientAsync(owner.Token!, stranger.Token!, projectId);

        results["repository"].GetProperty("default_branch").GetString().Should().Be("main");
        results["repository"].GetProperty("branches").EnumerateArray().Select(b => b.GetString()).Should().Equal("main");
        results["stream"].GetProperty("branches").EnumerateArray().Select(b => b.GetString()).Should().Equal("main");
        results["other_user"].GetProperty("code").GetString().Should().Be("NOT_FOUND");
        results["bad_argument"].GetProperty("code").GetString().Should().Be("INVALID_ARGUMENT");
        results["anonymous"].GetProperty("code").GetString().Should().Be("UNAUTHENTICATED");

        var commitId = results["commit"].GetProperty("commit_id").GetString();
        commitId.Should().HaveLength(64);
        results["commit"].GetProperty("words").GetInt32().Should().Be(12);
        results["chapter"].GetProperty("text").GetString().Should().Be("The keeper lit the lamp.\n\nThe ship turned away from the rocks.");
        results["chapter"].GetProperty("commit_id").GetString().Should().Be(commitId);
        results["snapshot"].GetProperty("chapters").GetArrayLength().Should().Be(1);
        results["manifest"].GetProperty("chapters")[0].GetString().Should().Be(results["snapshot"].GetProperty("chapters")[0].GetString());
        results["manifest"].GetProperty("texts")[0].GetString().Should().BeEmpty("a snapshot without text carries only the content ids");
        results["contents"].GetProperty("texts")[0].GetString().Should().Be("The keeper lit the lamp.\n\nThe ship turned away from the rocks.");
        results["stale_commit"].GetProperty("code").GetString().Should().Be("ABORTED");
        var log = await owner.GetJsonAsync($"/api/v1/projects/{projectId}/log");
        log[0].GetProperty("author").GetProperty("agent").GetProperty("model").GetString().Should().Be("offline");
    }

    [Fact]
    public async Task Every_service_reports_ready_with_its_database_and_broker()
    {
        using var http = new HttpClient();
        foreach (var uri in stack.ServiceHealthUris)
        {
            var report = JsonDocument.Parse(await http.GetStringAsync(uri)).RootElement;
            report.GetProperty("status").GetString().Should().Be("Healthy", uri.ToString());
            var checks = report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            checks.Should().Contain("database", uri.ToString());
        }
    }

    private static async Task ExpectProblemAsync(GatewayClient client, string path, HttpStatusCode expected)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path);
        response.StatusCode.Should().Be(expected, path);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", path);
    }

    private async Task<Dictionary<string, JsonElement>> RunPythonClientAsync(string token, string strangerToken, string projectId)
    {
        const string python = "/usr/bin/python3";
        File.Exists(python).Should().BeTrue("Debian's python3 with python3-grpcio and python3-grpc-tools is needed (./test.sh installs them)");
        var start = new ProcessStartInfo(python, ["-I", Path.Combine(AppContext.BaseDirectory, "versioning_client.py"),
            stack.GatewayGrpcTarget, Path.Combine(AppContext.BaseDirectory, "protos"), token, strangerToken, projectId])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.ExitCode.Should().Be(0, await stderr);
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(result => result.GetProperty("case").GetString()!);
    }
}
