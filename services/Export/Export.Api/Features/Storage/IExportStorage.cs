namespace Folio.Export.Api.Features.Storage;

/// <summary>
/// Where finished export files live. A file is either stored whole or not at all, so a crash mid-upload never leaves a
/// partial file under a key a job points to. A folder today; an S3-compatible bucket is another implementation.
/// </summary>
public interface IExportStorage
{
    /// <summary>Stores the local file <paramref name="localPath"/> under <paramref name="key"/>; returns its size in bytes.</summary>
    Task<long> PutAsync(string key, string localPath, CancellationToken cancellationToken);

    /// <returns>The stored file for reading, or null when it is not there.</returns>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
