using System.Diagnostics;

namespace Folio.Benchmarks;

/// <summary>
/// A fixed number of clients, each sending its next request as soon as the last answer is read (the way a
/// writer's tools and integrators call), every request timed from send to last byte.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LatencyStats> RunAsync(HttpClient client, Func<Random, string> nextTarget, int requests, int clients)
    {
        var samples = new double[requests];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            var random = new Random(worker);
            while (Interlocked.Increment(ref next) is var index && index < requests)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(new Uri(nextTarget(random), UriKind.Relative));
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                samples[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        return LatencyStats.FromMilliseconds(samples);
    }
}
