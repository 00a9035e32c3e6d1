using Summit.Tests.Infrastructure;

namespace Summit.Tests.Browser;

/// <summary>
/// Browser tests measure what a person sees within a second, so they run alone, after the parallel
/// collections, instead of competing for two cores with hundreds of other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "browser";
}
