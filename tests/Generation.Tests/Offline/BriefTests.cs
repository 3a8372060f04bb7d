using System.Text.Json;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Tests.Offline;

public sealed class BriefTests
{
    [Fact]
    public void Outline_beats_are_kept_in_order_and_cast_from_the_bible()
    {
        var brief = Book.Writer.WriteBrief(new BriefRequest(Book.Story, 4, "The Ledger", Book.Beats, [], 2500, 3));

        brief.ChapterNumber.Should().Be(4);
        brief.Title.Should().Be("The Ledger");
        brief.Beats.Should().Equal(Book.Beats);
        brief.TargetWords.Should().Be(2500);
        brief.PointOfView.Should().Be("Mara Quell", "she is the first character the outline names");
        brief.CharactersPresent.Should().Contain(["Mara Quell", "Tobias Wren"]);
        brief.Setting.Should().Be("Greyhaven Lighthouse", "the outline's beats happen there");
        brief.Goal.Should().NotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Without_an_outline_three_to_six_beats_are_invented_from_the_bible(int chapter)
    {
        var brief = Book.PlannedBrief(chapter, seed: chapter * 17);

        brief.Beats.Should().HaveCountGreaterThanOrEqualTo(3).And.HaveCountLessThanOrEqualTo(6).And.OnlyHaveUniqueItems();
        Book.Story.Places.Select(place => place.Name).Should().Contain(brief.Setting);
        brief.CharactersPresent.Should().Contain(brief.PointOfView).And.OnlyHaveUniqueItems()
            .And.BeSubsetOf(Book.Story.Characters.Select(character => character.Name));
        brief.Beats.Should().OnlyContain(beat => brief.CharactersPresent.Any(name => beat.Contains(name, StringComparison.Ordinal)));
        brief.Title.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void The_dead_are_never_cast_or_given_the_point_of_view()
    {
        for (var chapter = 1; chapter <= 20; chapter++)
        {
            var brief = Book.PlannedBrief(chapter, seed: chapter);

            brief.CharactersPresent.Should().NotContain("Ilse Marrow");
            brief.PointOfView.Should().NotBe("Ilse Marrow");
        }
    }

    [Fact]
    public void Invented_briefs_differ_between_chapters()
    {
        var briefs = Enumerable.Range(1, 10).Select(chapter => Book.Writer.BriefJson(Book.PlannedBrief(chapter, seed: 5))).ToArray();

        briefs.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void The_goal_follows_a_thread_of_the_synopsis()
    {
        var brief = Book.PlannedBrief(2, seed: 8);

        brief.Goal.Should().Contain("The lender is found dead in the harbour.");
    }

    [Fact]
    public void A_bible_with_nobody_and_nowhere_still_gives_a_writable_brief()
    {
        var empty = Book.Story with { Characters = [], Places = [], Synopsis = null };

        var brief = Book.Writer.WriteBrief(new BriefRequest(empty, 1, null, [], [], 400, 1));
        var chapter = Book.Writer.WriteChapter(new ChapterRequest(empty, brief, null, null, 1));

        brief.Beats.Should().HaveCountGreaterThanOrEqualTo(3);
        Book.WordCount(chapter).Should().BeInRange(360, 440);
    }

    [Fact]
    public void Brief_json_is_camel_case_and_round_trips_exactly()
    {
        var brief = Book.Brief() with { Beats = ["Mara says \"no\" — and means it", "Tobias's lie"] };

        var json = Book.Writer.BriefJson(brief);
        var parsed = Book.Writer.ParseBrief(json);

        json.Should().Contain("\"chapterNumber\":3").And.Contain("\"pointOfView\":\"Mara Quell\"").And.Contain("\"charactersPresent\":[");
        parsed.Should().BeEquivalentTo(brief, options => options.WithStrictOrdering());
        Book.Writer.BriefJson(parsed).Should().Be(json);
    }

    [Fact]
    public void Brief_json_in_a_markdown_code_fence_is_read()
    {
        var brief = Book.Brief();
        var fenced = "```json\n" + Book.Writer.BriefJson(brief) + "\n```\n";

        Book.Writer.ParseBrief(fenced).Should().BeEquivalentTo(brief, options => options.WithStrictOrdering());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{\"chapterNumber\":1,\"title\":\"T\"}")]
    [InlineData("{\"chapterNumber\":1,\"title\":null,\"beats\":[],\"pointOfView\":\"A\",\"setting\":\"B\",\"charactersPresent\":[],\"goal\":\"G\",\"targetWords\":100}")]
    public void An_incomplete_brief_is_rejected(string json)
    {
        var parse = () => Book.Writer.ParseBrief(json);

        parse.Should().Throw<JsonException>();
    }
}
