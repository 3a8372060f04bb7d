using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Folio.Tests.Models;

namespace Folio.EndToEnd.Tests;

/// <summary>One call of an agent as the model server received it: which agent, for which chapter, and the prompt's user part.</summary>
public sealed record AgentAsk(string Agent, int Chapter, string Title, int TargetWords, IReadOnlyList<string> Beats, string Prompt)
{
    public bool IsRevision => Prompt.Contains("This is a revision.", StringComparison.Ordinal);

    /// <summary>The writer's running summary of the chapters before this one, as carried into its prompt.</summary>
    public string StorySoFar => Between("The story so far:\n", "\n\nHow the previous chapter ended:");

    /// <summary>The previous chapter's ending, as carried into the writer's prompt.</summary>
    public string PreviousEnding => Between("How the previous chapter ended:\n", "\n\nBrief for chapter");

    private string Between(string start, string end)
    {
        var from = Prompt.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : Prompt.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? "" : Prompt[(from + start.Length)..to];
    }
}

/// <summary>
/// An OpenAI-compatible model for the saga's agents, served by <see cref="FakeModelServer"/> in the test process: it reads
/// which agent is asking from the prompt Folio sends and answers as that agent must (the architect a brief in JSON, the
/// writer chapter Markdown of the length asked that covers the beats, the summarizer a few sentences), so the real
/// OpenAI SDK and every check on the answers run for real. A test can make it fail for good from a given call on, or
/// have the writer state a fact that contradicts the bible.
/// </summary>
public sealed partial class StoryModel : IAsyncDisposable
{
    public const string ModelName = "story-model";

    private static readonly string[] Lines =
    [
        "The wind came off the sea in long cold breaths and rattled the glass of the lamp room.",
        "Below the rocks the tide worked at the shingle, patient as it had always been.",
        "Mara Quinn counted the steps of the iron stair, one hundred and twelve, as she had every night since the spring.",
        "A gull settled on the rail and watched her with one hard yellow eye before it let the wind take it.",
        "She trimmed the wick, wiped the soot from the brass and wrote the hour in the log in her small square hand.",
        "Far out a ship's light showed and was gone again behind the swell.",
        "The keeper's cottage smelled of tar, of salt and of the bread she had left too long on the stove.",
        "Nobody in the village spoke of the wreck any more, yet everybody still looked at the headland when the fog came in.",
        "She listened for the bell buoy and heard it, faint and regular, a heartbeat under the noise of the water.",
        "The lamp turned, the beam swept the black water, and for a moment the whole bay was silver and then dark again.",
    ];

    private FakeModelServer server = null!;
    private volatile bool failing;

    /// <summary>From the first call this matches on, every call (this one included) is answered 500: the provider is down for good.</summary>
    public Func<AgentAsk, bool>? FailForGoodFrom { get; set; }

    /// <summary>An eye colour the writer gives Mara Quinn in this draft (the bible says grey), or null for a clean draft.</summary>
    public Func<AgentAsk, string?>? EyeColourIn { get; set; }

    /// <summary>How long every answer takes, so a test can act on a job while it still runs.</summary>
    public TimeSpan Pace { get; set; }

    /// <summary>The OpenAI-compatible base URL to save in the writer's provider settings.</summary>
    public Uri BaseUrl => new(server.BaseUrl, "v1");

    /// <summary>Every call received so far, in order.</summary>
    public IReadOnlyList<AgentAsk> Asks => [.. server.Requests.Select(request => Read(request.Body))];

    public static async Task<StoryModel> StartAsync()
    {
        var model = new StoryModel();
        model.server = await FakeModelServer.StartAsync(model.Answer);
        return model;
    }

    /// <summary>Saves this server as the writer's provider, or as one book's own when <paramref name="projectId"/> is given.</summary>
    public async Task UseForAsync(GatewayClient writer, string? projectId = null)
    {
        var path = projectId is null ? "/api/v1/generation/settings" : $"/api/v1/projects/{projectId}/generation-settings";
        string etag;
        using (var current = await writer.SendAsync(HttpMethod.Get, path))
        {
            current.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            etag = current.Headers.ETag!.ToString();
        }

        using var saved = await writer.SendAsync(HttpMethod.Put, path,
            new { provider = "openai-compatible", model = ModelName, baseUrl = BaseUrl.ToString(), temperature = 0.7, maxTokens = 4000, apiKey = "sk-e2e-story-model" },
            ifMatch: etag);
        saved.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private ScriptedAnswer Answer(JsonElement request)
    {
        var ask = Read(request);
        if (failing || FailForGoodFrom?.Invoke(ask) == true)
        {
            failing = true;
            return new ScriptedAnswer(500, """{"error":{"message":"The model is unavailable.","type":"server_error"}}""");
        }

        return new ScriptedAnswer(200, FakeModelServer.OpenAiAnswer(ask.Agent switch
        {
            "architect" => Brief(ask),
            "writer" => Chapter(ask, EyeColourIn?.Invoke(ask)),
            _ => Summary(ask),
        }), Delay: Pace);
    }

    /// <summary>The SDK sends a message's content as a string or as a list of text parts.</summary>
    private static string Text(JsonElement message) => message.GetProperty("content") is { ValueKind: JsonValueKind.String } content
        ? content.GetString()!
        : string.Concat(message.GetProperty("content").EnumerateArray().Select(part => part.GetProperty("text").GetString()));

    private static AgentAsk Read(JsonElement request)
    {
        var messages = request.GetProperty("messages").EnumerateArray().ToList();
        var system = Text(messages[0]);
        var prompt = Text(messages[^1]);
        if (system.StartsWith("You are the architect", StringComparison.Ordinal))
        {
            var plan = PlanLine().Match(prompt);
            return new AgentAsk("architect", Number(plan, "chapter"), plan.Groups["title"].Value, Number(plan, "words"), [], prompt);
        }

        if (system.StartsWith("You are the writer", StringComparison.Ordinal))
        {
            var brief = BriefLine().Match(prompt);
            var beats = BeatLine().Matches(prompt[prompt.IndexOf("Beats, in order:", StringComparison.Ordinal)..]).Select(beat => beat.Groups["beat"].Value).ToList();
            return new AgentAsk("writer", Number(brief, "chapter"), brief.Groups["title"].Value, Number(WordsLine().Match(prompt), "words"), beats, prompt);
        }

        var summary = SummaryLine().Match(prompt);
        return new AgentAsk("summarizer", Number(summary, "chapter"), summary.Groups["title"].Value, 0, [], prompt);
    }

    private static int Number(Match match, string group) =>
        match.Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"The prompt did not have the expected shape: no {group}.");

    private static string Brief(AgentAsk ask) => JsonSerializer.Serialize(new
    {
        chapterNumber = ask.Chapter,
        title = ask.Title,
        beats = new[]
        {
            "Mara Quinn climbs the lighthouse stair at dusk and lights the lamp",
            "A ship's light shows beyond the headland and vanishes",
            "Mara Quinn writes the hour in the keeper's log",
        },
        pointOfView = "third person, Mara Quinn",
        setting = "the lighthouse",
        charactersPresent = new[] { "Mara Quinn" },
        goal = "Mara Quinn keeps the light burning through the night",
        targetWords = ask.TargetWords,
    }, JsonSerializerOptions.Web);

    /// <summary>A paragraph per beat, each opening with the beat, filled to the length asked from lines that vary with the chapter.</summary>
    private static string Chapter(AgentAsk ask, string? eyeColour)
    {
        var text = new StringBuilder("# ").Append(ask.Title).Append("\n\n");
        var words = 1 + ask.Title.Split(' ').Length;
        if (eyeColour is not null)
        {
            var contradiction = $"Mara Quinn's {eyeColour} eyes searched the dark water below the rocks.";
            text.Append(contradiction).Append("\n\n");
            words += contradiction.Split(' ').Length;
        }

        var beats = ask.Beats.Count > 0 ? ask.Beats : ["Mara Quinn keeps the light"];
        var perBeat = Math.Max(1, (ask.TargetWords - words) / beats.Count);
        var line = ask.Chapter;
        for (var beat = 0; beat < beats.Count; beat++)
        {
            var paragraph = new StringBuilder(beats[beat].TrimEnd('.')).Append('.');
            var paragraphWords = beats[beat].Split(' ').Length;
            while (paragraphWords < perBeat)
            {
                var next = Lines[line++ % Lines.Length];
                paragraph.Append(' ').Append(next);
                paragraphWords += next.Split(' ').Length;
            }

            text.Append(paragraph).Append("\n\n");
        }

        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>Names the chapter and quotes how it ended, so what a later prompt carries can be traced to the text it came from.</summary>
    private static string Summary(AgentAsk ask)
    {
        var body = ask.Prompt[(ask.Prompt.IndexOf(":\n\n", StringComparison.Ordinal) + 3)..].Trim();
        var lastSentence = body.Split(['\n'], StringSplitOptions.RemoveEmptyEntries)[^1].Split(". ")[^1].Trim();
        return $"In chapter {ask.Chapter}, \"{ask.Title}\", Mara Quinn kept the light through another night at the lighthouse. It ended: {lastSentence}";
    }

    [GeneratedRegex("""Plan chapter (?<chapter>\d+) \("(?<title>[^"]*)"\) of about (?<words>\d+) words""")]
    private static partial Regex PlanLine();

    [GeneratedRegex(@"Brief for chapter (?<chapter>\d+), ""(?<title>[^""]*)""")]
    private static partial Regex BriefLine();

    [GeneratedRegex("""Write the chapter now, about (?<words>\d+) words""")]
    private static partial Regex WordsLine();

    [GeneratedRegex(@"^\d+\. (?<beat>.+)$", RegexOptions.Multiline)]
    private static partial Regex BeatLine();

    [GeneratedRegex("""Chapter (?<chapter>\d+), "(?<title>[^"]*)" \(beats:""")]
    private static partial Regex SummaryLine();
}
