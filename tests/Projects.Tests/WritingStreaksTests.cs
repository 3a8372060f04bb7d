using Folio.Projects.Api.Features.Stats;

namespace Folio.Projects.Tests;

public sealed class WritingStreaksTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Two_sessions_an_hour_apart_across_local_midnight_are_a_two_day_streak_there_and_one_day_in_utc()
    {
        var lateEvening = DateTimeOffset.Parse("2026-03-10T03:30:00Z", System.Globalization.CultureInfo.InvariantCulture); // 23:30 on the 9th in New York
        var afterMidnight = lateEvening.AddHours(1); // 00:30 on the 10th in New York

        var local = new[] { lateEvening, afterMidnight }.Select(instant => WritingStreaks.DayOf(instant, NewYork)).ToList();
        var utc = new[] { lateEvening, afterMidnight }.Select(instant => WritingStreaks.DayOf(instant, TimeZoneInfo.Utc)).ToList();

        local.Should().Equal(new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 10));
        WritingStreaks.Compute(local, new DateOnly(2026, 3, 10)).Should().Be(new StreakSummary(2, 2, 2, new DateOnly(2026, 3, 10)));
        WritingStreaks.Compute(utc, new DateOnly(2026, 3, 10)).Should().Be(new StreakSummary(1, 1, 1, new DateOnly(2026, 3, 10)));
    }

    [Fact]
    public void The_current_streak_survives_until_a_whole_day_is_missed()
    {
        DateOnly[] days = [new(2026, 1, 1), new(2026, 1, 2), new(2026, 1, 3)];

        WritingStreaks.Compute(days, new DateOnly(2026, 1, 3)).Current.Should().Be(3);
        WritingStreaks.Compute(days, new DateOnly(2026, 1, 4)).Current.Should().Be(3, "today is not over yet");
        WritingStreaks.Compute(days, new DateOnly(2026, 1, 5)).Current.Should().Be(0);
    }

    [Fact]
    public void Longest_and_total_count_every_run_and_day_once()
    {
        DateOnly[] days = [new(2026, 2, 10), new(2026, 2, 1), new(2026, 2, 2), new(2026, 2, 2), new(2026, 2, 3), new(2026, 2, 4), new(2026, 2, 9)];

        WritingStreaks.Compute(days, new DateOnly(2026, 2, 10)).Should().Be(new StreakSummary(2, 4, 6, new DateOnly(2026, 2, 10)));
    }

    [Fact]
    public void No_writing_means_no_streak() =>
        WritingStreaks.Compute([], new DateOnly(2026, 1, 1)).Should().Be(new StreakSummary(0, 0, 0, null));
}
