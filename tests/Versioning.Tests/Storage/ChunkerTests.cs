using System.Text;
using Folio.Tests.Infrastructure;
using Folio.Versioning.Core.Storage;

namespace Folio.Versioning.Tests.Storage;

public sealed class ChunkerTests
{
    public static TheoryData<string> OddTexts() => new()
    {
        "",
        "One line without a trailing newline",
        "\n\n\n",
        "First paragraph.\n\nSecond paragraph without newline",
        "Windows lines.\r\n\r\nSecond paragraph.\r\n\r\n\r\nThird.\r\n",
        "  \n\nLeading blank lines, then text\n\n  \t \n\nwhitespace-only lines in between\n",
        "Unicode: “quotes”, Mr.\u00a0Bennet, 日本語, emoji 👩‍💻, combining e\u0301.\n\nΑλφα βήτα.\n",
        "Single\nnewlines\nonly\nno\nblank\nlines\n",
    };

    [Theory]
    [MemberData(nameof(OddTexts))]
    public void Chunks_concatenate_to_the_text_byte_for_byte(string text)
    {
        var chunked = ChunkedText.From(text);

        Concatenate(chunked).Should().Equal(Encoding.UTF8.GetBytes(text));
        chunked.Id.Should().Be(ContentId.OfText(Encoding.UTF8.GetBytes(text)));
        chunked.Chunks.Select(chunk => chunked.Bytes(chunk).Length).Should().NotContain(0);
    }

    [Fact]
    public void A_paragraph_is_a_chunk_with_the_blank_lines_after_it()
    {
        var chunked = ChunkedText.From("One.\n\nTwo\nstill two.\n\n\nThree.");

        chunked.Chunks.Select(chunk => Encoding.UTF8.GetString(chunked.Bytes(chunk))).Should().Equal("One.\n\n", "Two\nstill two.\n\n\n", "Three.");
    }

    [Fact]
    public void Editing_one_paragraph_changes_only_its_chunk()
    {
        var before = ChunkedText.From("Alpha.\n\nBeta.\n\nGamma.\n");
        var after = ChunkedText.From("Alpha.\n\nBeta, revised.\n\nGamma.\n");

        after.Chunks.Select(chunk => chunk.Id).Except(before.Chunks.Select(chunk => chunk.Id)).Should().HaveCount(1);
    }

    [Fact]
    public void A_huge_paragraph_is_cut_at_content_defined_points_so_an_edit_stays_local()
    {
        var words = string.Join(' ', Enumerable.Range(0, 40_000).Select(i => $"word{i * 7919 % 10007}"));
        var edited = words.Insert(words.Length / 2, " INSERTED ");

        var before = ChunkedText.From(words);
        var after = ChunkedText.From(edited);

        Concatenate(after).Should().Equal(Encoding.UTF8.GetBytes(edited));
        before.Chunks.Select(chunk => before.Bytes(chunk).Length).Should().HaveCountGreaterThan(10).And.OnlyContain(length => length <= Chunker.MaxChunk);
        after.Chunks.Select(chunk => chunk.Id).Except(before.Chunks.Select(chunk => chunk.Id)).Should().HaveCountLessThanOrEqualTo(2);
    }

    [Fact]
    public void A_text_and_its_only_chunk_have_different_ids()
    {
        var chunked = ChunkedText.From("Just one paragraph.");

        chunked.Chunks.Should().ContainSingle().Which.Id.Should().NotBe(chunked.Id);
    }

    [Fact]
    public void Repeated_paragraphs_are_one_distinct_chunk()
    {
        var chunked = ChunkedText.From("* * *\n\nText.\n\n* * *\n\nMore.\n\n* * *\n\n");

        chunked.Chunks.Should().HaveCount(5);
        chunked.DistinctChunks.Should().HaveCount(3);
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused_rather_than_silently_replaced()
    {
        var act = () => ChunkedText.From("broken \ud800 text");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Every_corpus_revision_chunks_back_to_itself()
    {
        foreach (var revision in Corpus.Load())
        {
            Concatenate(ChunkedText.From(revision.Markdown)).Should().Equal(Encoding.UTF8.GetBytes(revision.Markdown));
        }
    }

    private static byte[] Concatenate(ChunkedText chunked) => chunked.Chunks.SelectMany(chunk => chunked.Bytes(chunk).ToArray()).ToArray();
}
