using Microsoft.Extensions.FileProviders;

namespace Summit.Gateway.Hosting;

/// <summary>The dashboard's files are copied beside the Gateway's binaries at build time (see the csproj).</summary>
public static class DashboardFiles
{
    public static WebApplication UseDashboard(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "dashboard");
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Dashboard files not found at {Root}; only the API is served.", root);
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}
