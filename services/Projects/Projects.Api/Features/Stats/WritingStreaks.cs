namespace Folio.Projects.Api.Features.Stats;

public sealed record StreakSummary(int Current, int Longest, int TotalWritingDays, DateOnly? LastWritingDate);

/// <summary>Streaks over calendar days in the writer's time zone; pure so the day arithmetic can be tested alone.</summary>
public static class WritingStreaks
{
    /// <summary>The calendar day an instant falls on for someone living in <paramref name="zone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// The current streak still counts when the writer has not written yet today (it ends yesterday), and is broken
    /// once a whole day passed without writing.
    /// </summary>
    public static StreakSummary Compute(IEnumerable<DateOnly> writingDays, DateOnly today)
    {
        var days = writingDays.Distinct().Order().ToList();
        if (days.Count == 0)
        {
            return new StreakSummary(0, 0, 0, null);
        }

        var longest = 1;
        var run = 1;
        for (var i = 1; i < days.Count; i++)
        {
            run = days[i].DayNumber - days[i - 1].DayNumber == 1 ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }

        var last = days[^1];
        var current = today.DayNumber - last.DayNumber <= 1 ? run : 0;
        return new StreakSummary(current, longest, days.Count, last);
    }
}
