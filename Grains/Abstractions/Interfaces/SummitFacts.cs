namespace Summit.Grains;

/// <summary>
/// Entity grains keep the facts of their summit they judge changes by (zone, dates, mode) and check them at commit; a
/// caller that has just changed the summit and needs them fresh at once sets <see cref="MinimumVersionKey"/> in the
/// request context to the summit's new version.
/// </summary>
public static class SummitFacts
{
    public const string MinimumVersionKey = "summit.facts-version";
}
