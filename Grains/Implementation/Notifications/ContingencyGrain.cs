using Microsoft.Extensions.Logging;
using NodaTime;
using Summit.Domain;
using Summit.Grains;
using Summit.Rules;

namespace Summit.Notifications;

/// <summary>
/// Switches a summit's contingency plan (key: the summit code). The summit's mode changes first, with the reason as
/// its history note; then each task, sub-forum and county (for its sub-events) whose plan makes something set aside or
/// active under the new mode is changed through its own grain with the same note, so the audit trail and the live feed see every step. Only the
/// set-aside flag moves; status, progress and history stay, which is what makes switching back an exact restore.
/// One switch runs at a time per summit; a switch that was interrupted is completed by switching to the same mode again.
/// </summary>
[GrainType("summit.contingency")]
public sealed class ContingencyGrain(IClock clock, ILogger<ContingencyGrain> logger) : Grain, IContingencyGrain
{
    private const int Parallelism = 64;

    private string SummitCode => this.GetPrimaryKeyString();

    public async Task<ModeSwitchResult> SwitchMode(SummitMode mode, string reason, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var summitGrain = GrainFactory.GetGrain<ISummitGrain>(SummitCode);
        var before = await summitGrain.Get() ?? throw new EntityNotFoundException(EntityKind.Summit, SummitCode);
        var after = await summitGrain.SwitchMode(mode, reason, actor);
        reason = reason.Trim();
        // The entity grains judge set-aside by the mode they keep; this makes them read the new one.
        RequestContext.Set(SummitFacts.MinimumVersionKey, after.Version);

        var tasks = await ApplyAllAsync(EntityKind.Task, id => ApplyTaskAsync(id, after, reason, actor));
        var forums = await ApplyAllAsync(EntityKind.SubForum, id => ApplySubForumAsync(id, after, reason, actor));
        var venues = await ApplyCountiesAsync(after, reason, actor);
        var failed = tasks.Failed.Select(id => $"task:{id}")
            .Concat(forums.Failed.Select(id => $"subForum:{id}"))
            .Concat(venues.Failed.Select(id => $"county:{id}"))
            .ToArray();

        var changed = tasks.Activated.Count + tasks.SetAside.Count + forums.Activated.Count + forums.SetAside.Count
            + venues.Activated.Count + venues.SetAside.Count;
        if (before.Mode != after.Mode || changed > 0)
        {
            var now = clock.GetCurrentInstant();
            var id = NotificationKeys.Id(SummitCode, "mode", after.Version, after.Mode, changed);
            var text = NotificationTexts.ModeSwitched(
                before.Mode, after.Mode, reason, tasks.Activated.Count, tasks.SetAside.Count, forums.Activated.Count, forums.SetAside.Count,
                venues.Activated.Count, venues.SetAside.Count);
            // The secretariat, and every unit that had a task restored or set aside, hosts such a sub-forum or runs such a sub-event.
            var targets = tasks.Units.Concat(forums.Units).Concat(venues.Units).Select(Notifier.UnitTarget).Append(NotificationTarget.Secretariat).Distinct();
            await Notifier.DeliverAsync(GrainFactory,
                targets.Select(t => new Notification(id, t, SummitCode, NotificationKind.ModeSwitched, null, null, text, now)).ToArray());
        }
        logger.LogInformation(
            "Summit {Summit} switched from {From} to {To} by {Account}: {Activated} task(s) restored, {SetAside} set aside, {Forums} sub-forum(s) and {SubEvents} sub-event(s) changed, {Failed} failed.",
            SummitCode, before.Mode, after.Mode, actor.Account, tasks.Activated.Count, tasks.SetAside.Count,
            forums.Activated.Count + forums.SetAside.Count, venues.Activated.Count + venues.SetAside.Count, failed.Length);
        return new ModeSwitchResult(SummitCode, after.Mode, before.Mode, reason, after.Version,
            tasks.Activated, tasks.SetAside, forums.Activated, forums.SetAside, failed, venues.Activated, venues.SetAside);
    }

    private enum Outcome
    {
        Unchanged,
        Activated,
        SetAside,
        Failed,
    }

    private sealed record Outcomes(List<string> Activated, List<string> SetAside, List<string> Failed, HashSet<OwningUnit> Units);

    private async Task<Outcomes> ApplyAllAsync(EntityKind kind, Func<string, Task<(Outcome Outcome, OwningUnit? Owner)>> apply)
    {
        var result = new Outcomes([], [], [], []);
        var ids = await Catalog.ListAsync(GrainFactory, SummitCode, kind);
        foreach (var chunk in ids.Chunk(Parallelism))
        {
            var outcomes = await Task.WhenAll(chunk.Select(async id => (Id: id, Result: await SafelyAsync(kind, id, apply))));
            foreach (var (id, (outcome, owner)) in outcomes)
            {
                (outcome switch
                {
                    Outcome.Activated => result.Activated,
                    Outcome.SetAside => result.SetAside,
                    Outcome.Failed => result.Failed,
                    _ => null,
                })?.Add(id);
                if (outcome is Outcome.Activated or Outcome.SetAside && owner is not null) result.Units.Add(owner);
            }
        }
        return result;
    }

    private async Task<(Outcome, OwningUnit?)> SafelyAsync(EntityKind kind, string id, Func<string, Task<(Outcome, OwningUnit?)>> apply)
    {
        try
        {
            return await apply(id);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Mode switch of {Summit}: {Kind} {Id} could not be changed.", SummitCode, kind, id);
            return (Outcome.Failed, null);
        }
    }

    // An empty change with the reason as its note: the entity's rules recompute the flag from the summit's new mode.

    private async Task<(Outcome, OwningUnit?)> ApplyTaskAsync(string id, SummitEdition summit, string reason, Actor actor)
    {
        var grain = GrainFactory.GetGrain<IPreparationTaskGrain>(GrainKeys.Of(SummitCode, id));
        var task = await grain.Get();
        if (task?.Plan is null || task.SetAside == ContingencyPlan.IsSetAside(task.Plan, summit.Mode)) return (Outcome.Unchanged, null);
        var changed = await grain.Change(new TaskChange(Note: reason), actor);
        return (changed.SetAside ? Outcome.SetAside : Outcome.Activated, changed.Owner);
    }

    /// <summary>A county's sub-events change in one step with their county; the outcomes name them <c>{county}/{subEvent}</c>.</summary>
    private async Task<Outcomes> ApplyCountiesAsync(SummitEdition summit, string reason, Actor actor)
    {
        var result = new Outcomes([], [], [], []);
        foreach (var county in await Catalog.ListAsync(GrainFactory, SummitCode, EntityKind.County))
        {
            try
            {
                var grain = GrainFactory.GetGrain<ICountyVenueGrain>(GrainKeys.Of(SummitCode, county));
                var venue = await grain.Get();
                if (venue is null || CountyRules.FollowsMode(venue, summit.Mode)) continue;
                var changed = await grain.Change(new CountyChange(Note: reason), actor);
                foreach (var (old, now) in venue.SubEvents.Join(changed.SubEvents, e => e.Id, e => e.Id, (o, n) => (o, n), StringComparer.Ordinal))
                {
                    if (old.SetAside == now.SetAside) continue;
                    (now.SetAside ? result.SetAside : result.Activated).Add($"{county}/{now.Id}");
                    result.Units.Add(OwningUnit.County(county));
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "Mode switch of {Summit}: county {County} could not be changed.", SummitCode, county);
                result.Failed.Add(county);
            }
        }
        return result;
    }

    private async Task<(Outcome, OwningUnit?)> ApplySubForumAsync(string id, SummitEdition summit, string reason, Actor actor)
    {
        var grain = GrainFactory.GetGrain<ISubForumGrain>(GrainKeys.Of(SummitCode, id));
        var forum = await grain.Get();
        if (forum?.Plan is null || forum.SetAside == ContingencyPlan.IsSetAside(forum.Plan, summit.Mode)) return (Outcome.Unchanged, null);
        var changed = await grain.Change(new SubForumChange(Note: reason), actor);
        return (changed.SetAside ? Outcome.SetAside : Outcome.Activated,
            changed.HostUniversity is { } host ? OwningUnit.University(host) : null);
    }
}
