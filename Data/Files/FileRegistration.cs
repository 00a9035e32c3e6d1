using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Summit.Data.Audit;
using Summit.Settings;
using Summit.Storage;

namespace Summit.Data.Files;

public static class FileRegistration
{
    /// <summary>
    /// The file store (<see cref="IFileStore"/>, also as <see cref="IFileCatalog"/>) on the process's one data source, its
    /// content where the settings say (<see cref="IFileContent"/>: PostgreSQL's chunk table or an S3 bucket), and its
    /// settings (<see cref="FileStoreOptions"/>, <see cref="FileContentOptions"/>, checked at start). Both sides use it: the
    /// Gateway stores and serves files, the silos seed the demo's and prune them. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitFiles(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IFileStore))) return services;
        services.AddOptions<FileStoreOptions>().BindConfiguration(FileStoreOptions.Section).ValidateSettings(FileStoreOptions.Section).ValidateOnStart();
        services.AddOptions<FileContentOptions>().BindConfiguration(FileContentOptions.Section).ValidateSettings(FileContentOptions.Section).ValidateOnStart();
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IFileContent>(sp => sp.GetRequiredService<IOptions<FileContentOptions>>().Value is { UsesS3: true } options
            ? S3FileContent.Create(options.S3)
            : new PostgresFileContent(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IFileStore>(sp => new PostgresFileStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IFileContent>()));
        services.AddSingleton<IFileCatalog>(sp => sp.GetRequiredService<IFileStore>());
        services.AddSingleton(sp => new AttachmentLimits(sp.GetRequiredService<IOptions<FileStoreOptions>>().Value.MaxAttachedBytes));
        return services;
    }
}
