using Summit.Domain;
using Summit.Grains;

namespace Summit.Notifications;

/// <summary>
/// The name a notification gives a unit: a county or university by its registered name (平阳县, 温州医科大学), a
/// secretariat department by its name (联络对接部); a unit with no record keeps its code. English texts add the code's
/// romanised form to a Chinese name ("平阳县 (Pingyang)").
/// </summary>
public sealed class UnitNames(IGrainFactory grains, string summit)
{
    private readonly Dictionary<OwningUnit, LocalizedText> _known = [];

    public async ValueTask<LocalizedText> Of(OwningUnit unit)
    {
        if (_known.TryGetValue(unit, out var found)) return found;
        var name = unit.Kind switch
        {
            UnitKind.County => (await grains.GetGrain<ICountyVenueGrain>(GrainKeys.Of(summit, unit.Code)).Get())?.Name,
            UnitKind.University => (await grains.GetGrain<IPartnerUniversityGrain>(GrainKeys.Of(summit, unit.Code)).Get())?.Name,
            UnitKind.Organization => (await grains.GetGrain<IOrganizationGrain>(GrainKeys.Of(summit, unit.Code)).Get())?.Name,
            _ => SecretariatDepartments.Find(unit.Code)?.Name,
        };
        var text = Text(unit, name);
        _known[unit] = text;
        return text;
    }

    /// <summary>The Chinese and English names of <paramref name="unit"/>, given its registered name (null: none on record).</summary>
    public static LocalizedText Text(OwningUnit unit, string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return new LocalizedText(unit.ToString(), unit.ToString());
        var english = unit.Kind switch
        {
            UnitKind.Secretariat => SecretariatDepartments.Find(unit.Code)?.EnglishName ?? name,
            UnitKind.University => $"{name} ({unit.Code.ToUpperInvariant()})",
            UnitKind.Organization => name,
            _ => $"{name} ({char.ToUpperInvariant(unit.Code[0])}{unit.Code[1..]})",
        };
        return new LocalizedText(name, english);
    }
}
