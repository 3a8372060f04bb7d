using Microsoft.Extensions.Options;

namespace Folio.Export.Api.Features.Storage;

public sealed class ExportStorageOptions
{
    public const string Section = "Export:Storage";

    /// <summary>The folder export files are kept in; relative paths are under the service's content root.</summary>
    public string Path { get; set; } = "data/exports";
}

/// <summary>Export files in a folder: copied under a temporary name, then renamed, which is atomic on one file system.</summary>
public sealed class FolderExportStorage : IExportStorage
{
    private readonly string root;

    public FolderExportStorage(IOptions<ExportStorageOptions> options, IHostEnvironment environment)
    {
        root = System.IO.Path.GetFullPath(options.Value.Path, environment.ContentRootPath);
        Directory.CreateDirectory(root);
    }

    public async Task<long> PutAsync(string key, string localPath, CancellationToken cancellationToken)
    {
        var target = PathOf(key);
        var partial = target + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var source = File.OpenRead(localPath))
            await using (var destination = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(destination, cancellationToken);
                await destination.FlushAsync(cancellationToken);
                destination.Flush(flushToDisk: true);
            }

            File.Move(partial, target, overwrite: true);
            return new FileInfo(target).Length;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous)
            : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    /// <summary>Keys are made by the service from ids, never from user input; the check keeps it that way.</summary>
    private string PathOf(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.')) || key.StartsWith('.'))
        {
            throw new ArgumentException($"'{key}' is not a storage key.", nameof(key));
        }

        return System.IO.Path.Combine(root, key);
    }
}
