namespace Folio.Versioning.Api.Features.Retention;

/// <summary>
/// Which revisions of a chapter survive: the newest <see cref="KeepLast"/> always; older ones are thinned to one per
/// hour while younger than <see cref="HourlyFor"/>, one per day while younger than <see cref="DailyFor"/>, one per
/// week after that. The survivor of a period is its newest revision, which is also the newest of its finer periods,
/// so revisions thinned once are never needed again as ages grow.
/// </summary>
public sealed record RetentionPolicy(int KeepLast, TimeSpan HourlyFor, TimeSpan DailyFor)
{
    public static readonly RetentionPolicy Default = new(50, TimeSpan.FromDays(1), TimeSpan.FromDays(30));

    /// <summary>One chapter's revisions (commit and time); returns the commits whose revision of it may go.</summary>
    public IReadOnlySet<string> Thin(IEnumerable<(string CommitId, DateTimeOffset CreatedAt)> revisions, DateTimeOffset now)
    {
        var thinned = new HashSet<string>(StringComparer.Ordinal);
        var keptPeriods = new HashSet<(int Granularity, long Period)>();
        foreach (var (revision, index) in revisions.OrderByDescending(revision => revision.CreatedAt).ThenBy(revision => revision.CommitId, StringComparer.Ordinal).Select((revision, index) => (revision, index)))
        {
            if (index < KeepLast || keptPeriods.Add(PeriodOf(revision.CreatedAt, now)))
            {
                continue;
            }

            thinned.Add(revision.CommitId);
        }

        return thinned;
    }

    private (int Granularity, long Period) PeriodOf(DateTimeOffset createdAt, DateTimeOffset now)
    {
        var age = now - createdAt;
        var ticks = createdAt.UtcTicks;
        if (age < HourlyFor)
        {
            return (0, ticks / TimeSpan.TicksPerHour);
        }

        if (age < DailyFor)
        {
            return (1, ticks / TimeSpan.TicksPerDay);
        }

        // Weeks counted from a Monday (0001-01-01 was one) so a week is the calendar week writers expect.
        return (2, ticks / (TimeSpan.TicksPerDay * 7));
    }
}
