using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Summit.Data.Audit;

namespace Summit.Data.Comments;

public static class TaskCommentRegistration
{
    /// <summary>
    /// The <see cref="ITaskCommentStore"/> both sides use (the Gateway writes and pages comments, the silo delivers their
    /// mentions), in PostgreSQL. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSummitTaskComments(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ITaskCommentStore))) return services;
        services.AddSummitDataSource(configuration);
        services.AddSingleton<ITaskCommentStore>(sp => new PostgresTaskCommentStore(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}
