using Folio.Contracts.Projects;
using Folio.Projects.Api.Features.Bible;

namespace Folio.Projects.Tests;

public sealed class BibleFactsTests
{
    private static readonly BibleFact[] Life =
    [
        new("status", "alive", null, 11),
        new("status", "dead", 12, null),
        new("title", "Squire", 1, 5),
        new("title", "Knight", 6, 20),
        new("eye_colour", "grey", null, null),
    ];

    [Theory]
    [InlineData(1, "alive", "Squire")]
    [InlineData(11, "alive", "Knight")]
    [InlineData(12, "dead", "Knight")]
    [InlineData(21, "dead", null)]
    public void Facts_at_a_chapter_are_those_whose_range_contains_it(int chapter, string status, string? title)
    {
        var facts = BibleFacts.ValidAt(Life, chapter);

        facts.Single(fact => fact.Key == "status").Value.Should().Be(status);
        facts.SingleOrDefault(fact => fact.Key == "title")?.Value.Should().Be(title);
        if (title is null)
        {
            facts.Should().NotContain(fact => fact.Key == "title");
        }

        facts.Should().ContainSingle(fact => fact.Key == "eye_colour", "an open range holds in every chapter");
    }

    [Fact]
    public void Valid_facts_have_no_errors()
    {
        BibleFacts.Validate([.. Life, new("relationship:Mara Voss", "sister", null, null), new("age", "34", 3, 3)]).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Eye_Colour", "grey", null, null, "facts[0].key")]
    [InlineData("eye colour", "grey", null, null, "facts[0].key")]
    [InlineData("hair:long", "grey", null, null, "facts[0].key")]
    [InlineData("relationship:", "sister", null, null, "facts[0].key")]
    [InlineData("status", "missing", null, null, "facts[0].value")]
    [InlineData("age", "thirty", null, null, "facts[0].value")]
    [InlineData("hair", "", null, null, "facts[0].value")]
    [InlineData("hair", "red", 0, null, "facts[0].fromChapter")]
    [InlineData("hair", "red", null, 0, "facts[0].untilChapter")]
    [InlineData("hair", "red", 9, 3, "facts[0].untilChapter")]
    public void Bad_facts_name_the_field(string key, string value, int? from, int? until, string field)
    {
        BibleFacts.Validate([new BibleFact(key, value, from, until)]).Should().Contain(error => error.Field == field);
    }

    [Theory]
    [InlineData(1, 10, 10, 20)]
    [InlineData(null, null, 5, 5)]
    [InlineData(5, null, 1, 5)]
    [InlineData(3, 4, null, 3)]
    public void Two_values_of_one_key_in_overlapping_chapters_are_rejected(int? firstFrom, int? firstUntil, int? secondFrom, int? secondUntil)
    {
        var errors = BibleFacts.Validate([new("hair", "red", firstFrom, firstUntil), new("hair", "grey", secondFrom, secondUntil)]);

        errors.Should().ContainSingle().Which.Message.Should().Contain("overlap");
    }

    [Fact]
    public void An_overlap_hidden_behind_a_shorter_range_is_still_found()
    {
        var errors = BibleFacts.Validate([new("hair", "red", 1, 10), new("hair", "grey", 2, 3), new("hair", "white", 5, 6)]);

        errors.Select(error => error.Field).Should().BeEquivalentTo("facts[1]", "facts[2]");
    }

    [Fact]
    public void Adjacent_ranges_and_different_keys_do_not_overlap()
    {
        BibleFacts.Validate([new("hair", "red", 1, 4), new("hair", "grey", 5, null), new("eye_colour", "red", 1, 4)]).Should().BeEmpty();
    }
}
