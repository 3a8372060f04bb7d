using System.Net;
using System.Text.Json;
using FluentAssertions;

namespace Folio.Tests.Infrastructure;

public static class ProblemAssertions
{
    /// <summary>Asserts the status code, the RFC 9457 media type and a body that is a problem for that status; returns the body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        mediaType.Should().Be("application/problem+json", $"every error is problem+json, got: {text}");

        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().Should().Be((int)status, text);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace(text);
        text.Should().NotContain(" at Folio.", "no stack trace reaches a client");
        return problem;
    }

    /// <summary>Asserts a validation problem naming <paramref name="field"/> with at least one message.</summary>
    public static async Task<JsonElement> ShouldBeValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.TryGetProperty("errors", out var errors).Should().BeTrue($"a validation problem lists field errors: {problem}");
        errors.TryGetProperty(field, out var messages).Should().BeTrue($"errors should name {field}: {errors}");
        messages.EnumerateArray().Select(message => message.GetString()).Should().NotBeEmpty().And.OnlyContain(message => !string.IsNullOrWhiteSpace(message));
        return problem;
    }
}
