using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Folio.Generation.Api.Features.Providers;
using Folio.Generation.Core.Agents;
using Folio.Generation.Core.Offline;

namespace Folio.Generation.Api.Features.Agents;

/// <summary>Who an agent works for and with which model; ids tie the run to a book, a job and a chapter.</summary>
/// <remarks>
/// With <paramref name="HeldRuns"/>, the call's run is added there for the caller to save with its own writes (a job
/// step's runs are saved with its outcome); without, it is recorded at once.
/// </remarks>
public sealed record AgentCall(Guid OwnerId, Guid? ProjectId, Guid? JobId, ModelSettings Settings, ICollection<AgentRun>? HeldRuns = null);

/// <summary>
/// The architect (chapter brief), the writer (chapter Markdown), the summarizer (running summary) and the continuity
/// reviewer (findings with evidence, for Continuity's LLM checks). The offline
/// provider answers from Folio's deterministic writer; a real provider gets the prompt from the agent's file through
/// the <see cref="ModelGateway"/> (which refuses truncated and far-too-short answers). Every call, success or failure,
/// is recorded as an agent run with its prompt hash, tokens, cost estimate and duration.
/// </summary>
public sealed class StoryAgents(ModelGateway models, PromptTemplates prompts, AgentRunRecorder runs, OfflineWriter offline, LlmOptions options, TimeProvider clock)
{
    public const string Architect = "architect";
    public const string Writer = "writer";
    public const string Summarizer = "summarizer";
    public const string Reviewer = "reviewer";

    /// <summary>A brief is short: a few hundred words of JSON at most.</summary>
    private const int BriefMinimumWords = 20;

    public Task<ChapterBrief> BriefAsync(AgentCall call, BriefRequest request, CancellationToken cancellationToken) =>
        RunAsync(Architect, call, request.ChapterNumber, BriefValues(request), minimumWords: BriefMinimumWords,
            () => offline.WriteBrief(request), offline.ParseBrief, cancellationToken);

    public Task<string> WriteAsync(AgentCall call, ChapterRequest request, CancellationToken cancellationToken) =>
        RunAsync(Writer, call, request.Brief.ChapterNumber, WriterValues(request), minimumWords: request.Brief.TargetWords,
            () => offline.WriteChapter(request), text => text.Trim(), cancellationToken);

    public Task<string> SummarizeAsync(AgentCall call, SummaryRequest request, CancellationToken cancellationToken) =>
        RunAsync(Summarizer, call, request.Brief.ChapterNumber, SummaryValues(request), minimumWords: 15,
            () => offline.Summarize(request), text => text.Trim(), cancellationToken);

    /// <summary>The continuity reviewer: real providers only — the offline writer has no judgement to offer, so asking it is a failure.</summary>
    public Task<ContinuityReview> ReviewAsync(AgentCall call, ReviewRequest request, CancellationToken cancellationToken) =>
        RunAsync(Reviewer, call, request.ChapterNumber, ReviewValues(request), minimumWords: 0,
            () => throw new ProviderException(OfflineWriter.ProviderName, ProviderFailure.Rejected, "The offline writer does not review continuity."),
            ContinuityReview.Parse, cancellationToken);

    /// <summary>
    /// Cuts the running summary and the previous chapter's ending to what fits the model's window beside the writer's
    /// prompt (rendered without them) and the answer it will write (about two tokens per requested word, at most max tokens).
    /// </summary>
    public CarriedContext FitContext(ChapterRequest bare, ModelSettings settings, IReadOnlyList<string> summaries, string? previousChapter)
    {
        var prompt = prompts.Render(Writer, WriterValues(bare)).Prompt;
        var promptTokens = ContextBudget.Tokens(prompt.System) + prompt.Turns.Sum(turn => ContextBudget.Tokens(turn.Text));
        var answerTokens = Math.Min(settings.MaxTokens, bare.Brief.TargetWords * 2);
        return new ContextBudget(options.ContextWindowOf(settings.Model), answerTokens, promptTokens).Fit(summaries, previousChapter);
    }

    private async Task<T> RunAsync<T>(
        string agent, AgentCall call, int chapter, Dictionary<string, string> values, int minimumWords,
        Func<T> offlineAnswer, Func<string, T> parse, CancellationToken cancellationToken)
    {
        var prompt = prompts.Render(agent, values);
        var settings = call.Settings;
        var isOffline = settings.Provider == ProviderCatalogue.Offline;
        var started = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        long tokensIn = 0, tokensOut = 0;
        string model = isOffline ? OfflineWriter.ModelName : settings.Model;
        try
        {
            T result;
            if (isOffline)
            {
                result = offlineAnswer();
            }
            else
            {
                var completion = await models.CompleteAsync(prompt.Prompt, settings, minimumWords, cancellationToken);
                (tokensIn, tokensOut, model) = (completion.InputTokens, completion.OutputTokens, completion.Model);
                result = ParseAnswer(settings.Provider, agent, completion.Text, parse);
            }

            await RecordAsync("succeeded", null);
            return result;
        }
        catch (Exception exception) when (exception is ProviderException or KeyNotFoundException)
        {
            await RecordAsync("failed", exception.Message);
            throw;
        }

        Task RecordAsync(string status, string? error)
        {
            var run = new AgentRun(
                Guid.CreateVersion7(), call.OwnerId, call.ProjectId, call.JobId, chapter, agent,
                isOffline ? OfflineWriter.ProviderName : settings.Provider, model,
                new Dictionary<string, object?> { ["temperature"] = settings.Temperature, ["maxTokens"] = settings.MaxTokens, ["baseUrl"] = settings.BaseUrl?.ToString() },
                prompt.Hash, tokensIn, tokensOut, options.CostOf(model, tokensIn, tokensOut), (int)stopwatch.ElapsedMilliseconds, status, error, started);
            if (call.HeldRuns is { } held)
            {
                lock (held)
                {
                    held.Add(run);
                }

                return Task.CompletedTask;
            }

            return runs.RecordAsync([run], CancellationToken.None);
        }
    }

    /// <summary>An answer that cannot be read (a brief that is not the JSON asked for) is a failed call, like a malformed response.</summary>
    private static T ParseAnswer<T>(string provider, string agent, string text, Func<string, T> parse)
    {
        try
        {
            return parse(text);
        }
        catch (JsonException exception)
        {
            throw new ProviderException(provider, ProviderFailure.MalformedAnswer, $"The {agent}'s answer was not the JSON asked for: {exception.Message}", exception);
        }
    }

    private static Dictionary<string, string> StoryValues(StoryContext story) => new()
    {
        ["title"] = story.Title,
        ["genre"] = story.Genre ?? "unspecified genre",
        ["language"] = story.Language,
        ["style"] = story.Style ?? "the writer's own",
        ["synopsis"] = story.Synopsis ?? "(none yet)",
        ["characters"] = CharacterLines(story.Characters),
        ["places"] = Lines(story.Places.Select(place => $"{place.Name}: {place.Description ?? ""}")),
    };

    private static Dictionary<string, string> BriefValues(BriefRequest request)
    {
        var values = StoryValues(request.Story);
        values["chapterNumber"] = request.ChapterNumber.ToString(CultureInfo.InvariantCulture);
        values["chapterTitle"] = request.ChapterTitle ?? $"Chapter {request.ChapterNumber}";
        values["targetWords"] = request.TargetWords.ToString(CultureInfo.InvariantCulture);
        values["beats"] = Lines(request.OutlineBeats.Select(beat => $"- {beat}"));
        values["summaries"] = Lines(request.EarlierSummaries.Select((summary, index) => $"{index + 1}. {summary}"));
        return values;
    }

    private static Dictionary<string, string> WriterValues(ChapterRequest request)
    {
        var values = StoryValues(request.Story);
        values["chapterNumber"] = request.Brief.ChapterNumber.ToString(CultureInfo.InvariantCulture);
        values["chapterTitle"] = request.Brief.Title;
        values["pointOfView"] = request.Brief.PointOfView;
        values["setting"] = request.Brief.Setting;
        values["charactersPresent"] = string.Join(", ", request.Brief.CharactersPresent);
        values["goal"] = request.Brief.Goal;
        values["beats"] = Lines(request.Brief.Beats.Select((beat, index) => $"{index + 1}. {beat}"));
        values["targetWords"] = request.Brief.TargetWords.ToString(CultureInfo.InvariantCulture);
        values["summary"] = request.RunningSummary ?? "(this is the first chapter)";
        values["previousEnding"] = request.PreviousChapterEnding ?? "(none)";
        values["revisionNotes"] = request.RevisionNotes is { Count: > 0 } notes
            ? "This is a revision. The previous draft had these continuity problems; fix every one:\n" + Lines(notes.Select(note => $"- {note}")) + "\n"
            : "";
        return values;
    }

    private static Dictionary<string, string> SummaryValues(SummaryRequest request) => new()
    {
        ["title"] = request.Story.Title,
        ["chapterNumber"] = request.Brief.ChapterNumber.ToString(CultureInfo.InvariantCulture),
        ["chapterTitle"] = request.Brief.Title,
        ["beats"] = string.Join("; ", request.Brief.Beats),
        ["chapter"] = request.ChapterMarkdown,
    };

    private static Dictionary<string, string> ReviewValues(ReviewRequest request) => new()
    {
        ["chapterNumber"] = request.ChapterNumber.ToString(CultureInfo.InvariantCulture),
        ["characters"] = CharacterLines(request.Characters),
        ["earlierPassages"] = Lines(request.EarlierPassages.Select(passage => $"- chapter {passage.Chapter}, line {passage.Line}: {passage.Text}")),
        ["chapter"] = Lines(request.ChapterText.Split('\n').Select((line, index) => (Line: line.TrimEnd('\r'), Number: index + 1))
            .Where(line => !string.IsNullOrWhiteSpace(line.Line)).Select(line => $"{line.Number}: {line.Line}")),
    };

    private static string CharacterLines(IEnumerable<StoryCharacter> characters) => Lines(characters.Select(character =>
        $"{character.Name}{(character.Aliases.Count > 0 ? $" (also {string.Join(", ", character.Aliases)})" : "")}: {character.Role ?? "character"}; "
        + string.Join("; ", character.Facts.Select(fact => $"{fact.Key} = {fact.Value}"))));

    private static string Lines(IEnumerable<string> lines)
    {
        var text = string.Join("\n", lines);
        return text.Length == 0 ? "(none)" : text;
    }
}
