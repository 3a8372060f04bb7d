using System.Net;
using Folio.Tests.Infrastructure;

namespace Folio.Projects.Tests;

[Collection(SharedProjectsApi.Name)]
public sealed class SettingsTests(ProjectsApiFactory api)
{
    private const string Path = "/api/v1/settings";

    private static readonly object Berlin = new
    {
        defaultProvider = "anthropic",
        defaultModel = "claude-sonnet",
        autosaveIntervalSeconds = 20,
        defaultExportFormat = "epub",
        timeZone = "Europe/Berlin",
    };

    [Fact]
    public async Task A_new_user_reads_defaults_then_saves_with_their_etag()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var defaults = await client.GetAsync(Path);
        var body = await defaults.ShouldBeJsonAsync(HttpStatusCode.OK);
        body.GetProperty("defaultProvider").GetString().Should().Be("offline");
        body.GetProperty("timeZone").GetString().Should().Be("UTC");

        using var saved = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, defaults.Headers.ETag!.Tag);
        (await saved.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("timeZone").GetString().Should().Be("Europe/Berlin");

        using var read = await client.GetAsync(Path);
        var stored = await read.ShouldBeJsonAsync(HttpStatusCode.OK);
        stored.GetProperty("defaultExportFormat").GetString().Should().Be("epub");
        read.Headers.ETag!.Tag.Should().Be(saved.Headers.ETag!.Tag).And.NotBe(defaults.Headers.ETag.Tag);
    }

    [Fact]
    public async Task Every_change_to_a_setting_is_in_the_writers_own_audit_trail_and_nobody_elses()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        (await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);
        using (var second = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, new
        {
            defaultProvider = "anthropic", defaultModel = "claude-sonnet", autosaveIntervalSeconds = 20, defaultExportFormat = "pdf", timeZone = "Asia/Tokyo",
        }, "\"2\""))
        {
            second.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var audit = await client.GetAsync($"{Path}/audit?field=timeZone");
        var entries = (await audit.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        entries.Select(entry => (entry.GetProperty("oldValue").GetString(), entry.GetProperty("newValue").GetString()))
            .Should().Equal(("Europe/Berlin", "Asia/Tokyo"), ("UTC", "Europe/Berlin"));
        entries.Should().OnlyContain(entry => entry.GetProperty("resourceType").GetString() == "user_settings");

        using var stranger = api.ClientFor(Guid.NewGuid());
        using var theirs = await stranger.GetAsync($"{Path}/audit");
        (await theirs.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Stale_or_missing_if_match_is_412_or_428()
    {
        using var client = api.ClientFor(Guid.NewGuid());
        using var blind = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, null);
        await blind.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);

        using var first = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, "\"1\"");
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        using var stale = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, "\"1\"");
        await stale.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        using var second = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, first.Headers.ETag!.Tag);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<string, object> InvalidSettings() => new()
    {
        { "TimeZone", new { defaultProvider = "offline", autosaveIntervalSeconds = 30, defaultExportFormat = "md", timeZone = "Mars/Olympus_Mons" } },
        { "TimeZone", new { defaultProvider = "offline", autosaveIntervalSeconds = 30, defaultExportFormat = "md", timeZone = "" } },
        { "DefaultProvider", new { defaultProvider = "skynet", autosaveIntervalSeconds = 30, defaultExportFormat = "md", timeZone = "UTC" } },
        { "AutosaveIntervalSeconds", new { defaultProvider = "offline", autosaveIntervalSeconds = 1, defaultExportFormat = "md", timeZone = "UTC" } },
        { "AutosaveIntervalSeconds", new { defaultProvider = "offline", autosaveIntervalSeconds = 86400, defaultExportFormat = "md", timeZone = "UTC" } },
        { "DefaultExportFormat", new { defaultProvider = "offline", autosaveIntervalSeconds = 30, defaultExportFormat = "rtf", timeZone = "UTC" } },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_settings_are_400_with_field_errors_and_save_nothing(string field, object body)
    {
        using var client = api.ClientFor(Guid.NewGuid());

        using var response = await client.SendWithIfMatchAsync(HttpMethod.Put, Path, body, "\"1\"");

        await response.ShouldBeValidationProblemAsync(field);
        using var read = await client.GetAsync(Path);
        read.Headers.ETag!.Tag.Should().Be("\"1\"", "nothing was saved");
    }

    [Fact]
    public async Task Each_user_sees_only_their_own_settings()
    {
        using var alice = api.ClientFor(Guid.NewGuid());
        using var saved = await alice.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, "\"1\"");
        saved.StatusCode.Should().Be(HttpStatusCode.OK);

        using var bob = api.ClientFor(Guid.NewGuid());
        using var read = await bob.GetAsync(Path);
        (await read.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("timeZone").GetString().Should().Be("UTC");
        using var overwrite = await bob.SendWithIfMatchAsync(HttpMethod.Put, Path, Berlin, saved.Headers.ETag!.Tag);
        await overwrite.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Settings_need_a_token()
    {
        using var anonymous = api.ClientFor(null);
        using var response = await anonymous.GetAsync(Path);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }
}
