using Summit.Tests.Infrastructure;

namespace Summit.Tests.Api;

/// <summary>
/// A Gateway like <see cref="GatewayFixture"/>'s whose files' content is in an S3 bucket (<c>Summit:Files:Store</c> =
/// <c>s3</c>) of a real S3-compatible server on loopback (<see cref="S3Server"/>), started before the Gateway and stopped
/// after it; the catalogue stays in the Gateway's own database.
/// </summary>
public sealed class S3GatewayFixture : IAsyncLifetime
{
    public const string Prefix = "files/";

    public S3GatewayFixture() => Gateway = new GatewayFixture(S3.Settings(Prefix));

    public S3Server S3 { get; } = new();

    public GatewayFixture Gateway { get; }

    public async Task InitializeAsync()
    {
        await S3.StartAsync();
        await Gateway.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await S3.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class S3GatewayCollection : ICollectionFixture<S3GatewayFixture>
{
    public const string Name = "gateway-s3";
}
