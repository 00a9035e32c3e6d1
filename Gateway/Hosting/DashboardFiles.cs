using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Summit.Gateway.Hosting;

/// <summary>
/// Serves the dashboard, built from <c>Dashboard/</c> (an npm project) by the Gateway's build and copied beside the
/// binaries as <c>dashboard/</c> (see the csproj).
/// </summary>
public static class DashboardFiles
{
    public static WebApplication UseDashboard(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "dashboard");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogWarning("Dashboard files not found at {Root} (built with BuildDashboard=false, or Node.js missing?); only the API is served.", root);
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // Built assets carry a content hash in their names, so they never change; index.html names the current
                // ones and must be checked on every load so a deploy reaches kiosks without a manual refresh.
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.CacheControl] = context.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
            },
        });
        return app;
    }
}
