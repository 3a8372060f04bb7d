using System.Diagnostics;
using Folio.Export.Core;
using Folio.Export.Core.Writers;
using Microsoft.Extensions.Options;

namespace Folio.Export.Api.Features.Exports;

public sealed class WeasyPrintOptions
{
    public const string Section = "Export:WeasyPrint";

    /// <summary>The weasyprint executable: a name looked up on PATH, or a full path.</summary>
    public string Executable { get; set; } = "weasyprint";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Thrown when a PDF is asked for on a machine without WeasyPrint: the API answers 503, never a broken file.</summary>
public sealed class WeasyPrintMissingException(string message) : Exception(message);

/// <summary>PDF through WeasyPrint: the print HTML goes in on stdin, the PDF comes out in a file that is whole or absent.</summary>
public sealed class WeasyPrint(IOptions<WeasyPrintOptions> options)
{
    private readonly WeasyPrintOptions settings = options.Value;

    /// <summary>The executable's full path, or null when it is not installed.</summary>
    public string? Locate()
    {
        var executable = settings.Executable;
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
    }

    public async Task RenderAsync(Book book, ExportOptions exportOptions, string pdfPath, CancellationToken cancellationToken)
    {
        var executable = Locate() ?? throw new WeasyPrintMissingException(
            $"PDF export needs WeasyPrint, and '{settings.Executable}' is not installed on this server.");
        var start = new ProcessStartInfo(executable, ["--quiet", "--encoding", "utf-8", "-", pdfPath])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await using (var stdin = process.StandardInput)
            {
                PrintHtmlWriter.Write(book, exportOptions, stdin);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            File.Delete(pdfPath);
            throw;
        }

        await output;
        if (process.ExitCode != 0)
        {
            File.Delete(pdfPath);
            throw new InvalidOperationException($"WeasyPrint failed with exit code {process.ExitCode}: {(await errors).Trim()}");
        }
    }
}
