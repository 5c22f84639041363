namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>
/// Why one value could not be converted: a stable reason code (<see cref="MappingRejectReasons"/>) and a
/// sentence that never holds the value itself (it may be personal data).
/// </summary>
public readonly record struct ConversionFailure(string Reason, string Message);
