using Microsoft.Extensions.Options;

namespace Folio.ServiceDefaults.Hosting;

/// <summary>
/// Keeps a background loop of small units of work (a re-check pass's chapters) to a share of its wall time: after each
/// unit it pauses in proportion to how long the unit took. The loop's total work stays the same, but it no longer takes
/// the cores in one burst from the requests and jobs that someone is waiting for; on a busy host its units take longer
/// and so do its pauses. A share of 1 never pauses. The loop calls <see cref="Begin"/> before each unit and
/// <see cref="PauseAsync"/> after it.
/// </summary>
public sealed class DutyCycle
{
    private readonly double share;
    private readonly TimeSpan longestPause;
    private readonly TimeProvider clock;
    private long unitStarted;

    /// <param name="share">The share of the time spent working, in (0, 1].</param>
    /// <param name="longestPause">A unit that stalled (a lock, a slow dependency) does not make the loop wait longer than this.</param>
    public DutyCycle(double share, TimeSpan longestPause, TimeProvider? clock = null)
    {
        if (!IsShare(share))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "A duty cycle's share must be above 0 and at most 1.");
        }

        this.share = share;
        this.longestPause = longestPause;
        this.clock = clock ?? TimeProvider.System;
        unitStarted = this.clock.GetTimestamp();
    }

    public static bool IsShare(double value) => value is > 0 and <= 1;

    /// <summary>The pause that keeps a unit that took <paramref name="worked"/> to the share.</summary>
    public TimeSpan PauseAfter(TimeSpan worked) =>
        worked <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(longestPause.Ticks, (long)(worked.Ticks * ((1 - share) / share))));

    /// <summary>Marks the start of the next unit of work.</summary>
    public void Begin() => unitStarted = clock.GetTimestamp();

    /// <summary>Pauses for the unit that began at the last <see cref="Begin"/>, then begins the next one.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        var pause = PauseAfter(clock.GetElapsedTime(unitStarted));
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause, clock, cancellationToken);
        }

        Begin();
    }
}

public static class DutyCycleOptions
{
    /// <summary>Refuses a configured share outside (0, 1], naming the setting (<c>Section:Name</c>) in the error.</summary>
    public static OptionsBuilder<TOptions> ValidateShare<TOptions>(this OptionsBuilder<TOptions> builder, Func<TOptions, double> share, string setting)
        where TOptions : class =>
        builder.Validate(options => DutyCycle.IsShare(share(options)), $"{setting} must be above 0 and at most 1.");
}
