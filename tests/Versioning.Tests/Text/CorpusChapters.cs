using Folio.Tests.Infrastructure;

namespace Folio.Versioning.Tests.Text;

/// <summary>The shared corpus, loaded once for all Text tests, as each chapter's revisions in order.</summary>
internal static class CorpusChapters
{
    private static readonly Lazy<IReadOnlyList<IReadOnlyList<CorpusRevision>>> Chapters = new(() =>
        Corpus.Load().GroupBy(revision => revision.Chapter).OrderBy(chapter => chapter.Key).Select(chapter => (IReadOnlyList<CorpusRevision>)chapter.ToArray()).ToArray());

    public static IReadOnlyList<IReadOnlyList<CorpusRevision>> All => Chapters.Value;
}
