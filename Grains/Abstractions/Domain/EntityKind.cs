namespace Summit.Domain;

[GenerateSerializer]
public enum EntityKind
{
    Summit,
    Task,
    SubForum,
    County,
    Project,
    University,
    Alliance,
    Finalist,
    /// <summary>A notice sent to units that each hand in a submission by a deadline (征集/报送通知).</summary>
    Campaign,
    /// <summary>One addressed unit's submission to a campaign; its id is <c>{campaign}:{unit}</c>.</summary>
    Submission,
    /// <summary>A registered organisation (society, company, school, office) that campaigns address.</summary>
    Organization,
    /// <summary>
    /// An account's calendar feed (a secret .ics address). Not an entity of the store: only its audit rows use the kind,
    /// so creating and revoking a feed are in the audit trail.
    /// </summary>
    CalendarFeed,
}
