namespace Folio.Contracts.Continuity;

/// <summary>A month the narration asserts for the chapter's present (1–12), with the sentence that says so.</summary>
public sealed record SuggestedTimelineFact(int Month, int Line, string Text);
