namespace Summit.Journal;

/// <summary>
/// Told of every accepted change after it is persisted and journaled: the live progress feed and the
/// deadline engine listen here, so neither needs the grains to know about it. <paramref name="entity"/> is
/// the entity as stored after the change (a <c>CountyVenue</c> for a sub-event change).
/// A listener's failure is logged and does not fail the command, which is already stored.
/// </summary>
public interface IChangeListener
{
    Task OnChangedAsync(ChangeRecord change, object entity);
}
