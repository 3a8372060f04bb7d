namespace Folio.Export.Core;

/// <summary>What the writer asked for besides the text. Page numbers, font and trim size apply to paged formats.</summary>
public sealed record ExportOptions
{
    public bool TitlePage { get; init; } = true;

    public bool TableOfContents { get; init; } = true;

    public bool PageNumbers { get; init; } = true;

    public string FontFamily { get; init; } = "Liberation Serif";

    /// <summary>Body text size in points.</summary>
    public double FontSize { get; init; } = 11;

    public TrimSize TrimSize { get; init; } = TrimSize.Trade;
}

/// <summary>A printed page size in inches: the trim sizes print-on-demand services accept.</summary>
public sealed record TrimSize(string Name, double WidthInches, double HeightInches)
{
    public static readonly TrimSize MassMarket = new("4.25x6.87", 4.25, 6.87);
    public static readonly TrimSize Digest = new("5.5x8.5", 5.5, 8.5);
    public static readonly TrimSize Trade = new("6x9", 6, 9);
    public static readonly TrimSize A5 = new("a5", 5.83, 8.27);
    public static readonly TrimSize Letter = new("letter", 8.5, 11);
    public static readonly TrimSize A4 = new("a4", 8.27, 11.69);

    public static IReadOnlyList<TrimSize> All { get; } = [MassMarket, Digest, Trade, A5, Letter, A4];

    public static TrimSize? Find(string name) => All.FirstOrDefault(size => string.Equals(size.Name, name, StringComparison.OrdinalIgnoreCase));
}
