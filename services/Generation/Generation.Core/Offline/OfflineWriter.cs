using System.Diagnostics.CodeAnalysis;
using Folio.Generation.Core.Agents;

namespace Folio.Generation.Core.Offline;

/// <summary>
/// Folio's own deterministic writer, the default provider where no model can be reached. It is not an AI model and
/// says so: the same inputs and seed always give the same brief, chapter and summary, byte for byte.
/// </summary>
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "An instance provider, interchangeable with the real ones that hold clients and settings.")]
public sealed class OfflineWriter
{
    public const string ProviderName = "offline";
    public const string ModelName = "folio-offline-1";

    public ChapterBrief WriteBrief(BriefRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BriefPlanner.Write(request);
    }

    /// <summary>The chapter as Markdown: <c># Title</c>, then paragraphs separated by blank lines.</summary>
    public string WriteChapter(ChapterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChapterWriter.Write(request);
    }

    public string Summarize(SummaryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChapterSummarizer.Summarize(request);
    }

    public string BriefJson(ChapterBrief brief)
    {
        ArgumentNullException.ThrowIfNull(brief);
        return Offline.BriefJson.Write(brief);
    }

    public ChapterBrief ParseBrief(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return Offline.BriefJson.Parse(json);
    }
}
