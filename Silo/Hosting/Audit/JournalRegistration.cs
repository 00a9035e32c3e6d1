using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Summit.Journal;

namespace Summit.Hosting.Audit;

public static class JournalRegistration
{
    /// <summary>
    /// Registers the audit trail as singleton <see cref="IChangeJournal"/> (what grains write to) and
    /// <see cref="IAuditReader"/> (what the Gateway reads): PostgreSQL when <c>ConnectionStrings:Summit</c>
    /// is set, else one in-memory journal serving both, so a standalone Gateway reads what its in-process
    /// silo wrote. A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitJournal(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IChangeJournal))) return services;

        if (services.AddSummitDataSource(configuration))
        {
            services.AddSingleton(sp => new PostgresChangeJournal(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<IChangeJournal>(sp => sp.GetRequiredService<PostgresChangeJournal>());
            services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<PostgresChangeJournal>());
        }
        else
        {
            services.AddSingleton<MemoryChangeJournal>();
            services.AddSingleton<IChangeJournal>(sp => sp.GetRequiredService<MemoryChangeJournal>());
            services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<MemoryChangeJournal>());
        }
        return services;
    }
}
