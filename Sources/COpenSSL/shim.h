// The OpenSSL 3 API as MCPCrypto sees it: the headers it uses, plus a `static inline`
// wrapper or a constant for each macro it needs that does not import into Swift.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

// BIO_get_mem_data is a function-like macro over BIO_ctrl, so Swift cannot call it.
static inline long copenssl_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// EVP_PKEY_PUBLIC_KEY is a macro expression of other macros, which Swift does not import.
static const int copenssl_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;

// EVP_PKEY_KEYPAIR is a macro expression of other macros, which Swift does not import.
static const int copenssl_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;

#endif
