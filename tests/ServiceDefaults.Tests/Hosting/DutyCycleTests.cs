using System.Diagnostics;
using Folio.ServiceDefaults.Hosting;

namespace Folio.ServiceDefaults.Tests.Hosting;

public sealed class DutyCycleTests
{
    [Theory]
    [InlineData(0.25, 10, 30)]
    [InlineData(0.5, 10, 10)]
    [InlineData(1.0, 10, 0)]
    [InlineData(0.25, 0, 0)]
    public void The_pause_keeps_the_work_to_its_share(double share, int workedMs, int pauseMs) =>
        new DutyCycle(share, TimeSpan.FromSeconds(1)).PauseAfter(TimeSpan.FromMilliseconds(workedMs)).Should().Be(TimeSpan.FromMilliseconds(pauseMs));

    [Fact]
    public void A_stalled_unit_pauses_no_longer_than_the_longest_pause() =>
        new DutyCycle(0.25, TimeSpan.FromMilliseconds(200)).PauseAfter(TimeSpan.FromSeconds(5)).Should().Be(TimeSpan.FromMilliseconds(200));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    public void A_share_outside_zero_to_one_is_refused(double share) =>
        FluentActions.Invoking(() => new DutyCycle(share, TimeSpan.FromSeconds(1))).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public async Task Pausing_waits_in_proportion_to_the_unit_since_it_began()
    {
        var cycle = AfterAUnitOf(TimeSpan.FromMilliseconds(80), share: 0.5, longestPause: TimeSpan.FromSeconds(1));

        var waited = Stopwatch.StartNew();
        await cycle.PauseAsync(CancellationToken.None);
        waited.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(75));

        // The next unit begins when the pause ends: with no work since, the next pause is nothing.
        waited.Restart();
        await cycle.PauseAsync(CancellationToken.None);
        waited.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(60));
    }

    [Fact]
    public async Task A_stop_cancels_the_pause()
    {
        var cycle = AfterAUnitOf(TimeSpan.FromSeconds(10), share: 0.1, longestPause: TimeSpan.FromMinutes(5));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await FluentActions.Awaiting(() => cycle.PauseAsync(stop.Token)).Should().ThrowAsync<OperationCanceledException>();
    }

    /// <summary>A cycle whose current unit began <paramref name="worked"/> ago on a clock that then stands still.</summary>
    private static DutyCycle AfterAUnitOf(TimeSpan worked, double share, TimeSpan longestPause)
    {
        var clock = new SteppingClock();
        var cycle = new DutyCycle(share, longestPause, clock);
        cycle.Begin();
        clock.Advance(worked);
        return cycle;
    }

    /// <summary>Time that moves only when told; timers are the system's.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref now);

        public void Advance(TimeSpan by) => Interlocked.Add(ref now, by.Ticks);
    }
}
