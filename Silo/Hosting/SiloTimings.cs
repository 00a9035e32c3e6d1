using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Summit.Data;
using static Summit.Data.ClusterTimings;

namespace Summit.Hosting;

/// <summary>The silo side of <see cref="ClusterTimings"/>.</summary>
public static class SiloTimings
{

    public static ISiloBuilder UseSummitTimings(this ISiloBuilder silo)
    {
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = ProbeTimeout;
            o.MaxProbeTimeout = MaxProbeTimeout;
            o.NumMissedProbesLimit = MissedProbesLimit;
            o.NumVotesForDeathDeclaration = VotesForDeathDeclaration;
            o.DeathVoteExpirationTimeout = DeathVoteExpiration;
            o.IAmAliveTablePublishTimeout = IAmAliveTablePublish;
            o.TableRefreshTimeout = TableRefresh;
        });
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.ResponseTimeout = ResponseTimeout;
            o.SystemResponseTimeout = ResponseTimeout;
            o.ClientGatewayShutdownNotificationTimeout = ClientGatewayShutdownNotification;
        });
        silo.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = DeactivationTimeout);
        silo.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        return silo;
    }
}
