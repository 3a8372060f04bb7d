using Folio.Versioning.Core.Text;

namespace Folio.Versioning.Tests.Text;

public class WordCountTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("   \n\t ", 0)]
    [InlineData("It is a truth universally acknowledged.", 6)]
    [InlineData("well-known don't Mr.\u00a0Bennet", 4)]
    [InlineData("“*You* want to tell me,” she said — laughing.", 8)]
    [InlineData("# Heading\n\n- item one\n- item two\n\n> quoted", 6)]
    [InlineData("--- *** —", 0)]
    [InlineData("In 1813, chapter 3.", 4)]
    [InlineData("naïve café 東京", 3)]
    [InlineData("line\r\nbreaks\rand\ttabs", 4)]
    [InlineData("𝒜𝒷𝒸 and 😀", 2)]
    public void Counts_words_as_a_writer_does(string text, int expected) =>
        WordCount.Count(text).Should().Be(expected);
}
