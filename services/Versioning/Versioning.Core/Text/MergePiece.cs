namespace Folio.Versioning.Core.Text;

/// <summary>A block of merge output and where it sits in each input, so the whitespace around it can be taken from the inputs.</summary>
internal sealed record MergePiece(string Text, int? Base = null, int? Ours = null, int? Theirs = null);
