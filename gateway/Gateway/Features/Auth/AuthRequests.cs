using FluentValidation;

namespace Folio.Gateway.Features.Auth;

public sealed record RegisterRequest(string Email, string Password, string? DisplayName);

public sealed record LoginRequest(string Email, string Password);

internal sealed class RegisterRequestValidator : AbstractValidator<RegisterRequest>
{
    public const int MinimumPasswordLength = 10;

    public RegisterRequestValidator()
    {
        RuleFor(request => request.Email).NotEmpty().MaximumLength(254)
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Email must be an address such as writer@example.com.");
        RuleFor(request => request.DisplayName).MaximumLength(100);
        RuleFor(request => request.Password).NotEmpty()
            .MinimumLength(MinimumPasswordLength).WithMessage($"Password must be at least {MinimumPasswordLength} characters long.")
            .MaximumLength(128)
            .Must(password => password.Any(char.IsLetter) && password.Any(c => !char.IsLetter(c)))
                .WithMessage("Password must mix letters with digits or symbols.")
            .Must((request, password) => !ContainsEmailName(password, request.Email))
                .WithMessage("Password must not contain your email name.");
    }

    private static bool ContainsEmailName(string password, string? email)
    {
        var name = email?.Split('@')[0] ?? "";
        return name.Length >= 4 && password.Contains(name, StringComparison.OrdinalIgnoreCase);
    }
}

internal sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(request => request.Email).NotEmpty().MaximumLength(254);
        RuleFor(request => request.Password).NotEmpty().MaximumLength(128);
    }
}
