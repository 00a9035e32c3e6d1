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
    /// The file store (<see cref="IFileStore"/>, also as <see cref="IFileCatalog"/>) on the process's one data source, and
    /// its settings (<see cref="FileStoreOptions"/>, checked at start). Both sides use it: the Gateway stores and serves
    /// files, the silos prune them. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitFiles(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IFileStore))) return services;
        services.AddOptions<FileStoreOptions>().BindConfiguration(FileStoreOptions.Section).ValidateSettings(FileStoreOptions.Section).ValidateOnStart();
        services.AddSummitDataSource(configuration);
        services.AddSingleton<IFileStore>(sp => new PostgresFileStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IFileCatalog>(sp => sp.GetRequiredService<IFileStore>());
        services.AddSingleton(sp => new AttachmentLimits(sp.GetRequiredService<IOptions<FileStoreOptions>>().Value.MaxAttachedBytes));
        return services;
    }
}
