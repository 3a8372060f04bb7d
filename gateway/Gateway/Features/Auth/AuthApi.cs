using Dapper;
using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;
using Folio.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Folio.Gateway.Features.Auth;

public sealed record UserResponse(Guid Id, string Email, string DisplayName, DateTime CreatedAt);

public sealed record AuthResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, UserResponse User);

public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Auth");
        auth.MapPost("/register", RegisterAsync).AllowAnonymous().AddEndpointFilter(RateLimited("register")).WithValidation<RegisterRequest>();
        auth.MapPost("/login", LoginAsync).AllowAnonymous().AddEndpointFilter(RateLimited("login")).WithValidation<LoginRequest>();
        auth.MapGet("/me", MeAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Created<AuthResponse>, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, NpgsqlDataSource db, IPasswordHasher<UserAccount> hasher, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email[..email.IndexOf('@', StringComparison.Ordinal)] : request.DisplayName.Trim();
        var account = new UserAccount(Guid.CreateVersion7(), email, displayName, "", DateTime.UtcNow);
        account = account with { PasswordHash = hasher.HashPassword(account, request.Password) };

        try
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO users (id, email, display_name, password_hash, created_at)
                VALUES (@Id, @Email, @DisplayName, @PasswordHash, @CreatedAt)
                """,
                account,
                cancellationToken: cancellationToken));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict("An account with this email already exists.");
        }

        var response = Respond(account, tokens);
        return TypedResults.Created("/api/v1/auth/me", response);
    }

    private static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, NpgsqlDataSource db, IPasswordHasher<UserAccount> hasher, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var account = await FindAsync(connection, "lower(email) = lower(@Email)", new { Email = request.Email.Trim() }, cancellationToken);
        var verdict = account is null ? PasswordVerificationResult.Failed : hasher.VerifyHashedPassword(account, account.PasswordHash, request.Password);
        if (account is null || verdict == PasswordVerificationResult.Failed)
        {
            return Problems.Unauthorized("Email or password is incorrect.");
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET password_hash = @Hash WHERE id = @Id",
                new { Hash = hasher.HashPassword(account, request.Password), account.Id },
                cancellationToken: cancellationToken));
        }

        return TypedResults.Ok(Respond(account, tokens));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> MeAsync(NpgsqlDataSource db, ICurrentUser user, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var account = await FindAsync(connection, "id = @Id", new { user.Id }, cancellationToken);
        return account is null
            ? Problems.NotFound("This account no longer exists.")
            : TypedResults.Ok(new UserResponse(account.Id, account.Email, account.DisplayName, account.CreatedAt));
    }

    private static Task<UserAccount?> FindAsync(NpgsqlConnection connection, string condition, object parameters, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<UserAccount>(new CommandDefinition(
            $"""
            SELECT id AS Id, email AS Email, display_name AS DisplayName, password_hash AS PasswordHash, created_at AS CreatedAt
            FROM users WHERE {condition}
            """,
            parameters,
            cancellationToken: cancellationToken));

    private static AuthResponse Respond(UserAccount account, TokenIssuer tokens)
    {
        var token = tokens.Issue(account.Id, account.Email, account.DisplayName);
        return new AuthResponse(token.Token, "Bearer", token.ExpiresAt, new UserResponse(account.Id, account.Email, account.DisplayName, account.CreatedAt));
    }

    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> RateLimited(string action) =>
        async (context, next) =>
        {
            var limiter = context.HttpContext.RequestServices.GetRequiredService<AuthRateLimiter>();
            return await limiter.TryAcquireAsync(context.HttpContext, action)
                ? await next(context)
                : Problems.TooManyRequests("Too many attempts from this address; wait a minute and try again.");
        };
}
