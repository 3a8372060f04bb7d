using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Folio.Benchmarks.Projects;

namespace Folio.Benchmarks.Generation;

/// <summary>
/// Issue 5's figure: a 100-chapter job with the offline provider through the gateway. Per chapter, orchestration
/// overhead = the chapter's wall time (saga start of the chapter to its ChapterGenerated) minus the time spent inside
/// the agents (their recorded runs); the anchor is the goal, 30 ms per chapter.
/// </summary>
internal static class SagaOverheadBenchmark
{
    private const double GoalMilliseconds = 30;

    public static async Task<int> RunAsync(Uri gateway, int chapters)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        using var client = ProjectsApiBenchmark.Client(gateway, await ProjectsApiBenchmark.RegisterAsync(gateway), 4);
        var projectId = await PostAsync(client, "/api/v1/projects", new { title = "Benchmark book" });
        await WaitAsync(client, $"/api/v1/projects/{projectId}/branches");
        await WaitAsync(client, $"/api/v1/projects/{projectId}/agent-runs");
        for (var number = 1; number <= chapters; number++)
        {
            await PostAsync(client, $"/api/v1/projects/{projectId}/chapters", new { title = $"Chapter {number}", targetLength = 300 });
        }

        var wall = Stopwatch.StartNew();
        var jobId = await PostAsync(client, "/api/v1/generation/jobs", new { projectId, fromChapter = 1, toChapter = chapters, continuity = new { policy = "off" }, seed = 1 });
        JsonElement job;
        while (true)
        {
            job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/generation/jobs/{jobId}");
            if (job.GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled")
            {
                break;
            }

            await Task.Delay(200);
        }

        wall.Stop();
        if (job.GetProperty("state").GetString() != "Completed")
        {
            Console.Error.WriteLine($"the job did not complete: {job}");
            return 1;
        }

        var runs = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/agent-runs?jobId={jobId}&limit=1000")).GetProperty("items")
            .EnumerateArray().GroupBy(run => run.GetProperty("chapterNumber").GetInt32())
            .ToDictionary(group => group.Key, group => group.Sum(run => run.GetProperty("durationMs").GetDouble()));
        var overhead = job.GetProperty("chapters").EnumerateArray().Select(chapter =>
            (chapter.GetProperty("finishedAt").GetDateTimeOffset() - chapter.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds
            - runs.GetValueOrDefault(chapter.GetProperty("number").GetInt32())).ToList();
        var agents = runs.Values.Sum();
        var stats = LatencyStats.FromMilliseconds(overhead);
        var saga = (job.GetProperty("finishedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{chapters}-chapter job (offline provider): wall {wall.Elapsed.TotalSeconds:F1} s from request to completion, {saga:F1} s from start to end, {agents / 1000:F1} s inside the agents"));
        Console.WriteLine($"orchestration overhead per chapter: {stats}   (goal: {GoalMilliseconds} ms)");
        return 0;
    }

    private static async Task<string> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task WaitAsync(HttpClient client, string path)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            using var response = await client.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never answered 200.");
    }
}
