namespace Folio.Generation.Tests.Offline;

public sealed class LengthTests
{
    public static TheoryData<int> Targets => new() { 300, 350, 500, 800, 1200, 2000, 3000, 4500, 6000 };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Word_count_is_within_ten_percent_of_the_target_for_many_seeds(int targetWords)
    {
        for (var seed = 0; seed < 12; seed++)
        {
            var chapter = Book.Chapter(Book.Brief(chapter: seed + 1, targetWords: targetWords), seed);

            Book.WordCount(chapter).Should().BeInRange((int)(targetWords * 0.9), (int)(targetWords * 1.1), $"seed {seed}");
        }
    }

    [Theory]
    [InlineData(300)]
    [InlineData(6000)]
    public void Planned_briefs_with_invented_beats_also_meet_the_target(int targetWords)
    {
        for (var chapter = 1; chapter <= 8; chapter++)
        {
            var text = Book.Chapter(Book.PlannedBrief(chapter, seed: chapter * 31, targetWords), seed: chapter);

            Book.WordCount(text).Should().BeInRange((int)(targetWords * 0.9), (int)(targetWords * 1.1), $"chapter {chapter}");
        }
    }
}
