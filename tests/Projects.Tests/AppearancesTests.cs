using System.Net;
using System.Net.Http.Json;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class AppearancesTests(ProjectsApiFactory api)
{
    [Fact]
    public async Task Manual_appearances_are_accepted_and_extracted_ones_wait_for_the_writer()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var seriesId = await writer.CreateSeriesAsync("Saga");
        var book = await writer.CreateProjectAsync("Frost");
        await writer.AddBookAsync(seriesId, book);
        var mara = (await writer.CreateAsync($"/api/v1/series/{seriesId}/characters", new { name = "Mara" })).GetProperty("id").GetGuid();
        var tomas = (await writer.CreateAsync($"/api/v1/projects/{book}/characters", new { name = "Tomas" })).GetProperty("id").GetGuid();

        var pov = await writer.CreateAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 3, role = "pov", emotionalState = "afraid" });
        pov.GetProperty("status").GetString().Should().Be("accepted");
        pov.GetProperty("source").GetString().Should().Be("manual");
        var suggested = await writer.CreateAsync($"/api/v1/projects/{book}/appearances", new { characterId = tomas, chapter = 3, role = "mentioned", source = "extraction" });
        suggested.GetProperty("status").GetString().Should().Be("suggested");
        var other = await writer.CreateAsync($"/api/v1/projects/{book}/appearances", new { characterId = tomas, chapter = 4, role = "present", source = "extraction" });
        await writer.CreateAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 4, role = "present" });

        using var accepted = await writer.Client.PostAsync($"/api/v1/projects/{book}/appearances/{suggested.GetProperty("id").GetGuid()}/accept", null);
        (await accepted.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString().Should().Be("accepted");
        using var rejected = await writer.Client.PostAsync($"/api/v1/projects/{book}/appearances/{other.GetProperty("id").GetGuid()}/reject", null);
        (await rejected.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString().Should().Be("rejected");
        using var decidedTwice = await writer.Client.PostAsync($"/api/v1/projects/{book}/appearances/{other.GetProperty("id").GetGuid()}/accept", null);
        await decidedTwice.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        using var manualAccept = await writer.Client.PostAsync($"/api/v1/projects/{book}/appearances/{pov.GetProperty("id").GetGuid()}/reject", null);
        await manualAccept.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var chapterThree = (await writer.GetAsync($"/api/v1/projects/{book}/appearances?chapter=3")).GetProperty("items").EnumerateArray().ToList();
        chapterThree.Select(item => item.GetProperty("characterId").GetGuid()).Should().BeEquivalentTo([mara, tomas]);
        var tomasAppearances = (await writer.GetAsync($"/api/v1/projects/{book}/characters/{tomas}/appearances")).GetProperty("items").EnumerateArray().ToList();
        tomasAppearances.Select(item => (item.GetProperty("chapter").GetInt32(), item.GetProperty("status").GetString()))
            .Should().Equal((3, "accepted"), (4, "rejected"));

        (await api.AuditRowsAsync(other.GetProperty("id").GetString()!))
            .Should().Contain(row => row.Action == "updated" && row.Field == "status" && row.NewValue == "\"rejected\"");
    }

    [Fact]
    public async Task Bad_appearances_are_rejected_and_another_users_book_is_404()
    {
        using var writer = new BibleApi(api, Guid.NewGuid());
        var book = await writer.CreateProjectAsync("Frost");
        var mara = (await writer.CreateAsync($"/api/v1/projects/{book}/characters", new { name = "Mara" })).GetProperty("id").GetGuid();

        using var badRole = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 1, role = "villain" });
        await badRole.ShouldBeValidationProblemAsync("Role");
        using var badChapter = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 0, role = "pov" });
        await badChapter.ShouldBeValidationProblemAsync("Chapter");
        using var unknownCharacter = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/appearances", new { characterId = Guid.NewGuid(), chapter = 1, role = "pov" });
        await unknownCharacter.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        using var badFilter = await writer.Client.GetAsync($"/api/v1/projects/{book}/appearances?chapter=0");
        await badFilter.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var appearance = (await writer.CreateAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 1, role = "pov" })).GetProperty("id").GetGuid();
        using var duplicate = await writer.Client.PostAsJsonAsync($"/api/v1/projects/{book}/appearances", new { characterId = mara, chapter = 1, role = "present" });
        await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        using var intruder = new BibleApi(api, Guid.NewGuid());
        using var list = await intruder.Client.GetAsync($"/api/v1/projects/{book}/appearances?chapter=1");
        await list.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        using var accept = await intruder.Client.PostAsync($"/api/v1/projects/{book}/appearances/{appearance}/accept", null);
        await accept.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var intrudersBook = await intruder.CreateProjectAsync("Mine");
        using var foreignCharacter = await intruder.Client.PostAsJsonAsync($"/api/v1/projects/{intrudersBook}/appearances", new { characterId = mara, chapter = 1, role = "pov" });
        await foreignCharacter.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
