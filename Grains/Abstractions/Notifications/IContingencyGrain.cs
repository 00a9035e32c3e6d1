using Summit.Domain;

namespace Summit.Notifications;

/// <summary>What a mode switch did.</summary>
/// <param name="Activated">Tasks of the new mode's plan that were set aside and are active again.</param>
/// <param name="SetAside">Tasks of another mode's plan now set aside.</param>
/// <param name="ActivatedSubForums">Likewise for sub-forums.</param>
/// <param name="SetAsideSubForums">Likewise for sub-forums.</param>
/// <param name="Failed">What could not be changed, as <c>task:{id}</c>, <c>subForum:{id}</c> or <c>county:{county}</c>; switching to the same mode again retries them.</param>
/// <param name="ActivatedSubEvents">County sub-events of the new mode's plan active again, as <c>{county}/{subEvent}</c>.</param>
/// <param name="SetAsideSubEvents">County sub-events of another mode's plan now set aside, as <c>{county}/{subEvent}</c>.</param>
[GenerateSerializer, Immutable, Alias("summit.mode-switch-result")]
public sealed record ModeSwitchResult(
    string Summit,
    SummitMode Mode,
    SummitMode PreviousMode,
    string Reason,
    int Version,
    IReadOnlyList<string> Activated,
    IReadOnlyList<string> SetAside,
    IReadOnlyList<string> ActivatedSubForums,
    IReadOnlyList<string> SetAsideSubForums,
    IReadOnlyList<string> Failed,
    IReadOnlyList<string>? ActivatedSubEvents = null,
    IReadOnlyList<string>? SetAsideSubEvents = null);

/// <summary>Switches a summit's contingency plan: the summit's mode, then every task, sub-forum and county sub-event of a mode plan. Key: the summit code.</summary>
[Alias("summit.IContingencyGrain")]
public interface IContingencyGrain : IGrainWithStringKey
{
    /// <exception cref="DomainValidationException">No reason, or an unknown mode.</exception>
    /// <exception cref="EntityNotFoundException">No such summit.</exception>
    [Alias("switch-mode")] Task<ModeSwitchResult> SwitchMode(SummitMode mode, string reason, Actor actor);
}
