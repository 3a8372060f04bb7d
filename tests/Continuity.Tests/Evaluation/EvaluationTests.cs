using System.Globalization;
using Folio.Continuity.Core;
using Xunit.Abstractions;

namespace Folio.Continuity.Tests.Evaluation;

/// <summary>
/// The labelled evaluation set: planted errors in copies of Pride and Prejudice's chapters (plant.py) checked against the codex.
/// A violation counts as found when its rule and line match a label (chapter-level labels match any line); any other violation
/// in a planted copy is a false positive. The untouched chapters measure false positives on real prose.
/// </summary>
public sealed class EvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void Planted_errors_are_found_with_the_required_precision_and_recall()
    {
        var copies = PlantedSet.Load();
        var labels = copies.SelectMany(copy => copy.Labels).ToList();
        labels.Should().HaveCountGreaterThanOrEqualTo(150);
        labels.Select(label => label.Rule).Distinct().Should().HaveCountGreaterThanOrEqualTo(6);

        var truePositives = new Dictionary<string, int>();
        var falsePositives = new Dictionary<string, int>();
        var missed = new Dictionary<string, int>();
        foreach (var copy in copies)
        {
            var result = ContinuityChecker.Check(copy.Apply(), Book.ContextFor(copy.Chapter));
            var unmatched = result.Violations.ToList();
            foreach (var label in copy.Labels)
            {
                var hit = unmatched.FirstOrDefault(violation => violation.Rule == label.Rule && (label.Line is null || violation.Location.Line == label.Line));
                if (hit is null)
                {
                    Count(missed, label.Rule);
                    output.WriteLine($"missed  copy {copy.Copy} (chapter {copy.Chapter}) line {label.Line}: {label.Rule}");
                    continue;
                }

                unmatched.Remove(hit);
                hit.Evidence.Should().NotBeEmpty($"every violation cites evidence ({hit.Rule})");
                Count(truePositives, label.Rule);
            }

            foreach (var violation in unmatched)
            {
                Count(falsePositives, violation.Rule);
                output.WriteLine($"false + copy {copy.Copy} (chapter {copy.Chapter}) line {violation.Location.Line}: {violation.Rule} {violation.Description}");
            }
        }

        output.WriteLine("rule                          planted  found  false+  precision  recall");
        foreach (var rule in labels.Select(label => label.Rule).Concat(falsePositives.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var (tp, fp, fn) = (truePositives.GetValueOrDefault(rule), falsePositives.GetValueOrDefault(rule), missed.GetValueOrDefault(rule));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rule,-30}{tp + fn,7}{tp,7}{fp,8}{Ratio(tp, tp + fp),11:F3}{Ratio(tp, tp + fn),8:F3}"));
        }

        var (allTp, allFp, allFn) = (truePositives.Values.Sum(), falsePositives.Values.Sum(), missed.Values.Sum());
        var precision = Ratio(allTp, allTp + allFp);
        var recall = Ratio(allTp, allTp + allFn);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"overall",-30}{allTp + allFn,7}{allTp,7}{allFp,8}{precision,11:F3}{recall,8:F3}"));

        precision.Should().BeGreaterThanOrEqualTo(0.90);
        recall.Should().BeGreaterThanOrEqualTo(0.80);
    }

    [Fact]
    public void Untouched_chapters_have_at_most_one_false_positive_per_ten()
    {
        var falsePositives = 0;
        for (var number = 1; number <= Book.Chapters.Count; number++)
        {
            var text = Book.Chapters[number - 1];
            var result = ContinuityChecker.Check(new ChapterToCheck(number, text, Core.Text.ChapterText.CountWords(text)), Book.ContextFor(number));
            foreach (var violation in result.Violations)
            {
                falsePositives++;
                output.WriteLine($"chapter {number} line {violation.Location.Line}: {violation.Rule} {violation.Description} | {violation.Location.Text}");
            }
        }

        var perTen = falsePositives * 10.0 / Book.Chapters.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{falsePositives} false positives in {Book.Chapters.Count} untouched chapters: {perTen:F2} per 10 chapters"));
        perTen.Should().BeLessThanOrEqualTo(1.0);
    }

    private static void Count(Dictionary<string, int> counts, string rule) => counts[rule] = counts.GetValueOrDefault(rule) + 1;

    private static double Ratio(int part, int whole) => whole == 0 ? 1.0 : (double)part / whole;
}
