using Summit.Domain;
using Summit.Journal;
using Summit.Progress;

namespace Summit.Grains.Progress;

/// <summary>Turns an accepted change and the stored entity into an (unnumbered) progress event.</summary>
public static class ProgressEvents
{
    private const string SubEventsPrefix = "subEvents.";

    public static ProgressEvent From(ChangeRecord change, object entity)
    {
        ArgumentNullException.ThrowIfNull(change);
        var id = entity is CountyVenue venue && SubEventOf(change) is { } subEvent ? $"{venue.County}/{subEvent}" : change.EntityId;
        var (title, scope) = Describe(id, entity);
        return new ProgressEvent(
            Seq: 0,
            PrevSeq: 0,
            change.Summit,
            change.Kind,
            id,
            change.Version,
            change.At,
            change.Account,
            change.Role,
            change.Unit,
            title,
            change.Changes,
            change.Note,
            scope,
            entity);
    }

    /// <summary>
    /// The county grain records a sub-event's change under the county's id, with fields named
    /// <c>subEvents.{id}.field</c>; when every field is of one sub-event, the event is about that sub-event.
    /// </summary>
    private static string? SubEventOf(ChangeRecord change)
    {
        if (change.EntityId.Contains('/')) return null;
        string? found = null;
        foreach (var field in change.Changes)
        {
            if (!field.Field.StartsWith(SubEventsPrefix, StringComparison.Ordinal)) return null;
            var end = field.Field.IndexOf('.', SubEventsPrefix.Length);
            var id = end < 0 ? field.Field[SubEventsPrefix.Length..] : field.Field[SubEventsPrefix.Length..end];
            if (found is not null && found != id) return null;
            found = id;
        }
        return found;
    }

    private static (string? Title, ProgressScope Scope) Describe(string id, object entity) => entity switch
    {
        SummitEdition summit => (summit.Name, new ProgressScope()),
        PreparationTask task => (task.Title, new ProgressScope(Owner: task.Owner)),
        CountyVenue county => (SubEventTitle(county, id) ?? county.Name, new ProgressScope(County: county.County)),
        SubForum forum => (forum.Theme, new ProgressScope(Universities: forum.HostUniversity is null ? [] : [forum.HostUniversity])),
        CooperationProject project => (project.Title, new ProgressScope(County: project.County, Universities: project.Universities)),
        PartnerUniversity university => (university.Name, new ProgressScope(Universities: [university.Code])),
        // Summit-level outcomes of no unit: only those who read the whole summit see them (AccessRules).
        InnovationAlliance alliance => (alliance.Name, new ProgressScope()),
        StartupFinalist finalist => (finalist.ProjectName, new ProgressScope()),
        // A campaign's changes reach those who read the whole summit, a forward's owner, and once it is out its addressees.
        Campaign campaign => (campaign.Title, new ProgressScope(Owner: campaign.Owner, Readers: campaign.IsOut ? [.. campaign.Addressees] : null)),
        // A submission's reach its unit (as its owner), a forward's reviewing unit and the whole summit's readers: a
        // campaign's board follows them.
        Submission submission => ($"{submission.Campaign} · {submission.Unit}",
            new ProgressScope(Owner: submission.Unit, Readers: submission.Reviewer is { } reviewer ? [reviewer] : null)),
        _ => (null, new ProgressScope()),
    };

    // A sub-event change is recorded as kind County with the id {county}/{subEventId}.
    private static string? SubEventTitle(CountyVenue county, string entityId)
    {
        var slash = entityId.IndexOf('/');
        if (slash < 0) return null;
        var id = entityId[(slash + 1)..];
        return county.SubEvents.FirstOrDefault(s => s.Id == id)?.Title;
    }
}
