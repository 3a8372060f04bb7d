using Dapper;
using Folio.Projects.Api.Features.Access;
using Folio.Projects.Api.Features.Appearances;
using Folio.Projects.Api.Features.Audit;
using Folio.Projects.Api.Features.Bible;
using Folio.Projects.Api.Features.Characters;
using Folio.Projects.Api.Features.Timeline;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Messaging;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Projects.Api.Features.Suggestions;

/// <summary>
/// Continuity's suggestions for a book: list the pending ones, accept one (through the appearance, character and timeline features, in the
/// same transaction as the decision) or dismiss it. A suggestion is decided once; deciding it again is a conflict.
/// </summary>
public static class SuggestionsApi
{
    public static IEndpointRouteBuilder MapSuggestionsApi(this IEndpointRouteBuilder app)
    {
        var suggestions = app.MapOwnedProjectGroup("/suggestions", "Suggestions");
        suggestions.MapGet("/", ListAsync);
        suggestions.MapPost("/{suggestionId:guid}/accept", AcceptAsync).WithValidation<AcceptSuggestionRequest>();
        suggestions.MapPost("/{suggestionId:guid}/dismiss", DismissAsync);
        return app;
    }

    private static async Task<Results<Ok<SuggestionListResponse>, ValidationProblem>> ListAsync(
        Guid projectId, string? kind, Guid? chapterId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        if (kind is not null && !SuggestionKinds.All.Contains(kind))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"Kind is one of: {string.Join(", ", SuggestionKinds.All)}."] });
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var items = await connection.QueryAsync<SuggestionResponse>(new CommandDefinition(
            $"""
            SELECT {SuggestionResponse.Columns} FROM continuity_suggestions
            WHERE project_id = @projectId AND status = 'pending' AND (@kind::text IS NULL OR kind = @kind) AND (@chapterId::uuid IS NULL OR chapter_id = @chapterId)
            ORDER BY chapter_number, kind, line, subject
            """,
            new { projectId, kind, chapterId }, cancellationToken: cancellationToken));
        return TypedResults.Ok(new SuggestionListResponse(items.ToList()));
    }

    private static async Task<Results<Ok<SuggestionResponse>, ValidationProblem>> AcceptAsync(
        Guid projectId, Guid suggestionId, AcceptSuggestionRequest request, NpgsqlDataSource db, IOutbox outbox, ICurrentUser user, HttpContext http,
        CancellationToken cancellationToken)
    {
        var kind = await KindAsync(db, projectId, suggestionId, cancellationToken);
        if ((kind == SuggestionKinds.UnknownName) != (request.As is not null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["As"] = [kind == SuggestionKinds.UnknownName ? "Accept an unknown name as a new character or as an alias." : $"A {kind} suggestion is accepted as it is."],
            });
        }

        if (kind == SuggestionKinds.UnknownName)
        {
            return TypedResults.Ok(await BibleScope.ChangeBookAsync(db, projectId, async (transaction, scope) =>
            {
                var suggestion = await PendingAsync(transaction, projectId, suggestionId, cancellationToken);
                var character = request.As == AcceptAs.Alias
                    ? await CharactersApi.AddAliasAsync(transaction, scope, request.CharacterId!.Value, suggestion.Subject, outbox, user, http, cancellationToken)
                    : await CharactersApi.CreateAsync(transaction, scope,
                        new CharacterRequest(suggestion.Subject, null, $"First named in chapter {suggestion.ChapterNumber}: {suggestion.Text}", "minor", null, null, null, null),
                        outbox, user, http, cancellationToken);
                return await DecideAsync(transaction, suggestion, SuggestionStatuses.Accepted, character.Id, cancellationToken);
            }, cancellationToken));
        }

        await using var write = await ProjectWrite.BeginAsync(db, outbox, http, user, projectId, cancellationToken);
        var pending = await PendingAsync(write.Transaction, projectId, suggestionId, cancellationToken);
        var resultId = pending.Kind == SuggestionKinds.Appearance
            ? await AcceptAppearanceAsync(write, pending, cancellationToken)
            : (await TimelineApi.InsertAsync(write, new TimelineEventRequest(null, pending.Text, await ChapterNumberAsync(write, pending), pending.Subject, null))).Id;
        var decided = await DecideAsync(write.Transaction, pending, SuggestionStatuses.Accepted, resultId, cancellationToken);
        await write.CommitAsync();
        return TypedResults.Ok(decided);
    }

    private static async Task<Ok<SuggestionResponse>> DismissAsync(Guid projectId, Guid suggestionId, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var decided = await DecideAsync(transaction, await PendingAsync(transaction, projectId, suggestionId, cancellationToken), SuggestionStatuses.Dismissed, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(decided);
    }

    /// <summary>The character is looked up by name now, not when the chapter was checked: the bible may have changed since.</summary>
    private static async Task<Guid> AcceptAppearanceAsync(ProjectWrite write, SuggestionResponse suggestion, CancellationToken cancellationToken)
    {
        var characters = await CharactersApi.EffectiveAsync(write.Connection, write.ProjectId, write.Transaction, cancellationToken);
        var character = characters.FirstOrDefault(entry => entry.Name == suggestion.Subject)
            ?? throw ProblemException.Unprocessable($"{suggestion.Subject} is no longer a character of this book.");
        var appearance = await AppearancesApi.InsertAsync(write.Transaction, write.Audit, write.ProjectId,
            new AppearanceRequest(character.Id, await ChapterNumberAsync(write, suggestion), "present", null, "extraction"), "accepted", cancellationToken);
        return appearance.Id;
    }

    /// <summary>The chapter's number now (chapters move); the number it had when checked if it was deleted since.</summary>
    private static async Task<int> ChapterNumberAsync(ProjectWrite write, SuggestionResponse suggestion) =>
        await write.Connection.QuerySingleOrDefaultAsync<int?>(write.Command(
            "SELECT number FROM chapters WHERE project_id = @ProjectId AND id = @ChapterId", new { write.ProjectId, suggestion.ChapterId }))
        ?? suggestion.ChapterNumber;

    private static async Task<string> KindAsync(NpgsqlDataSource db, Guid projectId, Guid suggestionId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT kind FROM continuity_suggestions WHERE project_id = @projectId AND id = @suggestionId", new { projectId, suggestionId }, cancellationToken: cancellationToken))
            ?? throw NotFound(suggestionId);
    }

    private static async Task<SuggestionResponse> PendingAsync(NpgsqlTransaction transaction, Guid projectId, Guid suggestionId, CancellationToken cancellationToken)
    {
        var suggestion = await transaction.Connection!.QuerySingleOrDefaultAsync<SuggestionResponse>(new CommandDefinition(
            $"SELECT {SuggestionResponse.Columns} FROM continuity_suggestions WHERE project_id = @projectId AND id = @suggestionId FOR UPDATE",
            new { projectId, suggestionId }, transaction, cancellationToken: cancellationToken)) ?? throw NotFound(suggestionId);
        return suggestion.Status == SuggestionStatuses.Pending
            ? suggestion
            : throw ProblemException.Conflict($"Suggestion {suggestionId} was already {suggestion.Status}.");
    }

    private static Task<SuggestionResponse> DecideAsync(NpgsqlTransaction transaction, SuggestionResponse suggestion, string status, Guid? resultId, CancellationToken cancellationToken) =>
        transaction.Connection!.QuerySingleAsync<SuggestionResponse>(new CommandDefinition(
            $"""
            UPDATE continuity_suggestions SET status = @status, decided_at = now(), result_id = @resultId WHERE id = @Id
            RETURNING {SuggestionResponse.Columns}
            """,
            new { suggestion.Id, status, resultId }, transaction, cancellationToken: cancellationToken));

    private static ProblemException NotFound(Guid suggestionId) => ProblemException.NotFound($"Suggestion {suggestionId} does not exist in this book.");
}
