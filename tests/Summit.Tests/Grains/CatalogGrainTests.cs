using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class CatalogGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Add_is_idempotent_and_lists_in_order()
    {
        var catalog = fixture.Grains.GetGrain<ICatalogGrain>(GrainKeys.Catalog($"cat-{Guid.NewGuid():N}", EntityKind.Project, 0));

        await catalog.AddMany(["p-3", "p-1", "p-3"]);
        await catalog.Add("p-2");
        await catalog.Add("p-1");
        await catalog.AddMany([]);

        Assert.Equal(["p-1", "p-2", "p-3"], await catalog.List());
        await GrainAssert.Reactivate(fixture.Grains);
        Assert.Equal(["p-1", "p-2", "p-3"], await catalog.List());
    }

    [Fact]
    public async Task Catalog_lists_what_was_created_and_not_what_was_refused()
    {
        var summit = await fixture.CreateSummitAsync();
        var universities = new[] { "wmu", "wzu", "wzpt", "wzvcst" };
        foreach (var code in universities)
            await fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, code))
                .Create(new UniversityDraft(code.ToUpperInvariant(), "Science office"), GrainAssert.Secretariat);
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, "bad")).Create(new UniversityDraft("", ""), GrainAssert.Secretariat));

        Assert.Equal(universities.Order(StringComparer.Ordinal), await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.University));
        Assert.Empty(await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.Task));
        Assert.Contains(summit.Code, await Catalog.ListSummitsAsync(fixture.Grains));
    }
}
