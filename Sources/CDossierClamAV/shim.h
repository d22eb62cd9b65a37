#ifndef CDOSSIER_CLAMAV_SHIM_H
#define CDOSSIER_CLAMAV_SHIM_H

// libclamav (Debian's libclamav-dev): the ClamAV scanning engine, linked rather than run as
// clamscan. Related documentation: <https://docs.clamav.net/manual/Development/libclamav.html>.
#include <clamav.h>

/// Swallows libclamav's messages: the library must never print ("LibClamAV Warning: …"); a scan's
/// outcome is returned as a value. `clcb_msg` is a C callback, which Swift could provide only as a
/// non-capturing closure; a C function keeps the shim self-contained.
static inline void CDossierClamAV_silentMessage(enum cl_msg severity, const char *fullmsg, const char *msg, void *context) {
    (void)severity; (void)fullmsg; (void)msg; (void)context;
}

/// Installs ``CDossierClamAV_silentMessage`` (process-wide; once is enough).
static inline void CDossierClamAV_silence(void) {
    cl_set_clcb_msg(CDossierClamAV_silentMessage);
}

/// `CL_DB_STDOPT` is a macro of other macros (`CL_DB_PHISHING | …`), which Swift does not import.
static const unsigned int CDossierClamAV_CL_DB_STDOPT = CL_DB_STDOPT;

/// Every parser on (archives, PDF, OLE2, HTML, mail …), the way clamscan scans by default;
/// heuristic alerts off but one: a file (or a file inside one) past the engine's size or recursion
/// limits is reported (`Heuristics.Limits.Exceeded…`), so that a partial scan is never taken for a
/// clean one. The `CL_SCAN_*` flags are macros of unsigned constants that Swift imports as `Int32`.
static inline void CDossierClamAV_defaultOptions(struct cl_scan_options *options) {
    options->general = 0;
    options->parse = ~0u;
    options->heuristic = CL_SCAN_HEURISTIC_EXCEEDS_MAX;
    options->mail = 0;
    options->dev = 0;
}

#endif
