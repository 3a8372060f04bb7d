using System.Diagnostics;
using System.Globalization;
using Folio.Continuity.Core;
using Folio.Continuity.Tests.Evaluation;

namespace Folio.Benchmarks.Continuity;

/// <summary>Time of the nine deterministic rules per chapter: every corpus chapter with the codex and earlier chapters' context, then one 200,000-word chapter.</summary>
internal static class RuleCheckBenchmark
{
    public static int Run(int rounds)
    {
        Console.WriteLine($"machine: {Machine.Describe()}");
        var chapters = Book.Chapters;
        var contexts = Enumerable.Range(1, chapters.Count).Select(Book.ContextFor).ToList();
        var inputs = chapters.Select((text, index) => new ChapterToCheck(index + 1, text, 4000)).ToList();
        foreach (var (input, context) in inputs.Zip(contexts))
        {
            ContinuityChecker.Check(input, context);
        }

        var samples = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (input, context) in inputs.Zip(contexts))
            {
                var clock = Stopwatch.StartNew();
                ContinuityChecker.Check(input, context);
                samples.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var words = inputs.Select(input => Folio.Continuity.Core.Text.ChapterText.CountWords(input.Text)).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus chapters ({words[0]:N0}–{words[^1]:N0} words, median {words[words.Count / 2]:N0}), {rounds} rounds: {LatencyStats.FromMilliseconds(samples)}"));

        var big = string.Join("\n\n", Enumerable.Range(0, 20).SelectMany(_ => chapters)).Split(' ').Take(200_000);
        var huge = new ChapterToCheck(30, string.Join(' ', big), 4000);
        var hugeSamples = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            ContinuityChecker.Check(huge, contexts[29]);
            hugeSamples.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"one 200,000-word chapter: {LatencyStats.FromMilliseconds(hugeSamples)}");
        return 0;
    }
}
