using System.Text.Json.Serialization;
using Summit.Gateway.Idempotency;
using Summit.Data.Idempotency;
using Summit.Data.Time;
using Summit.Data.Calendar;
using Summit.Data.Comments;
using Summit.Data.Files;

namespace Summit.Gateway.Api;

public static class ApiSetup
{
    /// <summary>
    /// What the resource API needs besides Orleans and security: problem responses, OpenAPI, idempotency keys,
    /// and the summit clock (the standalone silo registers it; a client-mode gateway reads the same settings).
    /// </summary>
    public static WebApplicationBuilder AddSummitApi(this WebApplicationBuilder builder)
    {
        // A number sent as a string is a wrong type, not a number (web defaults would accept "50").
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        builder.Services.AddSummitProblems();
        builder.Services.AddSummitOpenApi();
        builder.Services.AddSummitIdempotency(builder.Configuration);
        builder.Services.AddSummitTaskComments(builder.Configuration);
        builder.Services.AddSummitCalendarFeeds(builder.Configuration);
        builder.Services.AddSummitFiles(builder.Configuration);
        // At most Summit:Files:ImageConcurrency images decode at once, whatever the number of uploads.
        builder.Services.AddSingleton<IImageProcessor, SkiaImageProcessor>();
        builder.Services.AddSingleton<ImageGate>();
        builder.Services.AddSummitClock(builder.Configuration, demo: false);
        return builder;
    }

    /// <summary>
    /// After authentication (so an anonymous caller still gets 401) and before idempotency and the endpoints: refuses
    /// control characters in the path and query and non-UTF-8 bodies (<see cref="RequestFormat"/>).
    /// </summary>
    public static WebApplication UseRequestFormat(this WebApplication app)
    {
        app.UseMiddleware<RequestFormat>();
        return app;
    }

    /// <summary>Before anything reads a request body.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app)
    {
        app.UseMiddleware<RequestBodyLimit>();
        return app;
    }
}
