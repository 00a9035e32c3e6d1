using System.ComponentModel;
using System.Text.Json.Serialization;
using NodaTime;
using Summit.Data.Comments;
using Summit.Domain;

namespace Summit.Gateway.Api.Contracts;

/// <summary>A new comment on a task, or a reply to one.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CommentInput(
    [property: Description("The comment, 1-2000 characters; line breaks are kept.")] string? Text,
    [property: Description("To reply: the id of a comment of the same task that is not itself a reply (replies are one level deep).")] string? Parent,
    [property: Description("Units to notify, at most 20, each one that may read the task, e.g. county:pingyang, university:wmu, secretariat:office.")] IReadOnlyList<string>? Mentions);

/// <summary>A comment on a task as stored.</summary>
public sealed record CommentResource(
    string Id,
    string TaskId,
    [property: Description("The comment this one replies to; null for a thread's first comment.")] string? Parent,
    [property: Description("The account that wrote it.")] string Author,
    Role Role,
    [property: Description("The county or university the author spoke for; null for the secretariat and leaders.")] OwningUnit? Unit,
    string Text,
    [property: Description("The units the comment mentions; each was notified.")] IReadOnlyList<OwningUnit> Mentions,
    [property: Description("When it was written, by the summit clock.")] Instant CreatedAt)
{
    public static CommentResource From(TaskComment c) => new(c.Id, c.TaskId, c.Parent, c.Author, c.Role, c.Unit, c.Text, c.Mentions, c.CreatedAt);
}
