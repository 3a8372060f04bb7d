using Folio.Tests.Infrastructure;
using Folio.Versioning.Core.Storage;

namespace Folio.Versioning.Tests.Storage;

public sealed class PackTests
{
    private static readonly string[] Texts =
    [
        "",
        "It is a truth universally acknowledged.\n\nHowever little known.\n",
        "It is a truth universally acknowledged.\n\nHowever little known, revised.\n",
        "* * *\n\nRepeated.\n\n* * *\n\nRepeated.",
        "Unicode “quotes” and 👩‍💻\r\n\r\nCRLF paragraphs\r\n",
        new string('x', 100_000),
    ];

    [Fact]
    public void Every_text_reads_back_from_a_pack()
    {
        var (pack, _) = Build(Texts.Select(ChunkedText.From).ToArray());

        foreach (var text in Texts)
        {
            pack.ReadText(ChunkedText.From(text).Id).Should().Be(text);
        }

        pack.TextIds.Should().HaveCount(Texts.Length);
    }

    [Fact]
    public void A_pack_holds_each_chunk_once()
    {
        var (pack, built) = Build(Texts.Select(ChunkedText.From).ToArray());

        built.ChunkCount.Should().Be(Texts.SelectMany(text => ChunkedText.From(text).Chunks.Select(chunk => chunk.Id)).Distinct().Count());
        pack.ChunkCount.Should().Be(built.ChunkCount);
    }

    [Fact]
    public void Contents_round_trip_into_an_identical_pack()
    {
        var (pack, built) = Build(Texts.Select(ChunkedText.From).ToArray());

        var again = PackWriter.Write(pack.Contents());

        again.Data.Should().Equal(built.Data);
        again.Index.Should().Equal(built.Index);
    }

    [Fact]
    public void Chunks_kept_in_another_pack_are_referenced_by_id()
    {
        var first = ChunkedText.From("Shared paragraph.\n\nOnly in the first.\n");
        var second = ChunkedText.From("Shared paragraph.\n\nOnly in the second.\n");
        var (older, _) = Build([first]);
        var (newer, _) = Build([second], first.Chunks.Take(1).Select(chunk => chunk.Id).ToHashSet());

        newer.ChunkCount.Should().Be(1);
        var external = newer.ExternalChunksOf(second.Id).ToArray();
        external.Should().Equal(first.Chunks[0].Id);
        older.TryGetChunk(external[0], out var bytes).Should().BeTrue();
        newer.ReadText(second.Id, new Dictionary<ContentId, ReadOnlyMemory<byte>> { [external[0]] = bytes }).Should().Be("Shared paragraph.\n\nOnly in the second.\n");
        newer.Invoking(pack => pack.ReadText(second.Id)).Should().Throw<KeyNotFoundException>();
    }

    [Fact]
    public void A_flipped_bit_anywhere_in_a_pack_fails_the_open_or_changes_no_text()
    {
        var (_, built) = Build(Texts.Select(ChunkedText.From).ToArray());
        var index = PackIndex.Decode(built.Index);
        var detected = 0;

        for (var position = 0; position < built.Data.Length; position++)
        {
            var corrupt = (byte[])built.Data.Clone();
            corrupt[position] ^= 0x10;
            try
            {
                var pack = Pack.Open(corrupt, index);
                // Some bits of a Brotli stream do not affect its output (say, a code for a symbol never used).
                Texts.Should().OnlyContain(text => pack.ReadText(ChunkedText.From(text).Id) == text, $"byte {position} was flipped");
            }
            catch (InvalidDataException)
            {
                detected++;
            }
        }

        detected.Should().BeGreaterThan(built.Data.Length * 9 / 10);
        FluentActions.Invoking(() => Pack.Open(built.Data.AsSpan(..^1), index)).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => Pack.Open(built.Data, index with { Digest = new byte[32] })).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => Pack.Open(built.Data, index with { RawSize = index.RawSize + 1 })).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void A_corrupt_index_or_manifest_is_detected()
    {
        var (_, built) = Build(Texts.Select(ChunkedText.From).ToArray());

        FluentActions.Invoking(() => PackIndex.Decode(built.Index.AsSpan(..^1))).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => PackIndex.Decode([.. built.Index, 0])).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => PackIndex.Decode([])).Should().Throw<InvalidDataException>();

        var manifest = ChunkedText.From("One.\n\nTwo.\n").Manifest.Encode();
        TextManifest.Decode(manifest).Chunks.Should().HaveCount(2);
        FluentActions.Invoking(() => TextManifest.Decode(manifest.AsSpan(..^1))).Should().Throw<InvalidDataException>();
        FluentActions.Invoking(() => TextManifest.Decode([9, .. manifest[1..]])).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void A_text_that_does_not_match_its_id_is_refused()
    {
        var id = ChunkedText.From("What was stored.").Id;

        FluentActions.Invoking(() => TextAssembler.Assemble(id, ["What was changed."u8.ToArray()])).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void A_corrupt_loose_chunk_is_detected()
    {
        var compressed = LooseChunk.Compress("Some paragraph of prose that is long enough to compress.\n\n"u8);

        LooseChunk.Decompress(compressed).Should().Equal("Some paragraph of prose that is long enough to compress.\n\n"u8.ToArray());
        FluentActions.Invoking(() => LooseChunk.Decompress(compressed.AsSpan(..^2))).Should().Throw<InvalidDataException>();
    }

    [Fact]
    public void The_planner_seals_full_packs_and_places_each_text_with_most_of_its_chunks()
    {
        var texts = Enumerable.Range(0, 40).Select(i => ChunkedText.From($"Paragraph {i} {new string('a', 300)}.\n\nParagraph {i} again {new string('b', 300)}.\n")).ToArray();
        var contents = Contents(texts, new HashSet<ContentId>());

        var planned = PackPlanner.Plan(contents, sealBytes: 4096);

        planned.Should().HaveCountGreaterThan(3);
        planned.SkipLast(1).Should().OnlyContain(pack => PackPlanner.IsSealed(pack.ChunkBytes, 4096));
        planned.SelectMany(pack => pack.Chunks).Should().Equal(contents.Chunks);
        planned.SelectMany(pack => pack.Texts).Should().BeEquivalentTo(contents.Texts);
        foreach (var pack in planned)
        {
            var local = pack.Chunks.Select(chunk => chunk.Id).ToHashSet();
            pack.Texts.Should().OnlyContain(text => text.Chunks.Count(local.Contains) * 2 >= text.Chunks.Count);
        }
    }

    [Fact]
    public void The_whole_corpus_history_packs_smaller_than_git_gc_aggressive()
    {
        var texts = Corpus.Load().Select(revision => ChunkedText.From(revision.Markdown)).ToArray();

        var (pack, built) = Build(texts);

        (built.Data.Length + built.Index.Length).Should().BeLessThanOrEqualTo(357_205);
        foreach (var text in texts.DistinctBy(text => text.Id))
        {
            ContentId.OfText(System.Text.Encoding.UTF8.GetBytes(pack.ReadText(text.Id))).Should().Be(text.Id);
        }
    }

    private static (Pack Pack, BuiltPack Built) Build(IReadOnlyList<ChunkedText> texts, IReadOnlySet<ContentId>? elsewhere = null)
    {
        var built = PackWriter.Write(Contents(texts, elsewhere ?? new HashSet<ContentId>()));
        return (Pack.Open(built.Data, PackIndex.Decode(built.Index)), built);
    }

    /// <summary>In first-written order, as the store packs them.</summary>
    private static PackContents Contents(IReadOnlyList<ChunkedText> texts, IReadOnlySet<ContentId> elsewhere)
    {
        var chunks = texts
            .SelectMany(text => text.DistinctChunks.Select(chunk => new PackChunk(chunk.Id, text.Utf8.AsMemory(chunk.Range))))
            .DistinctBy(chunk => chunk.Id)
            .Where(chunk => !elsewhere.Contains(chunk.Id))
            .ToArray();
        return new PackContents(chunks, texts.DistinctBy(text => text.Id).Select(text => new PackText(text.Id, text.Manifest.Chunks)).ToArray());
    }
}
