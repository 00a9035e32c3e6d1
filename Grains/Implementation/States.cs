using Summit.Domain;

namespace Summit.Grains;

// Stored as System.Text.Json (with NodaTime converters) by both the database and the in-memory provider, so these
// stay plain: settable properties, concrete types, no polymorphism.

/// <summary>What every entity grain stores: the entity (null until created) and its append-only history.</summary>
public interface IEntityState<TEntity> where TEntity : class
{
    TEntity? Entity { get; set; }
    List<HistoryEntry> History { get; set; }
}

[GenerateSerializer, Alias("summit.state.summit")]
public sealed class SummitState : IEntityState<SummitEdition>
{
    [Id(0)] public SummitEdition? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.task")]
public sealed class TaskState : IEntityState<PreparationTask>
{
    [Id(0)] public PreparationTask? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.subforum")]
public sealed class SubForumState : IEntityState<SubForum>
{
    [Id(0)] public SubForum? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.county")]
public sealed class CountyState : IEntityState<CountyVenue>
{
    [Id(0)] public CountyVenue? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.project")]
public sealed class ProjectState : IEntityState<CooperationProject>
{
    [Id(0)] public CooperationProject? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

[GenerateSerializer, Alias("summit.state.university")]
public sealed class UniversityState : IEntityState<PartnerUniversity>
{
    [Id(0)] public PartnerUniversity? Entity { get; set; }
    [Id(1)] public List<HistoryEntry> History { get; set; } = [];
}

/// <summary>The ids in one catalog shard, kept in ordinal order.</summary>
[GenerateSerializer, Alias("summit.state.catalog")]
public sealed class CatalogState
{
    [Id(0)] public List<string> Ids { get; set; } = [];
}
