using System.Text.Json;
using Orleans.Runtime;
using Summit.Domain;
using Summit.Serialization;

namespace Summit.Tests.Grains;

internal static class GrainAssert
{
    public static Actor Secretariat { get; } = new("secretariat", Role.Secretariat);
    public static Actor Pingyang { get; } = new("county-pingyang", Role.County, "pingyang");
    public static Actor Wmu { get; } = new("wmu-office", Role.University, "wmu");

    /// <summary>Expects a validation error naming <paramref name="field"/>.</summary>
    public static async Task<DomainValidationException> Invalid(Func<Task> act, string field)
    {
        var error = await Assert.ThrowsAsync<DomainValidationException>(act);
        Assert.True(error.Errors.ContainsKey(field), $"Expected an error on '{field}', got: {string.Join(", ", error.Errors.Keys)}");
        return error;
    }

    /// <summary>
    /// Same stored values, compared through the stored JSON shape (lists inside records compare by reference). Objects
    /// compare as JSON does, without regard to key order: PostgreSQL's jsonb keeps a map's keys in an order of its own.
    /// </summary>
    public static void Unchanged<T>(T before, T after)
    {
        var (b, a) = (JsonSerializer.SerializeToNode(before, SummitJson.Options), JsonSerializer.SerializeToNode(after, SummitJson.Options));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(b, a), $"before: {b?.ToJsonString()}\nafter:  {a?.ToJsonString()}");
    }

    /// <summary>Makes the cluster drop its idle activations, so the next call reads the grain's state from storage.</summary>
    public static async Task Reactivate(IGrainFactory grains)
    {
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
    }
}
