using Summit.Gateway.Idempotency;
using Summit.Data.Idempotency;

namespace Summit.Gateway.Api;

/// <summary>Entity responses carry their version as a strong ETag.</summary>
public static class Responses
{
    public static IResult Entity<T>(HttpContext http, T body, int version)
    {
        http.Response.Headers.ETag = Preconditions.ETag(version);
        return TypedResults.Ok(body);
    }

    /// <summary>Like <see cref="Entity{T}"/>, but answers 304 when the client's If-None-Match already names this version.</summary>
    public static IResult Read<T>(HttpContext http, T body, int version)
    {
        if (!Preconditions.IsNotModified(http.Request, version)) return Entity(http, body, version);
        http.Response.Headers.ETag = Preconditions.ETag(version);
        return TypedResults.StatusCode(StatusCodes.Status304NotModified);
    }

    public static IResult Created<T>(HttpContext http, string location, T body, int version)
    {
        http.Response.Headers.ETag = Preconditions.ETag(version);
        return TypedResults.Created(location, body);
    }

    /// <summary>
    /// An id for a create that did not name one: the kind's prefix and 12 hex digits, a valid code. Random, except for a
    /// keyed request, whose id comes from its key: a retry of the same create reaches the same entity, never a second one.
    /// </summary>
    public static string NewId(HttpContext http, string prefix)
    {
        var digits = Idempotency.IdempotencyMiddleware.KeyOf(http) is { } key
            ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))
            : Guid.NewGuid().ToString("N");
        return $"{prefix}-{digits[..12]}";
    }
}

/// <summary>The response carries the entity's version as <c>ETag</c>.</summary>
public sealed class VersionedResponseMetadata;

/// <summary>The write honours <c>If-Match</c>.</summary>
public sealed class ConditionalWriteMetadata;

/// <summary>What every endpoint kind answers, for the OpenAPI document and the idempotency and precondition machinery.</summary>
public static class EndpointConventions
{
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string name, string summary, string? description = null)
    {
        endpoint.WithName(name).WithSummary(summary).Produces(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        if (description is not null) endpoint.WithDescription(description);
        return endpoint;
    }

    public static RouteHandlerBuilder ReadsOne<T>(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<T>()
        .Produces(StatusCodes.Status304NotModified)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .WithMetadata(new VersionedResponseMetadata());

    /// <summary>A list: <see cref="ListResponse{T}"/>, and a 400 for a parameter it does not take (<see cref="KnownQuery"/>).</summary>
    public static RouteHandlerBuilder ReadsList<T>(this RouteHandlerBuilder endpoint) => endpoint
        .RejectsUnknownQuery()
        .Produces<ListResponse<T>>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound);

    public static RouteHandlerBuilder Creates<T>(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<T>(StatusCodes.Status201Created)
        .Writes();

    public static RouteHandlerBuilder Updates<T>(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<T>()
        .Writes()
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .WithMetadata(new ConditionalWriteMetadata());

    /// <summary>
    /// A create whose answer holds a secret shown once (a calendar feed's address): no version, and the answer is not
    /// kept for Idempotency-Key retries (<see cref="SecretResponseMetadata"/>).
    /// </summary>
    public static RouteHandlerBuilder CreatesSecret<T>(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<T>(StatusCodes.Status201Created)
        .WriteProblems()
        .WithMetadata(new IdempotentWriteMetadata(), new SecretResponseMetadata());

    private static RouteHandlerBuilder Writes(this RouteHandlerBuilder endpoint) => endpoint
        .WriteProblems()
        .WithMetadata(new IdempotentWriteMetadata(), new VersionedResponseMetadata());

    private static RouteHandlerBuilder WriteProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
