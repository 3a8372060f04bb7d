using Folio.ServiceDefaults.Http;
using Folio.ServiceDefaults.Security;

namespace Folio.ServiceDefaults.Tests.Security;

public sealed class RememberedOwnershipTests
{
    private static readonly Guid Book = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Stranger = Guid.NewGuid();

    [Fact]
    public async Task A_confirmed_owner_is_asked_about_once_and_again_after_the_book_is_forgotten()
    {
        var source = new CountingOwnership { Owners = { [Book] = Owner } };
        using var ownership = new RememberedOwnership(source);

        await ownership.EnsureOwnerAsync(Book, Owner, CancellationToken.None);
        await ownership.EnsureOwnerAsync(Book, Owner, CancellationToken.None);
        source.Asked.Should().Be(1);

        source.Owners.Remove(Book);
        ownership.Forget(Book);
        var deleted = () => ownership.EnsureOwnerAsync(Book, Owner, CancellationToken.None);
        (await deleted.Should().ThrowAsync<ProblemException>()).Which.StatusCode.Should().Be(404);
        source.Asked.Should().Be(2);
    }

    [Fact]
    public async Task Another_user_is_always_asked_about_and_a_refusal_is_never_remembered()
    {
        var source = new CountingOwnership { Owners = { [Book] = Owner } };
        using var ownership = new RememberedOwnership(source);
        await ownership.EnsureOwnerAsync(Book, Owner, CancellationToken.None);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var stranger = () => ownership.EnsureOwnerAsync(Book, Stranger, CancellationToken.None);
            (await stranger.Should().ThrowAsync<ProblemException>()).Which.StatusCode.Should().Be(404);
        }

        var unknown = Guid.NewGuid();
        var notYet = () => ownership.EnsureOwnerAsync(unknown, Owner, CancellationToken.None);
        await notYet.Should().ThrowAsync<ProblemException>();
        source.Owners[unknown] = Owner;
        await ownership.EnsureOwnerAsync(unknown, Owner, CancellationToken.None);
        source.Asked.Should().Be(5);
    }

    private sealed class CountingOwnership : IProjectOwnership
    {
        public Dictionary<Guid, Guid> Owners { get; } = [];

        public int Asked { get; private set; }

        public Task EnsureOwnerAsync(Guid projectId, Guid userId, CancellationToken cancellationToken)
        {
            Asked++;
            return Owners.TryGetValue(projectId, out var owner) && owner == userId
                ? Task.CompletedTask
                : throw ProblemException.NotFound($"Project {projectId} does not exist.");
        }
    }
}
