namespace Folio.Generation.Core.Agents;

/// <summary>A sentence of an earlier chapter (number, 1-based line) that established a fact or a date.</summary>
public sealed record EarlierPassage(int Chapter, int Line, string Text);

/// <summary>What the continuity reviewer reads: the chapter's Markdown, the characters with facts valid at it, and earlier chapters' passages.</summary>
public sealed record ReviewRequest(int ChapterNumber, string ChapterText, IReadOnlyList<StoryCharacter> Characters, IReadOnlyList<EarlierPassage> EarlierPassages);
