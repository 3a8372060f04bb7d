using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Folio.ServiceDefaults.Security;

namespace Folio.Generation.Api.Features.Books;

public sealed record BookInfo(string Title, string? Genre, string Language);

public sealed record BookOutline(int Chapter, IReadOnlyList<string> Beats);

public sealed record BookBible(string? Genre, string? Style, string? Synopsis, IReadOnlyList<BookOutline>? Outline);

public sealed record BookChapterBrief(
    IReadOnlyList<string>? Beats, string? PointOfView, string? Setting, IReadOnlyList<string>? CharactersPresent, string? Goal, string? Notes);

public sealed record BookChapter(Guid Id, int Number, string Title, BookChapterBrief? Brief, string Status, int? TargetLength, int Version);

public sealed record BookFact(string Key, string Value, int? FromChapter, int? UntilChapter)
{
    public bool ValidAt(int chapter) => (FromChapter ?? int.MinValue) <= chapter && chapter <= (UntilChapter ?? int.MaxValue);
}

public sealed record BookCharacter(string Name, IReadOnlyList<string> Aliases, string? Description, string Role, IReadOnlyList<BookFact> Facts);

public sealed record BookWorldEntry(string Kind, string Name, string? Description);

internal sealed record ItemsPage<T>(IReadOnlyList<T> Items);

/// <summary>
/// The book as Projects knows it (metadata, story bible, chapters, characters, world), read over its REST API with a
/// short-lived token for the job's owner — Generation never reads Projects' database.
/// </summary>
public sealed class ProjectsBook(IHttpClientFactory clients, TokenIssuer tokens)
{
    /// <summary>Long enough for one call, a streamed snapshot included; each call signs a fresh one.</summary>
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(5);

    public const string ClientName = "projects";

    private static readonly string[] StatusesInOrder = ["not_started", "brief_complete", "written", "verified"];
    private static readonly int Briefed = Array.IndexOf(StatusesInOrder, "brief_complete");

    /// <summary>How the saga names itself on the changes it makes, so their events can be told from the writer's.</summary>
    public const string AgentName = "generation-saga";

    public Task<BookInfo> GetInfoAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken) =>
        GetAsync<BookInfo>(ownerId, $"/api/v1/projects/{projectId}", cancellationToken);

    public Task<BookBible> GetBibleAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken) =>
        GetAsync<BookBible>(ownerId, $"/api/v1/projects/{projectId}/story-bible", cancellationToken);

    public Task<IReadOnlyList<BookChapter>> GetChaptersAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<BookChapter>>(ownerId, $"/api/v1/projects/{projectId}/chapters", cancellationToken);

    public async Task<IReadOnlyList<BookCharacter>> GetCharactersAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken) =>
        (await GetAsync<ItemsPage<BookCharacter>>(ownerId, $"/api/v1/projects/{projectId}/characters", cancellationToken)).Items;

    public async Task<IReadOnlyList<BookWorldEntry>> GetWorldAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken) =>
        (await GetAsync<ItemsPage<BookWorldEntry>>(ownerId, $"/api/v1/projects/{projectId}/world", cancellationToken)).Items;

    /// <summary>
    /// Records the architect's brief (when there is one) and moves the chapter's status to <paramref name="status"/>
    /// as Projects allows: a step at a time, or straight to written along with the brief. Starts from
    /// <paramref name="known"/> when the caller has the chapter already; a concurrent edit (412) is re-read and retried.
    /// </summary>
    public async Task UpdateChapterAsync(
        Guid ownerId, Guid projectId, Guid chapterId, BookChapterBrief? brief, string status, BookChapter? known, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/projects/{projectId}/chapters/{chapterId}";
        var chapter = known ?? await GetAsync<BookChapter>(ownerId, path, cancellationToken);
        for (var conflicts = 0; ;)
        {
            var (from, to) = (Array.IndexOf(StatusesInOrder, chapter.Status), Array.IndexOf(StatusesInOrder, status));
            var briefedNow = brief?.Beats is { Count: > 0 } && from < Briefed && to == Briefed + 1;
            var next = to > from + 1 && !briefedNow ? StatusesInOrder[from + 1] : status;
            if (next == chapter.Status && (brief is null || brief == chapter.Brief))
            {
                return;
            }

            using var request = Request(HttpMethod.Put, ownerId, path);
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{chapter.Version}\""));
            request.Content = JsonContent.Create(new { chapter.Title, Brief = brief ?? chapter.Brief, Status = next, chapter.TargetLength });
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.PreconditionFailed && conflicts++ < 5)
            {
                chapter = await GetAsync<BookChapter>(ownerId, path, cancellationToken);
                continue;
            }

            await EnsureSuccessAsync(response, path, cancellationToken);
            chapter = (await response.Content.ReadFromJsonAsync<BookChapter>(cancellationToken))!;
            if (next == status)
            {
                brief = null;
            }
        }
    }

    private async Task<T> GetAsync<T>(Guid ownerId, string path, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, ownerId, path);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, path, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
    }

    private HttpRequestMessage Request(HttpMethod method, Guid ownerId, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IssueOnBehalfOf(ownerId, "generation", TokenLifetime).Token);
        request.Headers.Add("X-Folio-Agent", AgentName);
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new BookSourceException(response.StatusCode, $"Projects answered {(int)response.StatusCode} to {path}: {detail[..Math.Min(detail.Length, 300)]}");
        }
    }
}

/// <summary>A dependency refused or failed a call; <see cref="Transient"/> says whether trying again later can help.</summary>
public sealed class BookSourceException(HttpStatusCode? status, string message, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public bool Transient => Status is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)Status >= 500;
}
