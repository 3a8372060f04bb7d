using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Folio.Benchmarks.Projects;

/// <summary>
/// Issue 4's figure: list and get with 1,000 books of 200 chapters each, 16 concurrent clients, through the gateway
/// and straight to Projects in the same run. The books belong to a user registered for the run, created through the
/// real API (books through the gateway, chapters straight to Projects).
/// </summary>
internal static class ProjectsApiBenchmark
{
    private static readonly string[] Sorts = ["-updatedAt", "title", "-createdAt"];

    public static async Task<int> RunAsync(Uri gateway, Uri direct, Options options, int projects, int chapters)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        var token = await RegisterAsync(gateway);
        using var viaGateway = Client(gateway, token, options.Connections);
        using var viaService = Client(direct, token, options.Connections);

        var stopwatch = Stopwatch.StartNew();
        var ids = await SeedAsync(viaGateway, viaService, projects, chapters, options.Connections);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {projects} books × {chapters} chapters through the API in {stopwatch.Elapsed.TotalSeconds:F0} s"));

        var cursors = await CursorsAsync(viaService);
        var kinds = new (string Name, Func<Random, string> Target)[]
        {
            ("list, first page of 50", random => $"/api/v1/projects?limit=50&sort={Sorts[random.Next(Sorts.Length)]}"),
            ("list, a later page of 50 (cursor)", random => $"/api/v1/projects?limit=50&cursor={cursors[random.Next(cursors.Count)]}"),
            ("get one book", random => $"/api/v1/projects/{ids[random.Next(ids.Count)]}"),
            ($"its chapter list ({chapters} chapters)", random => $"/api/v1/projects/{ids[random.Next(ids.Count)]}/chapters"),
        };

        foreach (var (label, client) in new[] { ("direct ", viaService), ("gateway", viaGateway) })
        {
            foreach (var (name, target) in kinds.Where(kind => cursors.Count > 0 || !kind.Name.Contains("cursor", StringComparison.Ordinal)))
            {
                await ClosedLoop.RunAsync(client, target, 500, options.Connections);
                Console.WriteLine($"{label} {name}: {await ClosedLoop.RunAsync(client, target, options.Messages, options.Connections)} ({options.Connections} concurrent)");
            }
        }

        return 0;
    }

    internal static async Task<string> RegisterAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var email = $"bench-{Guid.NewGuid():N}@folio.local";
        using var response = await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "benchmark-pass-2026", displayName = "Benchmark" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static async Task<List<Guid>> SeedAsync(HttpClient viaGateway, HttpClient viaService, int projects, int chapters, int concurrency)
    {
        var ids = new Guid[projects];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var index && index < projects)
            {
                using var created = await viaGateway.PostAsJsonAsync("/api/v1/projects", new
                {
                    title = $"Benchmark book {index:D4}",
                    genre = "Benchmark",
                    targetWordCount = 80_000,
                    status = index % 4 == 0 ? "in_progress" : "draft",
                });
                created.EnsureSuccessStatusCode();
                ids[index] = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
                for (var chapter = 1; chapter <= chapters; chapter++)
                {
                    using var response = await viaService.PostAsJsonAsync($"/api/v1/projects/{ids[index]}/chapters", new
                    {
                        title = $"Chapter {chapter}",
                        targetLength = 3_000,
                        brief = new { beats = new[] { $"Beat one of chapter {chapter}", $"Beat two of chapter {chapter}" }, goal = "Move the story on" },
                    });
                    response.EnsureSuccessStatusCode();
                }
            }
        }));
        return [.. ids];
    }

    private static async Task<List<string>> CursorsAsync(HttpClient client)
    {
        var cursors = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?limit=50&sort=-updatedAt{(cursor is null ? "" : "&cursor=" + cursor)}");
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
            {
                cursors.Add(cursor);
            }
        }
        while (cursor is not null);
        return cursors;
    }

    internal static HttpClient Client(Uri baseAddress, string token, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
