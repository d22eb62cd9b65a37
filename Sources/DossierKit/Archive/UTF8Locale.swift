import DossierModel
#if canImport(Glibc)
import Glibc
#endif
import CDossierArchive

/// Runs `body` with this thread's character type locale set to C.UTF-8.
///
/// Swift programs run in the "C" locale, where libarchive 3.6 stores non-ASCII names as
/// binary, reads zip names back as NULL, and crashes on pax with UTF-8 names (libarchive
/// issue #2233). A thread-local locale fixes it for one synchronous libarchive session
/// without touching the rest of the process.
func withUTF8Locale<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
    guard let locale = newlocale(CDossierArchive_LC_CTYPE_MASK, "C.UTF-8", nil) else { return try body() }
    let previous = uselocale(locale)
    defer {
        uselocale(previous ?? CDossierArchive_LC_GLOBAL_LOCALE())
        freelocale(locale)
    }
    return try body()
}
