using Folio.Continuity.Core.Text;

namespace Folio.Continuity.Core.Rules;

/// <summary>
/// The month a chapter's narration asserts must fall between the story time of the nearest dated anchors before and after it:
/// timeline events placed at chapters, and the months earlier chapters asserted. Without a later anchor, two months of slack.
/// </summary>
public sealed class TimelineOrderRule : IRule
{
    public string Id => "timeline.order";

    public string DefaultSeverity => Severities.Error;

    public string Description => "An explicit date, day or season contradicts the timeline or earlier chapters.";

    private sealed record Anchor(int Chapter, int Month, int? Year, Evidence Evidence);

    public IEnumerable<Violation> Check(RuleInput input, string severity)
    {
        var number = input.Chapter.Number;
        var anchors = Anchors(input.Context).ToList();
        if (anchors.Count == 0)
        {
            yield break;
        }

        var absolute = Unwrap(anchors);
        var before = absolute.LastOrDefault(anchor => anchor.Anchor.Chapter <= number && anchor.Anchor.Evidence.Chapter != number);
        var after = absolute.FirstOrDefault(anchor => anchor.Anchor.Chapter >= number && anchor.Anchor.Evidence.Chapter != number);
        if (before.Anchor is null && after.Anchor is null)
        {
            yield break;
        }

        var (low, high) = (before.Anchor, after.Anchor) switch
        {
            (not null, not null) => (before.Month, after.Month),
            (not null, null) => (before.Month, before.Month + 2),
            _ => (after.Month - 2, after.Month),
        };
        foreach (var statement in CurrentTime.Find(input.Text))
        {
            if (statement.Months.Any(month => Fits(month, low, high)))
            {
                continue;
            }

            var evidence = new[] { before.Anchor, after.Anchor }.Where(anchor => anchor is not null).Select(anchor => anchor!.Evidence).Distinct().ToList();
            yield return new Violation(Id, severity, new Location(statement.Paragraph.Line, statement.Sentence),
                $"The narration places chapter {number} in {statement.Name}, but the story is in {Window(low, high)} here.",
                $"Move the scene to {Window(low, high)}, or update the timeline.", evidence);
        }
    }

    private static bool Fits(int month, int low, int high)
    {
        for (var candidate = low - ((low % 12) + 12) % 12 + month; candidate <= high + 12; candidate += 12)
        {
            if (candidate >= low && candidate <= high)
            {
                return true;
            }
        }

        return false;
    }

    private static string Window(int low, int high) => low == high ? MonthName(low) : $"{MonthName(low)}–{MonthName(high)}";

    private static string MonthName(int absolute) => System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(((absolute % 12) + 12) % 12 + 1);

    private static IEnumerable<Anchor> Anchors(CheckContext context)
    {
        foreach (var entry in context.Book.Timeline)
        {
            if (entry.ChapterNumber is { } chapter && StoryTime.Parse(entry.StoryTime, entry.SortKey) is { } time)
            {
                yield return new Anchor(chapter, time.Month, time.Year, new Evidence(null, 0, $"Timeline: [{entry.StoryTime ?? entry.SortKey}] {entry.Description} (chapter {chapter})"));
            }
        }

        foreach (var dated in context.EarlierDates)
        {
            yield return new Anchor(dated.Chapter, dated.Month, null, new Evidence(dated.Chapter, dated.Line, dated.Text));
        }
    }

    /// <summary>Months since an origin, so that a story running from November into March counts forwards.</summary>
    private static List<(Anchor Anchor, int Month)> Unwrap(IEnumerable<Anchor> anchors)
    {
        var ordered = anchors.OrderBy(anchor => anchor.Chapter).ThenBy(anchor => anchor.Evidence.Chapter is null ? 0 : 1).ToList();
        var result = new List<(Anchor, int)>();
        var firstYear = ordered.FirstOrDefault(anchor => anchor.Year is not null)?.Year;
        var previous = int.MinValue;
        foreach (var anchor in ordered)
        {
            int month;
            if (anchor.Year is { } year && firstYear is { } origin)
            {
                month = (year - origin) * 12 + anchor.Month;
            }
            else if (previous == int.MinValue)
            {
                month = anchor.Month;
            }
            else
            {
                month = previous - ((previous % 12) + 12) % 12 + anchor.Month;
                if (month < previous)
                {
                    month += 12;
                }
            }

            previous = Math.Max(previous, month);
            result.Add((anchor, month));
        }

        return result;
    }
}
