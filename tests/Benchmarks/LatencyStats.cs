using System.Globalization;

namespace Folio.Benchmarks;

internal sealed record LatencyStats(int Count, double Median, double P99, double Max)
{
    public static LatencyStats FromMilliseconds(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new LatencyStats(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {Median:F3} ms, p99 {P99:F3} ms, max {Max:F3} ms (n={Count})");
}

internal static class Machine
{
    public static string Describe() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
}
