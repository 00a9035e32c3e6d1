using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Summit.Journal;

namespace Summit.Data.Audit;

public static class JournalRegistration
{
    /// <summary>
    /// Registers the audit trail (<c>summit_audit</c> in PostgreSQL) as singleton <see cref="IChangeJournal"/> and
    /// <see cref="IAuditReader"/>. A second call is a no-op.
    /// </summary>
    public static IServiceCollection AddSummitJournal(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IChangeJournal))) return services;
        services.AddSummitDataSource(configuration);
        services.AddSingleton(sp => new PostgresChangeJournal(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IChangeJournal>(sp => sp.GetRequiredService<PostgresChangeJournal>());
        services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<PostgresChangeJournal>());
        return services;
    }
}
