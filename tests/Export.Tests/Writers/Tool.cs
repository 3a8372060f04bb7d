using System.Diagnostics;

namespace Folio.Export.Tests.Writers;

/// <summary>The independent checkers (epubcheck, pandoc, LibreOffice, qpdf, pdftotext) run as separate processes.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(string executable, params string[] arguments)
    {
        if (!File.Exists(executable) && !(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, executable))))
        {
            throw new InvalidOperationException($"{executable} is not installed: ./test.sh installs the export checkers (epubcheck, pandoc, qpdf, poppler-utils, weasyprint, libreoffice-writer-nogui).");
        }

        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await errors);
    }

    /// <summary>epubcheck's verdict; zero errors and zero warnings is the bar.</summary>
    public static async Task ShouldPassEpubcheckAsync(string epubPath)
    {
        var result = await RunAsync("java", "-jar", "/usr/bin/epubcheck", "--quiet", epubPath);
        var report = result.Output + result.Errors;
        report.Should().NotContain("ERROR").And.NotContain("WARNING").And.NotContain("FATAL");
        result.ExitCode.Should().Be(0, report);
    }

    public static string TempFile(string extension) =>
        Path.Combine(Path.GetTempPath(), $"folio-export-test-{Guid.NewGuid():N}.{extension}");
}
