#ifndef CDOSSIER_POPPLER_SHIM_H
#define CDOSSIER_POPPLER_SHIM_H

#include <poppler.h>

/// Swallows poppler's and GLib's messages for one log domain: a damaged PDF makes poppler
/// warn on stderr, and the library must never print (the index records why a text is missing).
/// `GLogFunc` is a C callback, which Swift could provide only as a non-capturing closure; a C
/// function keeps the shim self-contained.
static inline void CDossierPoppler_silentLog(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/// Installs ``CDossierPoppler_silentLog`` for poppler's log domain (once per process is enough).
static inline void CDossierPoppler_silenceWarnings(void) {
    g_log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION), CDossierPoppler_silentLog, NULL);
}

#endif
