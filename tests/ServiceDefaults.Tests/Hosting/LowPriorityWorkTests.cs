using Folio.ServiceDefaults.Hosting;

namespace Folio.ServiceDefaults.Tests.Hosting;

public sealed class LowPriorityWorkTests
{
    [Fact]
    public async Task Work_runs_on_its_own_thread_at_a_low_priority_and_returns_its_result()
    {
        var caller = Environment.CurrentManagedThreadId;

        var (result, thread, nice) = await LowPriorityWork.RunAsync(() => (6 * 7, Environment.CurrentManagedThreadId, CurrentThreadNice()));

        result.Should().Be(42);
        thread.Should().NotBe(caller);
        nice.Should().Be(OperatingSystem.IsLinux() ? LowPriorityWork.Nice : null);
        CurrentThreadNice().Should().Be(OperatingSystem.IsLinux() ? 0 : null, "the caller's own priority is left alone");
    }

    [Fact]
    public async Task The_thread_pool_keeps_its_normal_priority()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => LowPriorityWork.RunAsync(() => 0)));

        // More blocked work items than workers, so the pool has to start threads.
        using var release = new ManualResetEventSlim();
        var pooled = Enumerable.Range(0, 4 * Environment.ProcessorCount + 8)
            .Select(_ => Task.Run(() => { release.Wait(TimeSpan.FromSeconds(2)); return CurrentThreadNice(); }))
            .ToArray();
        await Task.Delay(500);
        release.Set();

        (await Task.WhenAll(pooled)).Should().AllBeEquivalentTo(OperatingSystem.IsLinux() ? 0 : (int?)null);
    }

    [Fact]
    public async Task A_failure_reaches_the_caller()
    {
        var running = () => LowPriorityWork.RunAsync<int>(() => throw new InvalidDataException("corrupt pack"));

        await running.Should().ThrowAsync<InvalidDataException>().WithMessage("corrupt pack");
    }

    /// <summary>The calling thread's nice value on Linux (field 19 of its stat, counted after the command name, which may hold spaces); null elsewhere.</summary>
    private static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var stat = File.ReadAllText("/proc/thread-self/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
