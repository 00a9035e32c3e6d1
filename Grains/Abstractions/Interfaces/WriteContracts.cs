using Summit.Domain;

namespace Summit.Grains;

/// <summary>What a write was made conditional on (<c>If-Match</c>): any existing version, or one of these versions.</summary>
[GenerateSerializer, Immutable, Alias("summit.write-condition")]
public sealed record WriteCondition([property: Id(0)] bool Any, [property: Id(1)] IReadOnlyList<int> Versions)
{
    public bool Matches(int version) => Any || Versions.Contains(version);

    /// <summary>The version the client named, for the 412 answer; -1 when it named none of ours.</summary>
    public int Named => Versions.Count > 0 ? Versions[0] : -1;
}

/// <summary>
/// A PATCH as the Gateway received it, judged wholly by the entity's grain (access, fields, input, If-Match, the
/// summit's rules), so the write is one grain call and no Gateway bug can write across units. The order of the refusals
/// is the API's: the summit, the entity, read access (404), write access and fields (403), the body's own errors (400),
/// If-Match (412), the rules (400).
/// </summary>
/// <param name="Fields">The body's members (camelCase), for refusals per field (the task fields a unit may not change).</param>
/// <param name="InputErrors">What the Gateway found wrong with the body; answered only once the actor may change the entity.</param>
/// <param name="IfMatch">Null without If-Match.</param>
[GenerateSerializer, Immutable, Alias("summit.patch`1")]
public sealed record PatchCommand<TChange>(
    [property: Id(0)] TChange Change,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] IReadOnlyList<string> Fields,
    [property: Id(3)] IReadOnlyDictionary<string, string[]>? InputErrors = null,
    [property: Id(4)] WriteCondition? IfMatch = null);

/// <summary>A task as committed, with the summit's time zone that its due moments are read in.</summary>
[GenerateSerializer, Immutable, Alias("summit.task-written")]
public sealed record TaskWritten([property: Id(0)] PreparationTask Task, [property: Id(1)] string TimeZone);
