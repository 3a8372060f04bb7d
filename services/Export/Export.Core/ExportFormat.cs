namespace Folio.Export.Core;

/// <summary>A format a book can be exported to, with what a download of it is called.</summary>
public sealed record ExportFormat(string Name, string Extension, string ContentType)
{
    public static readonly ExportFormat Text = new("txt", "txt", "text/plain; charset=utf-8");
    public static readonly ExportFormat Markdown = new("md", "md", "text/markdown; charset=utf-8");
    public static readonly ExportFormat Docx = new("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    public static readonly ExportFormat Epub = new("epub", "epub", "application/epub+zip");
    public static readonly ExportFormat Pdf = new("pdf", "pdf", "application/pdf");
    public static readonly ExportFormat Git = new("git", "bundle", "application/x-git-bundle");

    public static IReadOnlyList<ExportFormat> All { get; } = [Text, Markdown, Docx, Epub, Pdf, Git];

    public static ExportFormat? Find(string name) => All.FirstOrDefault(format => string.Equals(format.Name, name, StringComparison.OrdinalIgnoreCase));
}
