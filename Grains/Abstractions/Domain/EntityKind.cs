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
}
