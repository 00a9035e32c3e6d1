using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>A registered organisation. Key: <see cref="GrainKeys.Of"/>(summit, organisation code).</summary>
[Alias("summit.IOrganizationGrain")]
public interface IOrganizationGrain : IGrainWithStringKey
{
    [Alias("get"), AlwaysInterleave] Task<Organization?> Get();
    [Alias("create")] Task<Organization> Create(OrganizationDraft draft, Actor actor);
    [Alias("patch")] Task<Organization> Patch(PatchCommand<OrganizationChange> command);
}
