namespace Summit.Tests.Infrastructure;

// xunit finds collection definitions only in the test assembly, so the shared fixtures of Summit.Testing are named here.

/// <summary>Gives every test class marked <c>[Collection(PostgresCollection.Name)]</c> the test run's shared PostgreSQL.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>The in-process Orleans test cluster shared by the grain tests (<see cref="ClusterFixture"/>).</summary>
[CollectionDefinition("cluster")]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
