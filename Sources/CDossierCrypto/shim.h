#ifndef CDOSSIER_CRYPTO_SHIM_H
#define CDOSSIER_CRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

/// `EVP_MD_size` is a macro alias of `EVP_MD_get_size` in OpenSSL 3; Swift cannot import aliases.
static inline int CDossierCrypto_EVP_MD_size(const EVP_MD *md) {
    return EVP_MD_get_size(md);
}

#endif
