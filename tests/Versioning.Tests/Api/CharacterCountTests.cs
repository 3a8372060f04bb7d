namespace Folio.Versioning.Tests.Api;

/// <summary>Each commit reports the chapter's size in Unicode characters too (Projects' stats read it from ChapterRevisionCommitted).</summary>
[Collection(SharedVersioningApi.Name)]
public sealed class CharacterCountTests(VersioningApiFactory factory)
{
    [Fact]
    public async Task A_commit_reports_the_chapters_characters_counting_each_code_point_once()
    {
        using var book = await Book.CreateAsync(factory);
        var chapter = Guid.NewGuid();
        const string Text = "Café 🌊 at dusk.";

        await book.SaveVersionAsync(chapter, Text, expectedHead: null);

        var history = await book.GetJsonAsync($"chapters/{chapter}/history");
        history[0].GetProperty("change").GetProperty("characters").GetInt32().Should().Be(15, "the wave emoji is one character, not two UTF-16 units");
    }
}
