namespace Folio.Export.Core.Writers;

/// <summary>Writes a whole book in one format to a stream; pure, so the same book and options give the same bytes.</summary>
public interface IBookWriter
{
    ExportFormat Format { get; }

    void Write(Book book, ExportOptions options, Stream output);
}
