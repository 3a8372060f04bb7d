using System.Diagnostics;
using System.Globalization;
using Folio.Versioning.Core.Text;
using Xunit.Abstractions;

namespace Folio.Versioning.Tests.Text;

/// <summary>
/// Merge oracle: Folio's block merge against <c>git merge-file</c> (git 2.39) with one paragraph per line, on
/// three-way cases generated with a seeded <see cref="Random"/>. Folio texts are the same paragraphs separated
/// by blank lines; a clean merge must give git's paragraphs byte for byte in that layout.
/// </summary>
public sealed class MergeOracleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("folio-merge-oracle-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>
    /// Each side replaces, deletes, rewords or inserts after a few paragraphs, never one the other side edits; edits
    /// of neighbouring paragraphs (or at the same gap) happen often, and git and Folio both call them conflicts.
    /// </summary>
    [Fact]
    public void Agrees_with_git_when_the_sides_edit_different_paragraphs()
    {
        var random = new Random(1813);
        var generator = new EditGenerator(random);
        var cases = new List<MergeCase>();
        for (var sample = 0; sample < 600; sample++)
        {
            var @base = generator.BaseParagraphs();
            var indexes = Enumerable.Range(0, @base.Count).OrderBy(_ => random.Next()).ToArray();
            var oursEdits = random.Next(1, Math.Min(4, @base.Count / 2) + 1);
            var theirsEdits = random.Next(1, Math.Min(4, @base.Count - oursEdits - 1) + 1);
            cases.Add(new MergeCase(@base, generator.Edit(@base, indexes[..oursEdits]), generator.Edit(@base, indexes[oursEdits..(oursEdits + theirsEdits)])));
        }

        var git = GitMergeFile(cases);
        int clean = 0, conflicted = 0;
        for (var sample = 0; sample < cases.Count; sample++)
        {
            var folio = ThreeWayMerge.Merge(Text(cases[sample].Base), Text(cases[sample].Ours), Text(cases[sample].Theirs));

            folio.IsClean.Should().Be(git[sample].Conflicts == 0, $"sample {sample}: git reported {git[sample].Conflicts} conflicts");
            folio.Regions.Should().NotContain(region => region.WordMerged, "no paragraph was edited on both sides");
            if (folio.IsClean)
            {
                folio.MergedText.Should().Be(Text(git[sample].Merged), $"sample {sample}");
                clean++;
            }
            else
            {
                conflicted++;
            }
        }

        output.WriteLine($"{cases.Count} cases: {clean} clean, {conflicted} conflicted, all as git decided");
        clean.Should().BeGreaterThan(100);
        conflicted.Should().BeGreaterThan(100);
    }

    /// <summary>
    /// Both sides edit words of the same paragraph (and one side maybe another paragraph apart from it): git
    /// always conflicts on that line; Folio merges exactly when an unedited word separates the two sides' edits,
    /// into the paragraph with both sides' edits, and conflicts when an edit of theirs touches one of ours.
    /// </summary>
    [Fact]
    public void Merges_word_disjoint_edits_of_one_paragraph_where_git_conflicts()
    {
        var random = new Random(1797);
        var generator = new EditGenerator(random);
        var cases = new List<(MergeCase Case, int Target, List<string>? Expected)>();
        while (cases.Count < 300)
        {
            var @base = generator.BaseParagraphs();
            var target = Enumerable.Range(0, @base.Count).Where(index => Tokens(@base[index]).Count(IsWord) >= 12).OrderBy(_ => random.Next()).First();
            var words = Tokens(@base[target]).Count(IsWord);
            var oursOps = generator.WordOps(@base[target], words, exclude: []);
            var apart = cases.Count % 2 == 0;
            var theirsOps = apart
                ? generator.WordOps(@base[target], words, exclude: oursOps.SelectMany(op => op.Touches()).SelectMany(word => new[] { word - 1, word, word + 1 }).ToHashSet())
                : [generator.ReplacementNear(oursOps[random.Next(oursOps.Count)], words)];
            if (theirsOps.Count == 0)
            {
                continue;
            }

            var ours = @base.ToList();
            var theirs = @base.ToList();
            ours[target] = WordOp.Apply(@base[target], oursOps);
            theirs[target] = WordOp.Apply(@base[target], theirsOps);
            List<string>? expected = null;
            if (apart)
            {
                expected = @base.ToList();
                expected[target] = WordOp.Apply(@base[target], [.. oursOps, .. theirsOps]);
            }

            if (random.Next(2) == 0)
            {
                var other = Enumerable.Range(0, @base.Count).Where(index => Math.Abs(index - target) > 1).OrderBy(_ => random.Next()).First();
                ours[other] = generator.NewParagraph();
                expected?[other] = ours[other];
            }

            cases.Add((new MergeCase(@base, ours, theirs), target, expected));
        }

        var git = GitMergeFile(cases.Select(sample => sample.Case).ToArray());
        int merged = 0, conflicted = 0;
        for (var sample = 0; sample < cases.Count; sample++)
        {
            var (@case, target, expected) = cases[sample];
            var folio = ThreeWayMerge.Merge(Text(@case.Base), Text(@case.Ours), Text(@case.Theirs));

            git[sample].Conflicts.Should().BeGreaterThan(0, $"sample {sample}: both sides changed the same line");
            if (expected is not null)
            {
                folio.IsClean.Should().BeTrue($"sample {sample}: the edits are words apart");
                folio.Regions.Should().ContainSingle(region => region.WordMerged);
                folio.MergedText.Should().Be(Text(expected), $"sample {sample}");
                merged++;
            }
            else
            {
                folio.IsClean.Should().BeFalse($"sample {sample}: the edits touch");
                folio.Conflicts.Should().ContainSingle().Which.Base.Should().Be(@case.Base[target]);
                conflicted++;
            }
        }

        output.WriteLine($"{cases.Count} same-paragraph cases: {merged} merged word by word, {conflicted} conflicted; git conflicted on all");
        merged.Should().Be(150);
        conflicted.Should().Be(150);
    }

    /// <summary>
    /// Short paragraphs that repeat ("“Yes.”", "Silence.") make many alignments equally short: Folio must still
    /// pick git's, since which one is picked decides whether edits touch. The paragraphs share no words, so no
    /// word-level merge can make Folio cleaner than git here.
    /// </summary>
    [Fact]
    public void Agrees_with_git_when_paragraphs_repeat()
    {
        var random = new Random(1811);
        string[] paragraphs = ["“Yes.”", "“No.”", "He bowed.", "She smiled.", "Silence."];
        var cases = new List<MergeCase>();
        for (var sample = 0; sample < 500; sample++)
        {
            var @base = Enumerable.Range(0, random.Next(0, 12)).Select(_ => paragraphs[random.Next(paragraphs.Length)]).ToList();
            cases.Add(new MergeCase(@base, Mutate(@base), Mutate(@base)));
        }

        var git = GitMergeFile(cases);
        int clean = 0, conflicted = 0;
        for (var sample = 0; sample < cases.Count; sample++)
        {
            var folio = ThreeWayMerge.Merge(Text(cases[sample].Base), Text(cases[sample].Ours), Text(cases[sample].Theirs));

            folio.IsClean.Should().Be(git[sample].Conflicts == 0, $"sample {sample}: git reported {git[sample].Conflicts} conflicts");
            if (folio.IsClean)
            {
                folio.MergedText.Should().Be(Text(git[sample].Merged), $"sample {sample}");
                clean++;
            }
            else
            {
                conflicted++;
            }
        }

        output.WriteLine($"{cases.Count} cases with repeated paragraphs: {clean} clean, {conflicted} conflicted, all as git decided");
        clean.Should().BeGreaterThan(100);
        conflicted.Should().BeGreaterThan(100);

        List<string> Mutate(List<string> original)
        {
            var edited = original.ToList();
            for (var edit = random.Next(1, 4); edit > 0; edit--)
            {
                var at = random.Next(edited.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when at < edited.Count:
                        edited.RemoveAt(at);
                        break;
                    case 1 when at < edited.Count:
                        edited[at] = paragraphs[random.Next(paragraphs.Length)];
                        break;
                    default:
                        edited.Insert(at, paragraphs[random.Next(paragraphs.Length)]);
                        break;
                }
            }

            return edited;
        }
    }

    /// <summary>Runs <c>git merge-file -p ours base theirs</c> on every case from one shell, which is much cheaper than a process per case.</summary>
    private List<(int Conflicts, List<string> Merged)> GitMergeFile(IReadOnlyList<MergeCase> cases)
    {
        for (var i = 0; i < cases.Count; i++)
        {
            var caseDirectory = Directory.CreateDirectory(Path.Combine(directory, i.ToString(CultureInfo.InvariantCulture))).FullName;
            File.WriteAllText(Path.Combine(caseDirectory, "base"), Lines(cases[i].Base));
            File.WriteAllText(Path.Combine(caseDirectory, "ours"), Lines(cases[i].Ours));
            File.WriteAllText(Path.Combine(caseDirectory, "theirs"), Lines(cases[i].Theirs));
        }

        var start = new ProcessStartInfo("sh") { WorkingDirectory = directory, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("for d in */; do git -C \"$d\" merge-file -p ours base theirs > \"$d/merged\"; echo $? > \"$d/status\"; done");
        using (var shell = Process.Start(start)!)
        {
            var errors = shell.StandardError.ReadToEnd();
            shell.WaitForExit();
            shell.ExitCode.Should().Be(0, errors);
        }

        return cases.Select((_, i) => Path.Combine(directory, i.ToString(CultureInfo.InvariantCulture)))
            .Select(caseDirectory => (
                int.Parse(File.ReadAllText(Path.Combine(caseDirectory, "status")), CultureInfo.InvariantCulture),
                File.ReadAllText(Path.Combine(caseDirectory, "merged")).Split('\n').SkipLast(1).ToList()))
            .ToList();
    }

    private sealed record MergeCase(List<string> Base, List<string> Ours, List<string> Theirs);

    private static string Lines(List<string> paragraphs) => string.Concat(paragraphs.Select(paragraph => paragraph + "\n"));

    private static string Text(List<string> paragraphs) => paragraphs.Count == 0 ? "" : string.Join("\n\n", paragraphs) + "\n";

    private static string[] Tokens(string paragraph) => System.Text.RegularExpressions.Regex.Split(paragraph, @"(\s+)").Where(token => token.Length > 0).ToArray();

    private static bool IsWord(string token) => !char.IsWhiteSpace(token[0]);

    /// <summary>An edit of one word of a paragraph, by its position among the paragraph's words.</summary>
    private sealed record WordOp(WordOpKind Kind, int Word, string? NewWord)
    {
        /// <summary>Words this edit changes or sits next to: an insertion after word w touches w and w + 1.</summary>
        public IEnumerable<int> Touches() => Kind == WordOpKind.InsertAfter ? [Word, Word + 1] : [Word];

        public static string Apply(string paragraph, IReadOnlyList<WordOp> ops)
        {
            var tokens = Tokens(paragraph).ToList();
            var wordPositions = tokens.Select((token, index) => (token, index)).Where(pair => IsWord(pair.token)).Select(pair => pair.index).ToArray();
            foreach (var op in ops.OrderByDescending(op => op.Word))
            {
                var at = wordPositions[op.Word];
                switch (op.Kind)
                {
                    case WordOpKind.Replace:
                        tokens[at] = op.NewWord!;
                        break;
                    case WordOpKind.InsertAfter:
                        tokens.Insert(at + 1, " ");
                        tokens.Insert(at + 2, op.NewWord!);
                        break;
                    default:
                        tokens.RemoveRange(at + 1 < tokens.Count ? at : at - 1, 2);
                        break;
                }
            }

            return string.Concat(tokens);
        }
    }

    private enum WordOpKind
    {
        Replace,
        InsertAfter,
        Delete,
    }

    /// <summary>Random edits of corpus chapters; every word or paragraph it writes in is new to the chapter.</summary>
    private sealed class EditGenerator(Random random)
    {
        private static readonly Lazy<string[]> Bases = new(() =>
            CorpusChapters.All.SelectMany(chapter => chapter).Select(revision => revision.Markdown).ToArray());

        private static readonly string[] Vocabulary =
            ["quickly", "gentle", "storm", "lantern", "whisper", "meadow", "quarrel", "velvet", "harbour", "candle", "riddle", "orchard", "ember", "thistle", "compass", "marble"];

        private int counter;

        public List<string> BaseParagraphs()
        {
            var paragraphs = MarkdownBlocks.Split(Bases.Value[random.Next(Bases.Value.Length)]).Select(block => block.Text).ToList();
            paragraphs.Should().OnlyContain(paragraph => !paragraph.Contains('\n'), "corpus paragraphs are single lines");
            return paragraphs;
        }

        public string NewParagraph() => $"A paragraph written for the oracle, number {++counter}, with {Vocabulary[random.Next(Vocabulary.Length)]} in it.";

        /// <summary>Replaces, deletes, rewords or inserts after each chosen paragraph, never touching any other.</summary>
        public List<string> Edit(List<string> paragraphs, IEnumerable<int> indexes)
        {
            var edited = paragraphs.ToList();
            foreach (var index in indexes.OrderByDescending(index => index))
            {
                switch (random.Next(4))
                {
                    case 0:
                        edited[index] = NewParagraph();
                        break;
                    case 1:
                        edited.RemoveAt(index);
                        break;
                    case 2 when Tokens(edited[index]).Count(IsWord) is var words && words >= 3:
                        edited[index] = WordOp.Apply(edited[index], WordOps(edited[index], words, exclude: []));
                        break;
                    case 2:
                    default:
                        edited.Insert(index + 1, NewParagraph());
                        break;
                }
            }

            return edited;
        }

        /// <summary>One to three word edits at least two words apart, avoiding <paramref name="exclude"/>d words.</summary>
        public List<WordOp> WordOps(string paragraph, int words, HashSet<int> exclude)
        {
            var tokens = Tokens(paragraph).Where(IsWord).ToArray();
            var ops = new List<WordOp>();
            var wanted = random.Next(1, 4);
            for (var attempt = 0; attempt < 20 && ops.Count < wanted; attempt++)
            {
                var word = random.Next(words);
                var kind = (WordOpKind)random.Next(3);
                var op = new WordOp(kind, word, kind == WordOpKind.Delete ? null : FreshWord(tokens));
                var repeated = kind == WordOpKind.Delete && ((word > 0 && tokens[word - 1] == tokens[word]) || (word + 1 < words && tokens[word + 1] == tokens[word]));
                if (!repeated && op.Touches().All(touched => touched < words && !exclude.Contains(touched))
                    && ops.All(other => Math.Abs(other.Word - word) > 2))
                {
                    ops.Add(op);
                }
            }

            return ops;
        }

        /// <summary>A replacement, with a word of its own, of a word that <paramref name="op"/> edits or is next to.</summary>
        public WordOp ReplacementNear(WordOp op, int words)
        {
            var word = Math.Clamp(op.Word + (op.Kind == WordOpKind.InsertAfter ? random.Next(0, 2) : random.Next(-1, 2)), 0, words - 1);
            return new WordOp(WordOpKind.Replace, word, $"{Vocabulary[random.Next(Vocabulary.Length)]}-{++counter}");
        }

        private string FreshWord(string[] tokens)
        {
            var word = Vocabulary[random.Next(Vocabulary.Length)];
            return tokens.Contains(word) ? $"{word}-{++counter}" : word;
        }
    }
}
