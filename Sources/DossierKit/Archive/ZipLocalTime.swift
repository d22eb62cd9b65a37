import DossierModel
#if canImport(Glibc)
import Glibc
#endif

/// Zip entries carry their times as DOS local times, which libarchive computes with the
/// process's time zone (`localtime_r`): the same version zipped on machines set to different
/// zones would differ in those bytes. Exports make them the vault's local time instead.
public enum ZipLocalTime {
    /// The POSIX `TZ` value for a fixed offset: `<+0800>-8:00:00` for UTC+8 (POSIX counts
    /// hours west of Greenwich, hence the sign turned round).
    public static func posixZone(offsetSeconds: Int) -> String {
        let magnitude = abs(offsetSeconds)
        let (hours, minutes, seconds) = (magnitude / 3600, magnitude % 3600 / 60, magnitude % 60)
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let name = "<\(offsetSeconds < 0 ? "-" : "+")\(twoDigits(hours))\(twoDigits(minutes))>"
        return "\(name)\(offsetSeconds > 0 ? "-" : "")\(hours):\(twoDigits(minutes)):\(twoDigits(seconds))"
    }

    /// Sets the process's time zone to the fixed offset. `setenv` is not safe while other
    /// threads read the environment: call this before starting any, as `dossier export` does.
    public static func useVaultZone(offsetSeconds: Int) {
        setenv("TZ", posixZone(offsetSeconds: offsetSeconds), 1)
        tzset()
    }
}
