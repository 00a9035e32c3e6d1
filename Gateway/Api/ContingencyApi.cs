using Summit.Domain;
using Summit.Gateway.Api.Contracts;
using Summit.Gateway.Security;
using Summit.Notifications;
using Summit.Rules;

namespace Summit.Gateway.Api;

/// <summary><c>PUT /api/summits/{summit}/mode</c>: switches the contingency plan.</summary>
public static class ContingencyApi
{
    public static void Map(RouteGroupBuilder summit)
    {
        summit.MapPut("/mode", Switch).WithTags("Contingency plans")
            .Describe("SwitchMode", "Switches the summit's mode (offline, online, hybrid) with a reason (secretariat).",
                "Tasks of the new mode's plan become active again and tasks of other modes' plans are set aside (setAside: true); their " +
                "status and history are kept, so switching back restores them. Every change is in the audit trail and the live feed. " +
                "Switching to the current mode changes nothing but completes a switch that was interrupted.")
            .Produces<ModeSwitchResult>().WritesSettings();
    }

    private static async Task<IResult> Switch(string summit, ModeSwitchRequest body, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.ToActor();
        await Guard.ReadSummitAsync(grains, summit, actor);
        AccessRules.EnsureSwitchMode(actor, summit);
        var errors = new FieldErrors();
        var mode = Required.Value(errors, "mode", body.Mode);
        if (string.IsNullOrWhiteSpace(body.Reason)) errors.Add("reason", "is required.");
        errors.ThrowIfAny();
        return TypedResults.Ok(await grains.GetGrain<IContingencyGrain>(summit).SwitchMode(mode, body.Reason!, actor));
    }
}
