using System.Net;
using Dapper;
using Folio.Contracts;
using Folio.Contracts.Projects;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Folio.Versioning.Tests.Api;

[Collection(SharedVersioningApi.Name)]
public sealed class ProjectDeletionTests(VersioningApiFactory factory)
{
    [Fact]
    public async Task A_deleted_book_takes_its_whole_repository_with_it_published_versions_included()
    {
        var owner = Guid.NewGuid();
        using var book = await Book.CreateAsync(factory, owner);
        var chapter = Guid.NewGuid();
        await book.SaveVersionAsync(chapter, "# One\n\nIt began with salt.", null);
        await book.PostJsonAsync("versions", new { bump = "major" }, HttpStatusCode.Created);
        await book.PostJsonAsync("versions/v1.0/status", new { status = "completed" }, HttpStatusCode.OK);
        await book.PostJsonAsync("versions/v1.0/status", new { status = "published" }, HttpStatusCode.OK);
        using var other = await Book.CreateAsync(factory, owner);
        await other.SaveVersionAsync(chapter, "# Another book\n\nUntouched.", null);

        await factory.Services.GetRequiredService<IBus>().Publish(new ProjectDeleted(
            Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, Actor.User(owner), book.ProjectId, owner));

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM repositories WHERE project_id = @id)", new { id = book.ProjectId }))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "Versioning should delete the repository on ProjectDeleted");
            await Task.Delay(100);
        }

        foreach (var table in new[] { "branches", "commits", "versions", "drafts", "content_objects", "content_packs", "repository_settings" })
        {
            (await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE project_id = @id", new { id = book.ProjectId })).Should().Be(0, table);
        }

        await book.GetJsonAsync("repository", HttpStatusCode.NotFound);
        await book.GetJsonAsync("storage", HttpStatusCode.NotFound);
        (await other.TextAsync(chapter)).Should().Be("# Another book\n\nUntouched.", "another book of the same owner is untouched");
    }

    [Fact]
    public async Task A_published_version_is_still_frozen_outside_a_book_deletion()
    {
        using var book = await Book.CreateAsync(factory);
        await book.SaveVersionAsync(Guid.NewGuid(), "# One\n\nFrozen.", null);
        await book.PostJsonAsync("versions", new { bump = "major" }, HttpStatusCode.Created);
        await book.PostJsonAsync("versions/v1.0/status", new { status = "completed" }, HttpStatusCode.OK);
        await book.PostJsonAsync("versions/v1.0/status", new { status = "published" }, HttpStatusCode.OK);

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        var delete = () => connection.ExecuteAsync("DELETE FROM versions WHERE project_id = @id", new { id = book.ProjectId });
        (await delete.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("FZ001");
    }
}
