using Dapper;
using Folio.ServiceDefaults.Security;
using Folio.Versioning.Api.Features.Content;
using Folio.Versioning.Api.Features.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Folio.Versioning.Api.Features.Storage;

/// <summary>What a book's history occupies, repacking on demand, and garbage collection (<see cref="HistoryGarbageCollector"/>).</summary>
public static class StorageApi
{
    public static IEndpointRouteBuilder MapStorageApi(this IEndpointRouteBuilder app)
    {
        var storage = app.MapOwnedProjectGroup("/storage", "Storage");
        storage.MapGet("/", async (Guid projectId, ContentStore content, CancellationToken cancellationToken) =>
            TypedResults.Ok(await content.GetStatsAsync(projectId, cancellationToken)));
        storage.MapPost("/repack", async (Guid projectId, ContentStore content, CancellationToken cancellationToken) =>
            TypedResults.Ok(await content.RepackAsync(projectId, cancellationToken)));
        storage.MapPost("/gc", CollectGarbageAsync);
        return app;
    }

    private static async Task<Ok<GcResult>> CollectGarbageAsync(Guid projectId, HistoryGarbageCollector garbage, CancellationToken cancellationToken) =>
        TypedResults.Ok(await garbage.CollectAsync(projectId, cancellationToken));
}
