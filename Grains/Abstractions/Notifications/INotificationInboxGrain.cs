using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Notifications;

/// <summary>
/// The notifications of one target (an account, a unit or the secretariat), stored as rows of the
/// <see cref="INotificationStore"/>; the grain serialises an inbox's writes and tells the listeners.
/// Key: <see cref="NotificationKeys.Inbox"/>.
/// </summary>
[Alias("summit.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the notifications not already there (by id) and tells the listeners of those; returns how many were new.</summary>
    [Alias("add")] Task<int> Add(IReadOnlyList<Notification> notifications);

    /// <summary>The newest notifications (up to a thousand), oldest first.</summary>
    [Alias("list"), AlwaysInterleave] Task<IReadOnlyList<Notification>> List();
}

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

public static class NotificationKeys
{
    /// <summary>The inbox grain key of a target: <c>account:{name}</c>, <c>unit:{kind}:{code}</c> or <c>secretariat</c>.</summary>
    public static string Inbox(NotificationTarget target) => target.ToString();

    /// <summary>
    /// A notification id derived from what it is about, so the same step, announced again after a late or repeated
    /// tick, gets the same id and is stored once. Letters and digits only, safe in a URL.
    /// </summary>
    public static string Id(params object?[] parts)
    {
        var text = string.Join('|', parts.Select(p => p?.ToString() ?? ""));
        return "n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..31];
    }
}
