using Orleans.Concurrency;
using Summit.Domain;

namespace Summit.Grains;

/// <summary>
/// One unit's submission to a campaign. Key: <see cref="GrainKeys.Of"/>(summit, <see cref="Submission.IdOf"/>(campaign, unit)).
/// Every command reads the campaign from the store and is judged by <see cref="Rules.AccessRules.EnsureSubmission"/>
/// first (404 for a campaign or submission the actor may not know of, 403 for a refused action).
/// </summary>
[Alias("summit.ISubmissionGrain")]
public interface ISubmissionGrain : IGrainWithStringKey
{
    /// <summary>The submission if the actor may read it; null when not started; refused (404) otherwise.</summary>
    [Alias("read")] Task<Submission?> Read(Actor actor);

    /// <summary>Saves, submits, returns or accepts; <paramref name="inputErrors"/> are the Gateway's findings on the body,
    /// answered once access is settled; <paramref name="ifMatch"/> is compared with the submission's version (0 when not started).</summary>
    [Alias("act")] Task<Submission> Act(SubmissionChange change, Actor actor, IReadOnlyDictionary<string, string[]>? inputErrors = null, WriteCondition? ifMatch = null);

    [Alias("get"), AlwaysInterleave] Task<Submission?> Get();
}
