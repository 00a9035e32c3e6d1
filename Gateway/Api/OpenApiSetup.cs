using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using NodaTime;
using Scalar.AspNetCore;
using Summit.Domain;
using Summit.Gateway.Idempotency;
using Summit.Data.Idempotency;

namespace Summit.Gateway.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and the browsable reference at <c>/scalar</c>. NodaTime values are
/// described as the ISO strings they travel as, and the headers that carry versions and idempotency keys are listed
/// on the operations that honour them.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddSummitOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Summit API",
                Version = "v1",
                Description =
                    "Coordination API of the World Young Scientists Summit. Resources nest under their summit (/api/summits/{summit}/...). " +
                    "Sign in with POST /api/auth/token and send the token as 'Authorization: Bearer <token>'. " +
                    "Every entity response carries its version as a strong ETag (\"3\"); send it back in If-Match to update only that version " +
                    "(a stale one gets 412 with currentVersion). Writes accept an Idempotency-Key header: a retry with the same key, account, " +
                    "route and body returns the first result (marked Idempotent-Replayed: true) without applying the change again; the same key " +
                    "with another body gets 422. Keys are kept 24 hours. Errors are RFC 9457 problem documents; 400s carry an errors map keyed " +
                    "by field. Dates are ISO (2020-06-12), instants UTC (2020-06-10T01:00:00Z), times of day local to the summit's time zone.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /api/auth/token.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            if (metadata.OfType<ConditionalWriteMetadata>().Any())
                AddHeader(operation, HeaderNames.IfMatch, "The entity's ETag as last read, e.g. \"3\": the change applies only to that version, else 412.");
            if (metadata.OfType<IdempotentWriteMetadata>().Any())
                AddHeader(operation, IdempotencyMiddleware.HeaderName,
                    "A unique key (e.g. a UUID, at most 255 visible ASCII characters) that makes this write safe to retry for 24 hours.");
            if (metadata.OfType<VersionedResponseMetadata>().Any() && operation.Responses is { } responses)
                foreach (var (status, response) in responses)
                    if (status is "200" or "201" && response is OpenApiResponse concrete)
                    {
                        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                        concrete.Headers[HeaderNames.ETag] = new OpenApiHeader
                        {
                            Description = "The entity's version, e.g. \"3\".",
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        };
                    }
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (context.JsonPropertyInfo is { } property && property.CustomConverter is DueDateJsonConverter) type = typeof(Deadline);
            if (Strings.TryGetValue(type, out var described))
            {
                var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
                schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                schema.Format = described.Format;
                schema.Pattern = described.Pattern;
                schema.Description ??= described.Description;
                if (described.Example is { } example) schema.Examples = [System.Text.Json.Nodes.JsonValue.Create(example)];
                schema.Properties?.Clear();
                schema.Required?.Clear();
            }
            else if (type == typeof(DateInterval))
            {
                schema.Type = JsonSchemaType.Object;
                schema.Description ??= "An inclusive range of dates.";
                schema.Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["start"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                    ["end"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                };
            }
            return Task.CompletedTask;
        });
    });

    private sealed record StringForm(string? Format, string? Pattern, string Description, string? Example);

    private static readonly Dictionary<Type, StringForm> Strings = new()
    {
        [typeof(LocalDate)] = new("date", null, "An ISO date.", "2020-06-12"),
        [typeof(Instant)] = new("date-time", null, "An instant in UTC.", "2020-06-10T01:00:00Z"),
        [typeof(LocalTime)] = new("time", @"^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$", "A local time of day in the summit's time zone.", "14:30:00"),
        [typeof(LocalDateTime)] = new(null, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$", "A local date and time, no offset.", "2020-06-12T17:00:00"),
        [typeof(OffsetDateTime)] = new("date-time", null, "A date and time with its UTC offset.", "2020-06-12T17:00:00+08:00"),
        [typeof(ZonedDateTime)] = new(null, null, "A date and time with offset and time zone id.", "2020-06-12T17:00:00+08 Asia/Shanghai"),
        [typeof(Duration)] = new(null, null, "A duration as D:hh:mm:ss.", "1:02:00:00"),
        [typeof(DateTimeZone)] = new(null, null, "A TZDB time zone id.", "Asia/Shanghai"),
        [typeof(Deadline)] = new(null, DueDateJsonConverter.Pattern, DueDateJsonConverter.Description, "2020-06-12T17:00"),
    };

    private static void AddHeader(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = false,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
    }

    public static WebApplication MapSummitOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", options => options.WithTitle("Summit API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
