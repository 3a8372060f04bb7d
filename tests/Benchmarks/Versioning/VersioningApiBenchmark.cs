using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Benchmarks.Versioning;

/// <summary>
/// The Versioning API as a writer's tools use it, on the running stack: the corpus history replayed through REST,
/// then random revision reads (direct and through the gateway), branch and version creation, whole-book diff and merge.
/// </summary>
internal static class VersioningApiBenchmark
{
    public static async Task<int> RunAsync(Uri direct, Uri gateway, string token, Options options)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        using var viaGateway = Client(gateway, token, options.Connections);
        using var viaService = Client(direct, token, options.Connections);

        var project = await viaGateway.PostAsJsonAsync("/api/v1/projects", new { title = "Pride and Prejudice (benchmark)" });
        var projectId = (await project.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        while (!(await viaService.GetAsync(new Uri($"/api/v1/projects/{projectId}/repository", UriKind.Relative))).IsSuccessStatusCode)
        {
            await Task.Delay(100);
        }

        var revisions = Corpus.Load();
        var commits = await ReplayAsync(viaService, projectId, revisions);
        var targets = revisions.Select(revision => $"/api/v1/projects/{projectId}/chapters/{ChapterId(revision.Chapter)}/content?ref={commits[revision.Seq]}&includeDraft=false").ToArray();

        foreach (var (label, client) in new[] { ("direct ", viaService), ("gateway", viaGateway) })
        {
            // Every revision once, unmeasured: JIT tiering and the first load of each pack are start-up costs, not read latency.
            var cold = await ClosedLoop.RunAsync(client, random => targets[random.Next(targets.Length)], targets.Length, options.Connections);
            Console.WriteLine($"first pass over every revision {label}: {cold} ({options.Connections} concurrent, cold)");
            var latency = await ClosedLoop.RunAsync(client, random => targets[random.Next(targets.Length)], options.Messages, options.Connections);
            Console.WriteLine($"random revision reads {label}: {latency} ({options.Connections} concurrent)");
            Console.WriteLine($"random revision reads {label}: {await ClosedLoop.RunAsync(client, random => targets[random.Next(targets.Length)], options.Messages / 4, 1)} (1 client)");
        }

        var first = commits.OrderBy(pair => pair.Key).First().Value;
        var last = commits.OrderBy(pair => pair.Key).Last().Value;
        Console.WriteLine($"branch creation: {await TimeEachAsync(200, i => viaService.PostAsJsonAsync($"/api/v1/projects/{projectId}/branches", new { name = $"bench-{i}", from = "main" }))}");
        Console.WriteLine($"version tagging: {await TimeEachAsync(200, _ => viaService.PostAsJsonAsync($"/api/v1/projects/{projectId}/versions", new { bump = "patch" }))}");
        Console.WriteLine($"whole-book diff first→last commit: {await TimeEachAsync(10, _ => viaService.GetAsync(new Uri($"/api/v1/projects/{projectId}/diff?from={first}&to={last}", UriKind.Relative)))}");
        Console.WriteLine($"whole-book 3-way merge: {await MergeAsync(viaService, projectId, first, revisions)}");
        return 0;
    }

    private static async Task<Dictionary<int, string>> ReplayAsync(HttpClient client, string projectId, IReadOnlyList<CorpusRevision> revisions)
    {
        var commits = new Dictionary<int, string>();
        string? head = null;
        var stopwatch = Stopwatch.StartNew();
        foreach (var commit in revisions.GroupBy(revision => revision.Seq).OrderBy(group => group.Key))
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/commits", new
            {
                expectedHead = head,
                message = commit.First().Message,
                changes = commit.Select(revision => new { chapterId = ChapterId(revision.Chapter), text = revision.Markdown }),
            });
            response.EnsureSuccessStatusCode();
            head = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            commits[commit.Key] = head;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed {revisions.Count} revisions in {commits.Count} commits through REST in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return commits;
    }

    /// <summary>One call after another; the first few warm the code path up and are not counted.</summary>
    private static async Task<LatencyStats> TimeEachAsync(int count, Func<int, Task<HttpResponseMessage>> call, int warmUp = 5)
    {
        var samples = new List<double>();
        for (var i = 0; i < count + warmUp; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await call(i);
            response.EnsureSuccessStatusCode();
            if (i >= warmUp)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return LatencyStats.FromMilliseconds(samples);
    }

    /// <summary>A branch from the first commit appends a note to every chapter; merging it into main is a 3-way merge of every chapter.</summary>
    private static async Task<LatencyStats> MergeAsync(HttpClient client, string projectId, string first, IReadOnlyList<CorpusRevision> revisions)
    {
        var samples = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            var branch = $"merge-bench-{round}";
            (await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/branches", new { name = branch, from = first })).EnsureSuccessStatusCode();
            var changes = revisions.Where(revision => revision.Seq == revisions[0].Seq)
                .Select(revision => new { chapterId = ChapterId(revision.Chapter), text = $"{revision.Markdown}\n\nRound {round}: an editor's closing note." });
            (await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/commits", new { branch, expectedHead = first, message = "Editor's notes", changes })).EnsureSuccessStatusCode();
            var main = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{projectId}/branches")).EnumerateArray()
                .Single(b => b.GetProperty("name").GetString() == "main").GetProperty("headCommitId").GetString();

            var started = Stopwatch.GetTimestamp();
            using var merge = await client.PostAsJsonAsync($"/api/v1/projects/{projectId}/merges", new { source = branch, target = "main", expectedTargetHead = main });
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!merge.IsSuccessStatusCode)
            {
                Console.WriteLine($"merge round {round}: {(int)merge.StatusCode} {await merge.Content.ReadAsStringAsync()}"[..300]);
            }
        }

        return LatencyStats.FromMilliseconds(samples);
    }

    private static HttpClient Client(Uri baseAddress, string token, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Guid ChapterId(int number) => new(SHA256.HashData(Encoding.UTF8.GetBytes($"pride-and-prejudice-{number}")).AsSpan(0, 16));
}
