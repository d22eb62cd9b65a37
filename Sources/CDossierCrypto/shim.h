#ifndef CDOSSIER_CRYPTO_SHIM_H
#define CDOSSIER_CRYPTO_SHIM_H

#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/objects.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/cms.h>
#include <openssl/rsa.h>

/// `EVP_MD_size` is a macro alias of `EVP_MD_get_size` in OpenSSL 3; Swift cannot import aliases.
static inline int CDossierCrypto_EVP_MD_size(const EVP_MD *md) {
    return EVP_MD_get_size(md);
}

/// `OPENSSL_free` is a macro adding the caller's file and line to `CRYPTO_free`.
static inline void CDossierCrypto_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

/// `sk_X509_new_null` is a type-checking macro over `OPENSSL_sk_new_null`.
static inline STACK_OF(X509) *CDossierCrypto_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

/// `sk_X509_push` is a type-checking macro over `OPENSSL_sk_push`.
static inline int CDossierCrypto_sk_X509_push(STACK_OF(X509) *stack, X509 *certificate) {
    return sk_X509_push(stack, certificate);
}

/// `sk_X509_num` is a type-checking macro over `OPENSSL_sk_num`.
static inline int CDossierCrypto_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

/// `sk_X509_value` is a type-checking macro over `OPENSSL_sk_value`.
static inline X509 *CDossierCrypto_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

/// `sk_X509_free` is a type-checking macro over `OPENSSL_sk_free`; it frees the stack, not the
/// certificates (the stack only borrows them).
static inline void CDossierCrypto_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
}

/// `sk_CMS_SignerInfo_num` is a type-checking macro over `OPENSSL_sk_num`.
static inline int CDossierCrypto_sk_CMS_SignerInfo_num(const STACK_OF(CMS_SignerInfo) *stack) {
    return sk_CMS_SignerInfo_num(stack);
}

/// `sk_CMS_SignerInfo_value` is a type-checking macro over `OPENSSL_sk_value`.
static inline CMS_SignerInfo *CDossierCrypto_sk_CMS_SignerInfo_value(const STACK_OF(CMS_SignerInfo) *stack, int index) {
    return sk_CMS_SignerInfo_value(stack, index);
}

/// `XN_FLAG_RFC2253` combines macros with casts to `unsigned long` that Swift does not import.
static const unsigned long CDossierCrypto_XN_FLAG_RFC2253 = XN_FLAG_RFC2253;

#endif
