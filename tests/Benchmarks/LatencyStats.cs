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

    /// <summary>The machine's CPU time so far, all cores, in clock ticks: in total, and stolen by the hypervisor (Linux's /proc/stat).</summary>
    public static (long Total, long Stolen)? CpuTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already counted in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Sum(), fields[7]);
    }

    /// <summary>
    /// The share of the CPU a shared VM's host took between two <see cref="CpuTicks"/> readings, as text: on these
    /// machines it decides a latency figure more than most code changes do, so each figure carries it.
    /// </summary>
    public static string Stolen((long Total, long Stolen)? before, (long Total, long Stolen)? after) =>
        before is { } from && after is { } to && to.Total > from.Total
            ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * (to.Stolen - from.Stolen) / (to.Total - from.Total):F0}% of the CPU stolen")
            : "CPU stolen: unknown";
}
