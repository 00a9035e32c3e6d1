using Summit.Domain;
using Summit.Notifications;

namespace Summit.Domain
{
    public enum Access
    {
        Read,
        Write,
    }

    /// <summary>What an entity is, as far as access is concerned: its kind and the units it belongs to.</summary>
    /// <param name="County">For a county venue or sub-event, its county; for a project, the county it lands in.</param>
    /// <param name="Universities">For a sub-forum, its host; for a project, its partner universities; for a university, itself.</param>
    /// <param name="Owner">For a task, its owning unit.</param>
    public sealed record ResourceScope(EntityKind Kind, string? County = null, IReadOnlyCollection<string>? Universities = null, OwningUnit? Owner = null)
    {
        public static ResourceScope Of(PreparationTask task) => new(EntityKind.Task, Owner: task.Owner);
        public static ResourceScope Of(CountyVenue venue) => new(EntityKind.County, County: venue.County);
        public static ResourceScope Of(SubForum forum) =>
            new(EntityKind.SubForum, Universities: forum.HostUniversity is null ? [] : [forum.HostUniversity]);
        public static ResourceScope Of(CooperationProject project) =>
            new(EntityKind.Project, County: project.County, Universities: project.Universities);
        public static ResourceScope Of(PartnerUniversity university) => new(EntityKind.University, Universities: [university.Code]);
        /// <summary>An alliance belongs to no unit: the secretariat's summit-level outcome (see <see cref="Rules.AccessRules.EnsureChange(Actor, InnovationAlliance, AllianceChange)"/>).</summary>
        public static ResourceScope Of(InnovationAlliance alliance) => new(EntityKind.Alliance);
        /// <summary>A finalist belongs to no unit: the secretariat's summit-level outcome.</summary>
        public static ResourceScope Of(StartupFinalist finalist) => new(EntityKind.Finalist);
        public static ResourceScope Summit { get; } = new(EntityKind.Summit);

        /// <summary>
        /// A campaign the secretariat sends belongs to no unit; a forwarded one belongs to the unit that forwarded it
        /// (<see cref="Campaign.Owner"/>), which changes it. Once published (or closed) each unit it addresses reads it
        /// (<see cref="Readers"/>), and none changes it. A draft or archived campaign is the secretariat's (and its owner's).
        /// </summary>
        public static ResourceScope Of(Campaign campaign) =>
            new(EntityKind.Campaign, Owner: campaign.Owner) { Readers = campaign.IsOut ? campaign.Addressees : [] };

        /// <summary>
        /// A submission belongs to its unit, like a task to its owner; to a forwarded campaign, the unit that forwarded it
        /// reads it too (it reviews them).
        /// </summary>
        public static ResourceScope Of(Submission submission, Campaign campaign) => OfSubmission(submission.Unit, campaign);

        /// <summary>The submission <paramref name="unit"/> has or would have to <paramref name="campaign"/> (the same scope before it is started).</summary>
        public static ResourceScope OfSubmission(OwningUnit unit, Campaign campaign) =>
            new(EntityKind.Submission, Owner: unit) { Readers = campaign.Owner is { } owner ? [owner] : null };

        /// <summary>
        /// An organisation belongs to the county or university it is registered under (which registers and changes it);
        /// it reads itself. A city-level organisation is the secretariat's.
        /// </summary>
        public static ResourceScope Of(Organization organization) =>
            new(EntityKind.Organization, Owner: organization.ParentUnit ?? OwningUnit.Department(Rules.AccessRules.SecretariatFileDepartment)) { Readers = [organization.Unit] };

        /// <summary>Units that read the entity but never change it (a published campaign's addressees); null for none.</summary>
        public IReadOnlyCollection<OwningUnit>? Readers { get; init; }
    }

    /// <summary>
    /// What a stored file is, as far as access is concerned (<see cref="Rules.AccessRules.MayReadFile"/>): the unit that
    /// uploaded it and what references it, if anything (<see cref="Storage.StoredFile.AttachedTo"/>).
    /// </summary>
    /// <remarks>A rule that lets others read a file through what it is attached to (the reviewer of the submission the file
    /// is attached to) adds what it needs here, e.g. the units that review <see cref="AttachedTo"/>, which the caller reads
    /// from the submission, and one arm to <see cref="Rules.AccessRules.MayReadFile"/>.</remarks>
    public sealed record FileScope(OwningUnit Owner, string? AttachedTo = null)
    {
        public static FileScope Of(Storage.StoredFile file) => new(file.Owner, file.AttachedTo);

        /// <summary>The unit that reviews what the file is attached to (a forwarded campaign's owner), which reads it too.</summary>
        public OwningUnit? Reviewer { get; init; }
    }

    /// <summary>
    /// A refusal by <see cref="Rules.AccessRules"/>. When the actor may not even read the entity it is answered exactly like
    /// a missing one (404), so another unit's data and existence never show; otherwise 403. Thrown by the Gateway and, for
    /// writes the entity grain judges itself, by the grain, so it crosses grain calls.
    /// </summary>
    [GenerateSerializer, Alias("summit.access-refused")]
    public sealed class AccessRefusedException(
        EntityKind kind, string id, bool visible, string detail, IReadOnlyDictionary<string, string[]>? fields = null) : Exception(detail)
    {
        [Id(0)] public EntityKind Kind { get; } = kind;
        [Id(1)] public string Id { get; } = id;
        [Id(2)] public bool Visible { get; } = visible;
        [Id(3)] public IReadOnlyDictionary<string, string[]>? Fields { get; } = fields;
    }
}

namespace Summit.Rules
{
    /// <summary>
    /// Who may read or change what: the single place this is decided. The API's endpoints, the list queries (readable
    /// units and task owners), the live hub's groups and event filter, and the entity grains (every change) all ask it.
    /// </summary>
    public static class AccessRules
    {
        /// <summary>Task fields a county or university may change on its own tasks; the rest is the secretariat's plan.</summary>
        public static readonly IReadOnlySet<string> UnitTaskFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "status", "percentComplete", "note", "assignee",
        };

        public static bool Allows(Actor actor, Access access, ResourceScope scope)
        {
            ArgumentNullException.ThrowIfNull(actor);
            ArgumentNullException.ThrowIfNull(scope);
            return actor.Role switch
            {
                Role.Secretariat or Role.System => true,
                Role.Leader => access == Access.Read,
                // Admins manage accounts and operations, not the summit's content.
                Role.Admin => false,
                Role.County or Role.University or Role.Organization => scope.Kind == EntityKind.Summit ? access == Access.Read
                    : actor.OwnUnit is { } unit
                      && (BelongsTo(unit, scope) || (access == Access.Read && scope.Readers?.Contains(unit) == true)),
                _ => false,
            };
        }

        /// <summary>Whether the actor may change this field of a task it may write.</summary>
        public static bool MayChangeTaskField(Actor actor, string field)
        {
            ArgumentNullException.ThrowIfNull(actor);
            return actor.Role is Role.Secretariat or Role.System || (actor.Role is Role.County or Role.University && UnitTaskFields.Contains(field));
        }

        /// <summary>Throws a hidden refusal (404) when the actor may not read the entity.</summary>
        public static void EnsureRead(Actor actor, ResourceScope scope, EntityKind kind, string id)
        {
            if (!Allows(actor, Access.Read, scope))
                throw new AccessRefusedException(kind, id, visible: false, $"{actor.Account} may not read {EntityNames.Of(kind, id)}.");
        }

        /// <summary>Throws a hidden refusal (404) when the actor may not read the entity, a visible one (403) when it may not change it.</summary>
        public static void EnsureWrite(Actor actor, ResourceScope scope, EntityKind kind, string id)
        {
            EnsureRead(actor, scope, kind, id);
            if (!Allows(actor, Access.Write, scope))
                throw new AccessRefusedException(kind, id, visible: true, $"A {EntityNames.Role(actor.Role)} account may not change this {EntityNames.Kind(kind, id)}.");
        }

        /// <summary>Throws a visible refusal naming each task field of <paramref name="fields"/> the actor may not change.</summary>
        public static void EnsureTaskFields(Actor actor, IEnumerable<string> fields, string id)
        {
            ArgumentNullException.ThrowIfNull(fields);
            var refused = fields.Where(f => !MayChangeTaskField(actor, f)).ToArray();
            if (refused.Length > 0)
                throw new AccessRefusedException(EntityKind.Task, id, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not change {string.Join(", ", refused)} of a task.",
                    refused.ToDictionary(f => f, _ => new[] { "you may not change this field." }));
        }

        /// <summary>
        /// A change that alters who the entity belongs to must leave it where the actor may still write it; otherwise a
        /// unit could hand its entity to another. <paramref name="after"/> is the entity's scope once changed.
        /// </summary>
        public static void EnsureWriteAfter(Actor actor, ResourceScope after, EntityKind kind, string id, string field)
        {
            if (!Allows(actor, Access.Write, after))
                throw new AccessRefusedException(kind, id, visible: true,
                    $"This change of {field} would put the {EntityNames.Kind(kind, id)} out of your reach.",
                    new Dictionary<string, string[]> { [field] = ["you may not give this away."] });
        }

        /// <summary>Which mode's plan a task, sub-forum or sub-event belongs to is the secretariat's plan, like switching the mode.</summary>
        public static bool MayChangePlan(Actor actor) => MaySwitchMode(actor);

        /// <summary>Only the secretariat assigns contingency plans (<see cref="MayChangePlan"/>); refused naming <c>plan</c>.</summary>
        public static void EnsurePlan(Actor actor, EntityKind kind, string id)
        {
            if (!MayChangePlan(actor))
                throw new AccessRefusedException(kind, id, visible: true, "Only the secretariat assigns contingency plans.",
                    new Dictionary<string, string[]> { ["plan"] = ["you may not change this field."] });
        }

        /// <summary>Throws a visible refusal (403) when the actor may not create <paramref name="what"/> (<see cref="MayCreate"/>).</summary>
        public static void EnsureCreate(Actor actor, EntityKind kind, ResourceScope parent, string what)
        {
            ArgumentNullException.ThrowIfNull(actor);
            if (!MayCreate(actor, kind, parent))
                throw new AccessRefusedException(kind, what, visible: true, $"A {EntityNames.Role(actor.Role)} account may not create {what}.");
        }

        /// <summary>Throws a visible refusal (403) when the actor may not switch the summit's mode (<see cref="MaySwitchMode"/>).</summary>
        public static void EnsureSwitchMode(Actor actor, string summit)
        {
            ArgumentNullException.ThrowIfNull(actor);
            if (!MaySwitchMode(actor))
                throw new AccessRefusedException(EntityKind.Summit, summit, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not switch the summit's mode.");
        }

        /// <summary>The API's names of the task fields a change sets, for <see cref="EnsureTaskFields"/> on a change made without a request body.</summary>
        public static IEnumerable<string> TaskFieldsOf(TaskChange change)
        {
            ArgumentNullException.ThrowIfNull(change);
            if (change.Title is not null) yield return "title";
            if (change.Status is not null) yield return "status";
            if (change.PercentComplete is not null) yield return "percentComplete";
            if (change.Note is not null) yield return "note";
            if (change.Assignee is not null) yield return "assignee";
            if (change.Due is not null) yield return "dueDate";
            if (change.DependsOn is not null) yield return "dependsOn";
            if (change.Category is not null) yield return "category";
            if (change.Owner is not null) yield return "owner";
            if (change.Milestone is not null) yield return "milestone";
            if (change.RemainingDays is not null) yield return "remainingDays";
            if (change.SubForum is not null) yield return "subForum";
            if (change.OverrideOpenPrerequisites is not null) yield return "overrideOpenPrerequisites";
            if (change.Plan is not null) yield return "plan";
            if (change.Start is not null) yield return "start";
            if (change.DurationDays is not null) yield return "durationDays";
            if (change.Archived is not null) yield return "archived";
        }

        /// <summary>Who may change a task, and which of its fields.</summary>
        public static void EnsureChange(Actor actor, PreparationTask task, IEnumerable<string> fields)
        {
            ArgumentNullException.ThrowIfNull(task);
            EnsureWrite(actor, ResourceScope.Of(task), EntityKind.Task, task.Id);
            EnsureTaskFields(actor, fields, task.Id);
        }

        /// <summary>Who may change a sub-forum: its host stays within the actor's reach, and its plan is the secretariat's.</summary>
        public static void EnsureChange(Actor actor, SubForum forum, SubForumChange change)
        {
            ArgumentNullException.ThrowIfNull(forum);
            ArgumentNullException.ThrowIfNull(change);
            EnsureWrite(actor, ResourceScope.Of(forum), EntityKind.SubForum, forum.Id);
            if (change.Plan is not null) EnsurePlan(actor, EntityKind.SubForum, forum.Id);
            if (change.HostUniversity is { } host)
                EnsureWriteAfter(actor, ResourceScope.Of(forum with { HostUniversity = string.IsNullOrWhiteSpace(host) ? null : host.Trim() }),
                    EntityKind.SubForum, forum.Id, "hostUniversity");
        }

        /// <summary>Who may change a cooperation project: its county and universities stay within the actor's reach.</summary>
        public static void EnsureChange(Actor actor, CooperationProject project, ProjectChange change)
        {
            ArgumentNullException.ThrowIfNull(project);
            ArgumentNullException.ThrowIfNull(change);
            EnsureWrite(actor, ResourceScope.Of(project), EntityKind.Project, project.Id);
            if (change.County is { } county)
                EnsureWriteAfter(actor, ResourceScope.Of(project with { County = string.IsNullOrWhiteSpace(county) ? null : county.Trim() }),
                    EntityKind.Project, project.Id, "county");
            if (change.Universities is { } universities)
                EnsureWriteAfter(actor, ResourceScope.Of(project with { Universities = universities }), EntityKind.Project, project.Id, "universities");
        }

        /// <summary>
        /// Who may change an innovation alliance: the secretariat, which creates and manages them; leaders read them.
        /// County and university accounts neither read nor change them, not even an alliance their unit leads: the
        /// alliances are summit-level outcomes the secretariat reports on (its scope has no unit, so <see cref="Allows"/>
        /// refuses units, and the lists' unit filter finds none), and a lead unit reports its progress to the secretariat.
        /// </summary>
        public static void EnsureChange(Actor actor, InnovationAlliance alliance, AllianceChange change)
        {
            ArgumentNullException.ThrowIfNull(alliance);
            ArgumentNullException.ThrowIfNull(change);
            EnsureWrite(actor, ResourceScope.Of(alliance), EntityKind.Alliance, alliance.Id);
        }

        /// <summary>
        /// Who may change a campaign: the secretariat, which writes, publishes, closes and archives them; leaders read them;
        /// an addressed county or university reads it once published (403 on a change), any other unit finds nothing (404).
        /// </summary>
        public static void EnsureChange(Actor actor, Campaign campaign, CampaignChange change)
        {
            ArgumentNullException.ThrowIfNull(campaign);
            ArgumentNullException.ThrowIfNull(change);
            EnsureWrite(actor, ResourceScope.Of(campaign), EntityKind.Campaign, campaign.Id);
        }

        /// <summary>
        /// Reviewing submissions (return, accept) is the secretariat's; those to a forwarded campaign are the forwarding
        /// unit's (and the secretariat's).
        /// </summary>
        public static bool MayReview(Actor actor, Campaign campaign)
        {
            ArgumentNullException.ThrowIfNull(actor);
            ArgumentNullException.ThrowIfNull(campaign);
            return actor.Role is Role.Secretariat or Role.System || (campaign.Owner is { } owner && actor.OwnUnit == owner);
        }

        /// <summary>
        /// Who may forward <paramref name="campaign"/> to its own organisations: a county or university it addresses, while
        /// it is published (the secretariat forwards on a unit's behalf). Organisations forward nothing: they have no units
        /// under them. Refusals: 404 when the campaign is not readable, 403 otherwise.
        /// </summary>
        public static OwningUnit EnsureForward(Actor actor, Campaign campaign, OwningUnit? onBehalfOf)
        {
            ArgumentNullException.ThrowIfNull(actor);
            ArgumentNullException.ThrowIfNull(campaign);
            EnsureRead(actor, ResourceScope.Of(campaign), EntityKind.Campaign, campaign.Id);
            var unit = actor.Role is Role.Secretariat or Role.System ? onBehalfOf : actor.OwnUnit;
            if (unit is not { Kind: UnitKind.County or UnitKind.University } || (onBehalfOf is not null && onBehalfOf != unit))
                throw new AccessRefusedException(EntityKind.Campaign, campaign.Id, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not forward this campaign{(unit is null ? "" : $" for {unit}")}.");
            if (!campaign.Addresses(unit))
                throw new AccessRefusedException(EntityKind.Campaign, campaign.Id, visible: true, $"{EntityNames.Of(EntityKind.Campaign, campaign.Id)} is not addressed to {unit}.");
            return unit;
        }

        /// <summary>
        /// The units whose rows of <paramref name="campaign"/>'s board the actor reads: every row for the secretariat,
        /// leaders and the unit that forwarded it (null); its own row for an addressed unit.
        /// </summary>
        public static IReadOnlyList<OwningUnit>? BoardUnits(Actor actor, Campaign campaign)
        {
            ArgumentNullException.ThrowIfNull(campaign);
            return campaign.Owner is { } owner && actor.OwnUnit == owner ? null : ReadableUnits(actor);
        }

        /// <summary>
        /// Who may register an organisation under <paramref name="parent"/>: the secretariat anywhere (city-level ones
        /// included); a county or university under itself. Leaders and organisations register none (403).
        /// </summary>
        public static void EnsureRegister(Actor actor, OwningUnit? parent, string code)
        {
            ArgumentNullException.ThrowIfNull(actor);
            var allowed = actor.Role is Role.Secretariat or Role.System
                || (actor.Role is Role.County or Role.University && parent is not null && actor.OwnUnit == parent);
            if (!allowed)
                throw new AccessRefusedException(EntityKind.Organization, code, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not register an organisation{(parent is null ? " at the city level" : $" under {parent}")}.");
        }

        /// <summary>
        /// Who may read or act on <paramref name="unit"/>'s submission to <paramref name="campaign"/>: the campaign must be
        /// readable (else 404 naming it) and address the unit, and the submission readable (a unit reads only its own;
        /// another unit's answers 404 as if it did not exist, guessed ids included). Saving and submitting need write
        /// access (the unit itself, or the secretariat on its behalf; leaders 403); returning and accepting need
        /// <see cref="MayReview"/> (403 to the unit).
        /// </summary>
        public static void EnsureSubmission(Actor actor, Campaign campaign, OwningUnit unit, SubmissionAction? action)
        {
            ArgumentNullException.ThrowIfNull(campaign);
            ArgumentNullException.ThrowIfNull(unit);
            EnsureRead(actor, ResourceScope.Of(campaign), EntityKind.Campaign, campaign.Id);
            var id = Submission.IdOf(campaign.Id, unit);
            if (!campaign.Addresses(unit)) throw new AccessRefusedException(EntityKind.Submission, id, visible: false, $"{EntityNames.Of(EntityKind.Submission, id)} is not addressed.");
            var scope = ResourceScope.OfSubmission(unit, campaign);
            switch (action)
            {
                case null:
                    EnsureRead(actor, scope, EntityKind.Submission, id);
                    break;
                case SubmissionAction.Save or SubmissionAction.Submit:
                    EnsureWrite(actor, scope, EntityKind.Submission, id);
                    break;
                default:
                    EnsureRead(actor, scope, EntityKind.Submission, id);
                    if (!MayReview(actor, campaign))
                        throw new AccessRefusedException(EntityKind.Submission, id, visible: true, $"A {EntityNames.Role(actor.Role)} account may not review submissions.");
                    break;
            }
        }

        /// <summary>
        /// Who may collect a campaign's submissions as one zip or compiled document: those who read every addressee's
        /// submission (the secretariat, leaders, and the unit that forwarded it); an addressed unit gets 403, since it
        /// knows the campaign.
        /// </summary>
        public static void EnsureCollect(Actor actor, Campaign campaign)
        {
            ArgumentNullException.ThrowIfNull(campaign);
            EnsureRead(actor, ResourceScope.Of(campaign), EntityKind.Campaign, campaign.Id);
            if (BoardUnits(actor, campaign) is not null)
                throw new AccessRefusedException(EntityKind.Campaign, campaign.Id, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not collect the submissions of every unit.");
        }

        /// <summary>
        /// Who may remind a campaign's units that have not handed in (催报): whoever may review its submissions
        /// (<see cref="MayReview"/>). The campaign must be readable (else 404); anyone else who reads it gets 403.
        /// </summary>
        public static void EnsureRemind(Actor actor, Campaign campaign)
        {
            ArgumentNullException.ThrowIfNull(campaign);
            EnsureRead(actor, ResourceScope.Of(campaign), EntityKind.Campaign, campaign.Id);
            if (!MayReview(actor, campaign))
                throw new AccessRefusedException(EntityKind.Campaign, campaign.Id, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not remind the units of a campaign.");
        }

        /// <summary>Who may change a Startup World Cup finalist: the secretariat, as for alliances; leaders read them.</summary>
        public static void EnsureChange(Actor actor, StartupFinalist finalist, FinalistChange change)
        {
            ArgumentNullException.ThrowIfNull(finalist);
            ArgumentNullException.ThrowIfNull(change);
            EnsureWrite(actor, ResourceScope.Of(finalist), EntityKind.Finalist, finalist.Id);
        }

        /// <summary>
        /// Who may change a sub-event: whoever may change its county's venue; its plan is the secretariat's. A sub-event the
        /// venue does not hold is refused like one the actor may not read (404).
        /// </summary>
        public static SubEvent EnsureChange(Actor actor, CountyVenue venue, string subEventId, SubEventChange change)
        {
            ArgumentNullException.ThrowIfNull(venue);
            ArgumentNullException.ThrowIfNull(change);
            EnsureRead(actor, ResourceScope.Of(venue), EntityKind.County, venue.County);
            var subEvent = venue.SubEvents.FirstOrDefault(e => e.Id == subEventId)
                ?? throw new EntityNotFoundException(EntityKind.County, $"{venue.County}/{subEventId}");
            EnsureWrite(actor, ResourceScope.Of(venue), EntityKind.County, venue.County);
            if (change.Plan is not null) EnsurePlan(actor, EntityKind.County, $"{venue.County}/{subEventId}");
            return subEvent;
        }

        /// <summary>
        /// Which of <paramref name="owners"/> own tasks the actor may read, as <see cref="Allows"/> decides for a task of
        /// each; null when the actor reads the tasks of every owner (no owner filter needed).
        /// </summary>
        /// <remarks>Null needs more than every listed owner being readable: a task of an owner not listed (one created
        /// since the owners were read) must be readable too, so a unit is never shown a task it may not read.</remarks>
        public static IReadOnlyList<OwningUnit>? ReadableTaskOwners(Actor actor, IReadOnlyCollection<OwningUnit> owners)
        {
            ArgumentNullException.ThrowIfNull(owners);
            var readable = owners.Where(o => Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: o))).ToArray();
            return readable.Length == owners.Count && Allows(actor, Access.Read, new ResourceScope(EntityKind.Task, Owner: UnlistedOwner))
                ? null
                : readable;
        }

        /// <summary>
        /// The units whose county venues, sub-forums, projects and universities the actor reads (an entity is readable when
        /// one of its units, <see cref="Storage.EntityListQuery.UnitsOf(CountyVenue)"/>, is among them), as <see cref="Allows"/>
        /// decides for each; null when the actor reads them all. The lists pass these to the query, so what the actor may
        /// not read is never loaded.
        /// </summary>
        public static IReadOnlyList<OwningUnit>? ReadableUnits(Actor actor) => actor.Role switch
        {
            Role.Secretariat or Role.System or Role.Leader => null,
            Role.County or Role.University or Role.Organization when actor.OwnUnit is { } unit => [unit],
            _ => [],
        };

        /// <summary>
        /// The units whose accounts the actor finds by name (search): a county's or university's own accounts; every
        /// account but the admins for those who read the whole summit; null means all of those.
        /// </summary>
        public static IReadOnlyList<OwningUnit>? ReadableAccountUnits(Actor actor) => ReadableUnits(actor);

        // No task has it: "-" is not a code.
        private static readonly OwningUnit UnlistedOwner = OwningUnit.Department("-");

        /// <summary>
        /// Only the secretariat creates tasks, sub-forums, projects, universities, counties, alliances and finalists. A county adds
        /// sub-events to its own venue: <paramref name="kind"/> County with the venue as <paramref name="parent"/>.
        /// </summary>
        public static bool MayCreate(Actor actor, EntityKind kind, ResourceScope parent) => actor.Role switch
        {
            Role.Secretariat or Role.System => true,
            Role.County => kind == EntityKind.County && parent.Kind == EntityKind.County && Allows(actor, Access.Write, parent),
            _ => false,
        };

        // Comments on tasks.

        /// <summary>Whoever may read a task may read and write its comments; no one else learns they exist (404).</summary>
        public static void EnsureComment(Actor actor, PreparationTask task)
        {
            ArgumentNullException.ThrowIfNull(task);
            EnsureRead(actor, ResourceScope.Of(task), EntityKind.Task, task.Id);
        }

        /// <summary>
        /// A comment may mention a unit whose accounts may read the task (so the notification never names a task its
        /// reader may not open): a secretariat department always (the secretariat reads every task), a county or a
        /// university when its own accounts may read it, as <see cref="Allows"/> decides for them.
        /// </summary>
        public static bool MayBeMentioned(OwningUnit unit, PreparationTask task)
        {
            ArgumentNullException.ThrowIfNull(unit);
            ArgumentNullException.ThrowIfNull(task);
            var reader = unit.Kind switch
            {
                UnitKind.County => new Actor($"unit:{unit}", Role.County, unit.Code),
                UnitKind.University => new Actor($"unit:{unit}", Role.University, unit.Code),
                _ => new Actor($"unit:{unit}", Role.Secretariat),
            };
            return Allows(reader, Access.Read, ResourceScope.Of(task));
        }

        // Stored files (photos, videos, documents attached to the summit's records).

        /// <summary>The secretariat department that owns the files secretariat accounts upload (they belong to no unit).</summary>
        public const string SecretariatFileDepartment = "office";

        /// <summary>
        /// Who may read a stored file: the secretariat and leaders every file of the summit; a county or university only its
        /// own unit's files (another's is answered as missing, 404); admins none. The one rule the file endpoints and
        /// <see cref="Storage.IFileCatalog"/>'s callers ask.
        /// </summary>
        public static bool MayReadFile(Actor actor, FileScope file)
        {
            ArgumentNullException.ThrowIfNull(actor);
            ArgumentNullException.ThrowIfNull(file);
            return actor.Role switch
            {
                Role.Secretariat or Role.System or Role.Leader => true,
                Role.County or Role.University or Role.Organization =>
                    actor.OwnUnit is { } unit && (file.Owner == unit || (file.Reviewer is { } reviewer && reviewer == unit)),
                _ => false,
            };
        }

        /// <summary>
        /// The unit a file uploaded by the actor belongs to: its county or university, the secretariat's department
        /// <see cref="SecretariatFileDepartment"/>; null when the actor may not upload (leaders, admins, an account
        /// without its unit).
        /// </summary>
        public static OwningUnit? FileOwnerFor(Actor actor)
        {
            ArgumentNullException.ThrowIfNull(actor);
            return actor switch
            {
                { Role: Role.Secretariat or Role.System } => OwningUnit.Department(SecretariatFileDepartment),
                { Role: Role.County or Role.University or Role.Organization, OwnUnit: { } unit } => unit,
                _ => null,
            };
        }

        /// <summary>The owner of the actor's uploads (<see cref="FileOwnerFor"/>); a visible refusal (403) when it may not upload.</summary>
        public static OwningUnit EnsureUpload(Actor actor, string summit) => FileOwnerFor(actor)
            ?? throw new AccessRefusedException(EntityKind.Summit, summit, visible: true, $"A {EntityNames.Role(actor.Role)} account may not upload files.");

        /// <summary>Units see the summit-wide live feed and audit only through their own entities.</summary>
        public static bool MayReadAudit(Actor actor) => actor.Role is Role.Secretariat or Role.System;

        public static bool MayManageAccounts(Actor actor) => actor.Role == Role.Admin;

        // Escalation, notifications, webhooks and contingency plans.

        /// <summary>Switching the contingency plan (offline/online/hybrid) sets whole plans aside: the secretariat's call.</summary>
        public static bool MaySwitchMode(Actor actor) => actor.Role is Role.Secretariat or Role.System;

        /// <summary>Webhook addresses carry the robots' access tokens, so only the secretariat sees or sets them, and their dead letters.</summary>
        public static bool MayManageWebhooks(Actor actor) => actor.Role is Role.Secretariat or Role.System;

        public static bool MayConfigureEscalation(Actor actor) => actor.Role is Role.Secretariat or Role.System;

        /// <summary>
        /// Approving the plan baseline (the tasks' planned dates as approved) is the secretariat's; everyone who reads the
        /// summit reads it, each baseline task as its task (<see cref="Allows"/>).
        /// </summary>
        public static bool MayApproveBaseline(Actor actor) => actor.Role is Role.Secretariat or Role.System;

        // Calendar feeds (a secret .ics address of an account's deadlines).

        /// <summary>
        /// Every account that reads the summit's content may have calendar feeds of its own: the secretariat and leaders,
        /// and county, university and organisation accounts bound to their unit; admins read no content, so have none.
        /// </summary>
        public static bool MayHaveCalendarFeed(Actor actor)
        {
            ArgumentNullException.ThrowIfNull(actor);
            return actor.Role switch
            {
                Role.Secretariat or Role.Leader => true,
                Role.County or Role.University or Role.Organization => actor.OwnUnit is not null,
                _ => false,
            };
        }

        /// <summary>A visible refusal (403) when the actor may not have calendar feeds.</summary>
        public static void EnsureCalendarFeed(Actor actor, string summit)
        {
            if (!MayHaveCalendarFeed(actor))
                throw new AccessRefusedException(EntityKind.Summit, summit, visible: true,
                    $"A {EntityNames.Role(actor.Role)} account may not have calendar feeds.");
        }

        /// <summary>
        /// Whether a feed's event may show this task or campaign to the feed's account: exactly what the account may read
        /// (<see cref="Allows"/>), asked again for every event the feed's queries found.
        /// </summary>
        public static bool MayShowInCalendarFeed(Actor actor, ResourceScope scope) =>
            MayHaveCalendarFeed(actor) && Allows(actor, Access.Read, scope);

        /// <summary>
        /// The notification inboxes an account reads: its own; its unit's (county and university accounts); the
        /// secretariat's (secretariat accounts). Red-list entries are read like their tasks (<see cref="Allows"/>).
        /// </summary>
        public static IReadOnlyList<NotificationTarget> NotificationInboxes(Actor actor)
        {
            var inboxes = new List<NotificationTarget> { NotificationTarget.ForAccount(actor.Account) };
            if (actor.OwnUnit is { } unit) inboxes.Add(NotificationTarget.ForUnit(unit));
            if (actor.Role is Role.Secretariat) inboxes.Add(NotificationTarget.Secretariat);
            return inboxes;
        }

        // An entity with an owner belongs to it alone; a county venue or project to its county, a sub-forum, project or
        // university to its universities.
        private static bool BelongsTo(OwningUnit unit, ResourceScope scope) => scope.Owner is { } owner
            ? owner == unit
            : unit.Kind switch
            {
                UnitKind.County => scope.County == unit.Code,
                UnitKind.University => scope.Universities?.Contains(unit.Code) == true,
                _ => false,
            };
    }

    /// <summary>How entities are named in refusals and problem responses.</summary>
    public static class EntityNames
    {
        /// <summary>Sub-events are refused and reported as kind County with the id <c>{county}/{subEvent}</c>.</summary>
        public static string Kind(EntityKind kind, string id) => kind switch
        {
            EntityKind.County when id.Contains('/') => "sub-event",
            EntityKind.SubForum => "sub-forum",
            EntityKind.Project => "cooperation project",
            EntityKind.University => "partner university",
            EntityKind.Alliance => "innovation alliance",
            EntityKind.Finalist => "startup finalist",
            EntityKind.County => "county venue",
            EntityKind.Campaign => "campaign",
            EntityKind.Submission => "submission",
            EntityKind.Organization => "organisation",
            EntityKind.CalendarFeed => "calendar feed",
            _ => kind.ToString().ToLowerInvariant(),
        };

        public static string Of(EntityKind kind, string id) => $"{Kind(kind, id)} '{id}'";

        public static string Role(Role role) => role.ToString().ToLowerInvariant();
    }
}
