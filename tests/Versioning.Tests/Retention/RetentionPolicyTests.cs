using Folio.Versioning.Api.Features.Retention;

namespace Folio.Versioning.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static (string, DateTimeOffset)[] Revisions(params double[] hoursAgo) =>
        hoursAgo.Select((hours, index) => ($"r{index}", Now.AddHours(-hours))).ToArray();

    [Fact]
    public void The_newest_revisions_are_always_kept()
    {
        var policy = new RetentionPolicy(3, TimeSpan.FromDays(1), TimeSpan.FromDays(30));
        policy.Thin(Revisions(0.1, 0.2, 0.3), Now).Should().BeEmpty();
    }

    [Fact]
    public void Beyond_the_newest_one_revision_per_hour_survives_within_the_hourly_window()
    {
        var policy = new RetentionPolicy(1, TimeSpan.FromDays(1), TimeSpan.FromDays(30));
        // r0 is kept as the newest; r1..r3 fall in one clock hour (09:xx) and r4 in another (07:xx).
        var thinned = policy.Thin(
            [("r0", Now.AddMinutes(-1)), ("r1", Now.AddHours(-3).AddMinutes(50)), ("r2", Now.AddHours(-3).AddMinutes(30)),
             ("r3", Now.AddHours(-3).AddMinutes(5)), ("r4", Now.AddHours(-5))],
            Now);
        thinned.Should().BeEquivalentTo(["r2", "r3"], "the newest of each hour survives");
    }

    [Fact]
    public void Within_the_month_one_revision_per_day_survives_and_after_it_one_per_week()
    {
        var policy = new RetentionPolicy(0, TimeSpan.FromDays(1), TimeSpan.FromDays(30));
        var revisions = new List<(string, DateTimeOffset)>();
        for (var day = 2; day < 100; day++)
        {
            revisions.Add(($"d{day}-a", Now.AddDays(-day).Date.AddHours(20)));
            revisions.Add(($"d{day}-b", Now.AddDays(-day).Date.AddHours(8)));
        }

        var kept = revisions.Select(revision => revision.Item1).Except(policy.Thin(revisions, Now)).ToList();

        kept.Where(id => int.Parse(id[1..id.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture) < 30)
            .Should().OnlyContain(id => id.EndsWith("-a", StringComparison.Ordinal), "the newest of each day survives")
            .And.HaveCount(28);
        var older = revisions.Where(revision => Now - revision.Item2 >= TimeSpan.FromDays(30)).ToList();
        var weeks = older.Select(revision => revision.Item2.UtcTicks / (TimeSpan.TicksPerDay * 7)).Distinct().Count();
        kept.Intersect(older.Select(revision => revision.Item1)).Should().HaveCount(weeks, "one revision per calendar week survives after a month");
    }

    [Fact]
    public void Thinning_is_stable_a_second_pass_over_the_survivors_removes_nothing_more()
    {
        var policy = RetentionPolicy.Default;
        var random = new Random(7);
        var revisions = Enumerable.Range(0, 400).Select(index => ($"r{index}", Now.AddMinutes(-random.Next(0, 60 * 24 * 120)))).ToList();
        var survivors = revisions.Where(revision => !policy.Thin(revisions, Now).Contains(revision.Item1)).ToList();

        policy.Thin(survivors, Now).Should().BeEmpty();
        survivors.Count.Should().BeLessThan(revisions.Count).And.BeGreaterThan(policy.KeepLast);
    }
}
