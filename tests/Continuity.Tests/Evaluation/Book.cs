using Folio.Continuity.Core;
using Folio.Tests.Infrastructure;

namespace Folio.Continuity.Tests.Evaluation;

/// <summary>The latest text of every chapter of the corpus, and the context a check of chapter n gets from chapters before it.</summary>
public static class Book
{
    private static readonly Lazy<IReadOnlyList<string>> Latest = new(() =>
        Corpus.Load().GroupBy(revision => revision.Chapter).OrderBy(group => group.Key).Select(group => group.Last().Markdown).ToList());

    private static readonly Lazy<IReadOnlyList<ChapterExtraction>> Extractions = new(() =>
        Chapters.Select((text, index) => ChapterExtractor.Extract(new ChapterToCheck(index + 1, text), Codex.PrideAndPrejudice)).ToList());

    public static IReadOnlyList<string> Chapters => Latest.Value;

    public static CheckContext ContextFor(int chapter) => new(
        Codex.PrideAndPrejudice,
        Extractions.Value.Take(chapter - 1).SelectMany(extraction => extraction.Facts).ToList(),
        Extractions.Value.Take(chapter - 1).SelectMany(extraction => extraction.Dates).ToList());
}
