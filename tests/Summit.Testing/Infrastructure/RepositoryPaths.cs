namespace Summit.Tests.Infrastructure;

public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build output of one of the solution's programs, built alongside the tests (same configuration).</summary>
    public static string ProgramDll(string projectFolder, string assemblyName)
    {
        // The tests run from tests/<project>/bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Root, projectFolder, "bin", configuration, "net10.0", assemblyName + ".dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"Build {projectFolder} first (dotnet build Summit.sln).", path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Summit.sln"))) return dir.FullName;
        throw new InvalidOperationException("Summit.sln not found above the test binaries.");
    }
}
