using Summit.Domain;
using Summit.Grains;
using Summit.Tests.Infrastructure;

namespace Summit.Tests.Grains;

[Collection("cluster")]
public sealed class CatalogGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Catalog_lists_in_ordinal_order_and_answers_from_the_store_after_reactivation()
    {
        var summit = await fixture.CreateSummitAsync();
        foreach (var id in new[] { "p-3", "p-1", "p-10" })
            await fixture.Grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit.Code, id))
                .Create(new UniversityDraft(id, "Science office"), GrainAssert.Secretariat);

        Assert.Equal(["p-1", "p-10", "p-3"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.University));
        await GrainAssert.Reactivate(fixture.Grains);
        Assert.Equal(["p-1", "p-10", "p-3"], await Catalog.ListAsync(fixture.Grains, summit.Code, EntityKind.University));
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
