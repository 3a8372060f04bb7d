namespace Folio.Versioning.Core.Text;

/// <summary>
/// A conflict: each side's exact text for the conflicting blocks (blocks with the whitespace between them),
/// null where that side has none (deleted, or inserted on the other side only). <see cref="Index"/> is the
/// conflict's position in <see cref="MergeResult.Regions"/>, the key to resolve it by.
/// </summary>
public sealed record MergeConflict(int Index, string? Base, string? Ours, string? Theirs)
{
    internal IReadOnlyList<MergePiece>? OursPieces { get; init; }

    internal IReadOnlyList<MergePiece>? TheirsPieces { get; init; }
}

public enum ConflictResolution
{
    Ours,
    Theirs,
    Both,
    Custom,
}

/// <summary>Merged text (<see cref="Text"/>) or a conflict. <see cref="WordMerged"/> marks a block both sides edited, merged word by word.</summary>
public sealed record MergeRegion(string? Text, MergeConflict? Conflict)
{
    public bool WordMerged { get; init; }

    internal IReadOnlyList<MergePiece>? Pieces { get; init; }
}

public sealed record MergeResult(bool IsClean, IReadOnlyList<MergeRegion> Regions)
{
    public IReadOnlyList<MergeConflict> Conflicts { get; } = Regions.Where(region => region.Conflict is not null).Select(region => region.Conflict!).ToArray();

    /// <summary>Byte-exact when the inputs separate blocks consistently, or when one side did not change.</summary>
    public string? MergedText => IsClean ? Resolve(new Dictionary<int, (ConflictResolution, string?)>()) : null;

    internal MergeLayout Layout { get; init; } = MergeLayout.Plain;

    /// <summary>The merged text with every conflict resolved; Custom takes <c>CustomText</c> as is ("" drops the blocks).</summary>
    public string Resolve(IReadOnlyDictionary<int, (ConflictResolution Choice, string? CustomText)> resolutions)
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        var unresolved = Conflicts.Where(conflict => !resolutions.ContainsKey(conflict.Index)).Select(conflict => conflict.Index).ToArray();
        if (unresolved.Length > 0)
        {
            throw new ArgumentException($"Unresolved conflicts: {string.Join(", ", unresolved)}.", nameof(resolutions));
        }

        var unknown = resolutions.Keys.Where(index => Conflicts.All(conflict => conflict.Index != index)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"No conflict at regions {string.Join(", ", unknown)}.", nameof(resolutions));
        }

        var textless = resolutions.Where(pair => pair.Value.Choice == ConflictResolution.Custom && pair.Value.CustomText is null).Select(pair => pair.Key).ToArray();
        if (textless.Length > 0)
        {
            throw new ArgumentException($"Custom resolutions without a text: {string.Join(", ", textless)}.", nameof(resolutions));
        }

        var pieces = new List<MergePiece>();
        foreach (var region in Regions)
        {
            pieces.AddRange(region.Conflict is { } conflict ? Chosen(conflict, resolutions[conflict.Index]) : PiecesOf(region));
        }

        return Layout.Compose(pieces);
    }

    private static IEnumerable<MergePiece> PiecesOf(MergeRegion region) =>
        region.Pieces ?? (string.IsNullOrEmpty(region.Text) ? [] : [new MergePiece(region.Text)]);

    private static IEnumerable<MergePiece> Chosen(MergeConflict conflict, (ConflictResolution Choice, string? CustomText) resolution) => resolution.Choice switch
    {
        ConflictResolution.Ours => Side(conflict.OursPieces, conflict.Ours),
        ConflictResolution.Theirs => Side(conflict.TheirsPieces, conflict.Theirs),
        ConflictResolution.Both => Side(conflict.OursPieces, conflict.Ours).Concat(Side(conflict.TheirsPieces, conflict.Theirs)),
        ConflictResolution.Custom => Side(null, resolution.CustomText),
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution.Choice, "Unknown conflict resolution."),
    };

    private static IEnumerable<MergePiece> Side(IReadOnlyList<MergePiece>? pieces, string? text) =>
        pieces ?? (string.IsNullOrEmpty(text) ? [] : [new MergePiece(text)]);
}
