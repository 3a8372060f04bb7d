namespace Folio.Generation.Core.Agents;

/// <summary>What the summariser needs to carry a written chapter forward into the next one's context.</summary>
public sealed record SummaryRequest(StoryContext Story, ChapterBrief Brief, string ChapterMarkdown);
