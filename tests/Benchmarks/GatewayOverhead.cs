using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Folio.Benchmarks;

/// <summary>
/// The same small authenticated GET straight to a service and through the gateway, with the same number of
/// concurrent connections, one after the other in one run.
/// </summary>
internal static class GatewayOverhead
{
    public static async Task<int> RunAsync(Uri direct, Uri gateway, string token, Options options)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"load: {options.Connections} connections, {options.WarmupSeconds} s warm-up, {options.Seconds} s measured, client on the same machine");
        var directResult = await MeasureAsync(direct, token, options);
        var gatewayResult = await MeasureAsync(gateway, token, options);

        Report("direct ", direct, directResult);
        Report("gateway", gateway, gatewayResult);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway/direct RPS ratio {gatewayResult.Rps / directResult.Rps:F2}; added latency p50 {gatewayResult.Latency.Median - directResult.Latency.Median:F3} ms, p99 {gatewayResult.Latency.P99 - directResult.Latency.P99:F3} ms"));
        return gatewayResult.Errors + directResult.Errors == 0 ? 0 : 1;
    }

    private static void Report(string label, Uri uri, (double Rps, LatencyStats Latency, int Errors) result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} {uri}: {result.Rps:F0} req/s, {result.Latency}, errors {result.Errors}"));

    private static async Task<(double Rps, LatencyStats Latency, int Errors)> MeasureAsync(Uri uri, string token, Options options)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        await RunWorkersAsync(http, uri, options.Connections, TimeSpan.FromSeconds(options.WarmupSeconds), record: null);
        var samples = new List<double>[options.Connections];
        var stopwatch = Stopwatch.StartNew();
        var errors = await RunWorkersAsync(http, uri, options.Connections, TimeSpan.FromSeconds(options.Seconds), samples);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToList();
        return (all.Count / elapsed, LatencyStats.FromMilliseconds(all), errors);
    }

    private static async Task<int> RunWorkersAsync(HttpClient http, Uri uri, int workers, TimeSpan duration, List<double>[]? record)
    {
        var errors = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            var samples = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(uri);
                await response.Content.LoadIntoBufferAsync();
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            if (record is not null)
            {
                record[worker] = samples;
            }
        }));
        return errors;
    }
}
