using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Folio.Export.Api.Features.Exports;
using Folio.ServiceDefaults.Security;

namespace Folio.Export.Api.Features.Import;

/// <summary>The metadata Projects accepts for a new book, as an imported repository's <c>manuscript/metadata.yml</c> gives it.</summary>
public sealed record NewBook(
    string Title, string? Subtitle, string? Language, string? AuthorName, string? Publisher, string? Rights, string? Identifier,
    string? Description, IReadOnlyList<string> Subjects);

/// <summary>
/// Creates an imported book and its chapters in Projects over its REST API, acting for the job's owner with a
/// short-lived token: Projects owns books, Export never writes its database.
/// </summary>
public sealed class ProjectsClient(IHttpClientFactory clients, TokenIssuer tokens)
{
    public const string Name = "projects";

    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(2);

    private sealed record Created(Guid Id);

    private sealed record SeriesSummary(Guid Id, string Title, int BookCount);

    private sealed record SeriesList(IReadOnlyList<SeriesSummary> Items);

    /// <param name="creationKey">Projects' Idempotency-Key: a retried job gets the book its first attempt made, never a second one.</param>
    public async Task<Guid> CreateProjectAsync(Guid ownerId, NewBook book, string creationKey, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ownerId, HttpMethod.Post, "/api/v1/projects", book, cancellationToken, creationKey);
        await EnsureSuccessAsync(response, "create the book", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<Created>(cancellationToken))!.Id;
    }

    /// <summary>The ids of the book's chapters as Projects plans them.</summary>
    public async Task<IReadOnlySet<Guid>> ChapterIdsAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ownerId, HttpMethod.Get, $"/api/v1/projects/{projectId}/chapters", null, cancellationToken);
        await EnsureSuccessAsync(response, "list the book's chapters", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<List<Created>>(cancellationToken))!.Select(chapter => chapter.Id).ToHashSet();
    }

    /// <summary>Adds a chapter after the last one; a chapter that already exists (a retried job made it) is left as it is.</summary>
    public async Task AddChapterAsync(Guid ownerId, Guid projectId, Guid chapterId, string title, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ownerId, HttpMethod.Post, $"/api/v1/projects/{projectId}/chapters", new { id = chapterId, title }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(response, $"add chapter '{title}'", cancellationToken);
        }
    }

    /// <summary>
    /// Puts the book into the owner's series of that title (made when there is none) at <paramref name="number"/> when the
    /// series has room for it there, else last: Projects keeps a series' places contiguous. Already in it (a retried job) is done.
    /// </summary>
    public async Task JoinSeriesAsync(Guid ownerId, Guid projectId, string title, int? number, CancellationToken cancellationToken)
    {
        using var listed = await SendAsync(ownerId, HttpMethod.Get, "/api/v1/series", null, cancellationToken);
        await EnsureSuccessAsync(listed, "list the series", cancellationToken);
        var series = (await listed.Content.ReadFromJsonAsync<SeriesList>(cancellationToken))!.Items.FirstOrDefault(known => known.Title == title);
        if (series is null)
        {
            using var created = await SendAsync(ownerId, HttpMethod.Post, "/api/v1/series", new { title }, cancellationToken);
            await EnsureSuccessAsync(created, $"create the series '{title}'", cancellationToken);
            series = new SeriesSummary((await created.Content.ReadFromJsonAsync<Created>(cancellationToken))!.Id, title, 0);
        }

        var sequence = number is { } wanted && wanted >= 1 && wanted <= series.BookCount + 1 ? wanted : (int?)null;
        using var joined = await SendAsync(ownerId, HttpMethod.Post, $"/api/v1/series/{series.Id}/books", new { projectId, sequence }, cancellationToken);
        if (joined.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureSuccessAsync(joined, $"add the book to the series '{title}'", cancellationToken);
        }
    }

    /// <returns>Whether Projects deleted the book (or it was already gone).</returns>
    public async Task<bool> DeleteProjectAsync(Guid ownerId, Guid projectId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(ownerId, HttpMethod.Delete, $"/api/v1/projects/{projectId}", null, cancellationToken);
        return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
    }

    private async Task<HttpResponseMessage> SendAsync(
        Guid ownerId, HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IssueOnBehalfOf(ownerId, "import", TokenLifetime).Token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await clients.CreateClient(Name).SendAsync(request, cancellationToken);
    }

    /// <summary>A refusal (4xx) is the import's failure with Projects' reason; anything else may pass if tried again.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"Projects refused to {what} ({(int)response.StatusCode}): {detail[..Math.Min(detail.Length, 500)]}";
        throw (int)response.StatusCode is >= 400 and < 500 ? new ExportRefusedException(message) : new HttpRequestException(message, null, response.StatusCode);
    }
}
