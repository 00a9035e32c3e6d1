namespace Summit.Domain;

/// <summary>
/// The departments of the summit secretariat and the city science association that own tasks
/// (<see cref="UnitKind.Secretariat"/> units): their codes and their names in Chinese and English.
/// </summary>
public static class SecretariatDepartments
{
    public sealed record Department(string Code, string Name, string EnglishName);

    public static readonly IReadOnlyList<Department> All =
    [
        new("office", "秘书处办公室", "Secretariat office"),
        new("academic", "学术活动部", "Academic events"),
        new("publicity", "宣传部", "Publicity"),
        new("liaison", "联络对接部", "Liaison"),
        new("logistics", "会务保障部", "Logistics"),
        new("international", "国际联络部", "International liaison"),
        new("finance", "财务组", "Finance"),
    ];

    /// <summary>Whether a department has this code (campaigns' receiving offices and addressees).</summary>
    public static bool IsKnown(string? code) => code is not null && Find(code) is not null;

    /// <summary>The department with this code; null when there is none.</summary>
    public static Department? Find(string code) => All.FirstOrDefault(d => string.Equals(d.Code, code, StringComparison.Ordinal));
}
