using System.Diagnostics;
using System.Globalization;
using Folio.Export.Api.Features.Exports;
using Folio.Export.Api.Features.Git;
using Folio.Export.Core;
using Folio.Export.Core.Writers;
using Folio.Tests.Infrastructure;

namespace Folio.Benchmarks.Export;

/// <summary>
/// The whole corpus book (61 chapters) to EPUB and DOCX by Folio's writers and by pandoc from the same Markdown, in the
/// same run, alternating so both see the same machine; then the PDF through WeasyPrint and the git export of the full
/// 566-revision history. Each figure is the median of <c>--runs</c> timed runs after one untimed warm-up.
/// </summary>
internal static class ExportBenchmark
{
    public static async Task<int> RunAsync(int runs)
    {
        var revisions = Corpus.Load();
        var book = new Book(CorpusBooks.Metadata, CorpusBooks.LatestChapters(revisions));
        var options = new ExportOptions();
        var work = Directory.CreateTempSubdirectory("folio-export-bench-");
        try
        {
            var markdown = Path.Combine(work.FullName, "book.md");
            await using (var file = File.Create(markdown))
            {
                new MarkdownWriter().Write(book, options, file);
            }

            var pandocVersion = (await RunAsync("pandoc", "--version")).Split('\n')[0];
            Console.WriteLine($"book: {book.Chapters.Count} chapters, {new FileInfo(markdown).Length:N0} bytes of Markdown; {pandocVersion}; {runs} runs each, median");
            foreach (var (name, writer, pandocFormat) in new (string, IBookWriter, string)[] { ("EPUB", new EpubWriter(), "epub3"), ("DOCX", new DocxWriter(), "docx") })
            {
                var ours = new List<double>();
                var pandoc = new List<double>();
                for (var run = 0; run <= runs; run++)
                {
                    var output = Path.Combine(work.FullName, $"folio.{writer.Format.Extension}");
                    var folio = await TimeAsync(() =>
                    {
                        using var file = File.Create(output);
                        writer.Write(book, options, file);
                        return Task.CompletedTask;
                    });
                    var reference = await TimeAsync(() => RunAsync("pandoc", "-f", "markdown", "-t", pandocFormat, "--toc", "-o", Path.Combine(work.FullName, $"pandoc.{writer.Format.Extension}"), markdown));
                    if (run > 0)
                    {
                        ours.Add(folio);
                        pandoc.Add(reference);
                    }
                }

                var (oursMedian, pandocMedian) = (Median(ours), Median(pandoc));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: Folio {oursMedian,8:F0} ms   pandoc {pandocMedian,8:F0} ms   pandoc/Folio {pandocMedian / oursMedian,5:F1}x   sizes {new FileInfo(Path.Combine(work.FullName, $"folio.{writer.Format.Extension}")).Length:N0} / {new FileInfo(Path.Combine(work.FullName, $"pandoc.{writer.Format.Extension}")).Length:N0} bytes"));
            }

            var weasyPrint = new WeasyPrint(Microsoft.Extensions.Options.Options.Create(new WeasyPrintOptions()));
            var pdf = Path.Combine(work.FullName, "book.pdf");
            var pdfTime = await TimeAsync(() => weasyPrint.RenderAsync(book, options, pdf, CancellationToken.None));
            var pages = (await RunAsync("pdfinfo", pdf)).Split('\n').FirstOrDefault(line => line.StartsWith("Pages:", StringComparison.Ordinal))?.Split(':')[1].Trim();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PDF (WeasyPrint, 6x9 in): {pdfTime:F0} ms, {pages} pages, {new FileInfo(pdf).Length:N0} bytes (one run)"));

            var (history, contents, _) = CorpusBooks.History(revisions);
            var bundle = Path.Combine(work.FullName, "book.bundle");
            var git = new GitBundleWriter();
            var gitTimes = new List<double>();
            for (var run = 0; run <= runs; run++)
            {
                File.Delete(bundle);
                var elapsed = await TimeAsync(() => git.WriteAsync(history, id => contents[id], bundle, CancellationToken.None));
                if (run > 0)
                {
                    gitTimes.Add(elapsed);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"git export ({revisions.Count} revisions, {history.Commits.Count} commits, fast-import + bundle): {Median(gitTimes):F0} ms, bundle {new FileInfo(bundle).Length:N0} bytes"));
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static async Task<string> RunAsync(string executable, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"{executable} failed: {await errors}");
    }
}
