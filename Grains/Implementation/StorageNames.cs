namespace Summit.Grains;

/// <summary>Names of the grain storage providers the hosting code registers.</summary>
public static class StorageNames
{
    public const string Summit = "summit";
}
