using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Summit.Domain;
using Summit.Gateway.Security;
using Summit.Grains;
using Summit.Notifications;
using Summit.Progress;
using Summit.Rules;

namespace Summit.Gateway.Live;

/// <summary>
/// The progress hub at <see cref="ProgressHub.Path"/>; see <see cref="ProgressHub"/> for the client protocol. The server
/// picks the group from the account's role; asking for a group the account may not see is refused. It also carries the
/// live notifications (<see cref="NotificationHub"/>).
/// </summary>
[Authorize]
public sealed class LiveHub(LiveFanout fanout, IGrainFactory grains, LiveSessions sessions) : Hub
{
    public async Task<SubscribeResult> Subscribe(SubscribeRequest request)
    {
        var actor = CurrentActor();
        var summit = await ReadableSummitAsync(actor, request?.Summit);
        DashboardScope scope;
        if (request!.Group is null)
        {
            scope = LiveAccess.DefaultScope(actor) ?? throw new HubException("This account has no live view.");
        }
        else
        {
            scope = ProgressHub.ScopeOf(summit, request.Group) ?? throw new HubException($"'{request.Group}' is not a group of summit '{summit}'.");
            if (!LiveAccess.MayView(actor, scope)) throw new HubException($"You may not join '{request.Group}'.");
        }
        var group = ProgressHub.GroupOf(summit, scope);
        var feed = grains.GetGrain<IProgressFeedGrain>(summit);
        var dashboard = grains.GetGrain<IDashboardGrain>(summit);

        // Join first, then read: whatever happens after the read also reaches the group (duplicates are dropped by seq).
        await fanout.JoinAsync(Context, summit, scope, request.AfterRevision ?? 0);

        if (request.AfterSeq is { } afterSeq)
        {
            var missed = await feed.Since(afterSeq);
            if (missed.Events is not null)
            {
                var patch = LiveAccess.Filter(actor, await dashboard.GetPatch(scope, request.AfterRevision ?? 0));
                return new SubscribeResult(summit, group, scope, missed.LastSeq, LiveAccess.Visible(actor, missed.Events), null, patch);
            }
        }

        var snapshot = LiveAccess.Filter(actor, await dashboard.GetSnapshot(scope));
        // The projection may lag the feed by a few events that the group was already sent before this connection joined.
        var after = await feed.Since(snapshot.Seq);
        var events = after.Events is null ? [] : LiveAccess.Visible(actor, after.Events);
        return new SubscribeResult(summit, group, scope, after.Events is null ? snapshot.Seq : after.LastSeq, events, snapshot);
    }

    public async Task Unsubscribe(string summit)
    {
        CurrentActor();
        await fanout.LeaveAsync(Context.ConnectionId, summit);
    }

    public async Task<DashboardSnapshot> GetSnapshot(string summit)
    {
        var actor = CurrentActor();
        summit = await ReadableSummitAsync(actor, summit);
        var scope = fanout.GroupOf(Context.ConnectionId, summit) is { } group && ProgressHub.ScopeOf(summit, group) is { } joined
            ? joined
            : LiveAccess.DefaultScope(actor) ?? throw new HubException("This account has no live view.");
        return LiveAccess.Filter(actor, await grains.GetGrain<IDashboardGrain>(summit).GetSnapshot(scope));
    }

    public override async Task OnConnectedAsync()
    {
        // Known per account, so a disable or password reset closes this connection (LiveSessions).
        sessions.Add(Context);
        // The inboxes GET /api/me/notifications lists for this account, so a push reaches exactly the accounts that list it.
        if (Context.User is { } user && user.TryGetActor(out var actor))
            foreach (var target in AccessRules.NotificationInboxes(actor))
                await Groups.AddToGroupAsync(Context.ConnectionId, NotificationHub.GroupOf(target));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        fanout.Forget(Context.ConnectionId);
        sessions.Remove(Context);
        return base.OnDisconnectedAsync(exception);
    }

    private Actor CurrentActor() =>
        Context.User is { } user && user.TryGetActor(out var actor) ? actor : throw new HubException("Sign in first.");

    /// <summary>The summit code, if it exists and the account may read it; otherwise the same refusal either way.</summary>
    private async Task<string> ReadableSummitAsync(Actor actor, string? summit)
    {
        if (!FieldErrors.IsCode(summit) || !AccessRules.Allows(actor, Access.Read, ResourceScope.Summit)
            || await grains.GetGrain<ISummitGrain>(summit!).Get() is null)
            throw new HubException($"Summit '{summit}' does not exist.");
        return summit!;
    }
}
