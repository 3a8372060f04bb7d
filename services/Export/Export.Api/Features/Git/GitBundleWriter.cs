using System.Diagnostics;
using Folio.Export.Core.Git;

namespace Folio.Export.Api.Features.Git;

/// <summary>
/// Turns a book's history into a git bundle with the git CLI: <c>git fast-import</c> into a scratch bare repository,
/// then <c>git bundle create --all</c>. The scratch repository is removed whatever happens.
/// </summary>
public sealed class GitBundleWriter
{
    public async Task WriteAsync(BookHistory history, Func<string, string> contentText, string bundlePath, CancellationToken cancellationToken)
    {
        var repository = Path.Combine(Path.GetTempPath(), "folio-export", $"git-{Guid.NewGuid():N}.git");
        try
        {
            await RunAsync(["init", "--quiet", "--bare", repository], null, null, cancellationToken);
            await RunAsync(["-C", repository, "fast-import", "--quiet", "--done"], null,
                input => DraftForgeHistory.WriteFastImport(history, contentText, input), cancellationToken);
            await RunAsync(["-C", repository, "update-ref", "-d", DraftForgeHistory.ScratchRef], null, null, cancellationToken);
            await RunAsync(["-C", repository, "symbolic-ref", "HEAD", $"refs/heads/{history.DefaultBranch}"], null, null, cancellationToken);
            await RunAsync(["-C", repository, "bundle", "create", "--quiet", bundlePath, "--all"], null, null, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(repository))
            {
                Directory.Delete(repository, recursive: true);
            }
        }
    }

    /// <summary>Runs git with a fixed identity-free environment; a non-zero exit is an error carrying git's message.</summary>
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, string? workingDirectory, Action<Stream>? writeInput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git", arguments)
        {
            RedirectStandardInput = writeInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        // A user's or the machine's git configuration must not change what the export contains.
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (writeInput is not null)
            {
                await Task.Run(() =>
                {
                    using var input = process.StandardInput.BaseStream;
                    writeInput(input);
                }, cancellationToken);
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await errors).Trim()}");
        }

        return await output;
    }
}
