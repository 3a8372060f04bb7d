namespace Folio.Contracts;

/// <summary>
/// The part of a chapter's brief that its text can be checked against: the beats it must cover, in order, and the point of view
/// (<c>first</c>, <c>third</c>, or the point-of-view character's name for a third-person limited chapter).
/// </summary>
public sealed record ChapterPlan(IReadOnlyList<string> Beats, string? PointOfView);
