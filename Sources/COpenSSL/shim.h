// The OpenSSL 3 API as MCPCrypto (and MCPTransport's TLS) see it: the headers they use,
// plus a `static inline` wrapper or a constant for each macro needed that does not import
// into Swift.
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
#include <openssl/sha.h>
#include <stdint.h>
#include <string.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

// BIO_get_mem_data is a function-like macro over BIO_ctrl, so Swift cannot call it.
static inline long copenssl_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// EVP_PKEY_PUBLIC_KEY is a macro expression of other macros, which Swift does not import.
static const int copenssl_EVP_PKEY_PUBLIC_KEY = EVP_PKEY_PUBLIC_KEY;

// EVP_PKEY_KEYPAIR is a macro expression of other macros, which Swift does not import.
static const int copenssl_EVP_PKEY_KEYPAIR = EVP_PKEY_KEYPAIR;

// SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
static inline int copenssl_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return (int)SSL_CTX_set_min_proto_version(context, version);
}

// SSL_CTX_set_mode is a macro over SSL_CTX_ctrl. A non-blocking writer whose buffer
// moves between retries needs both of these modes.
static inline long copenssl_SSL_CTX_set_nonblocking_write_modes(SSL_CTX *context) {
    return SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

static const int copenssl_TLS1_2_VERSION = TLS1_2_VERSION;

// SSL_OP_NO_RENEGOTIATION is a macro expression (SSL_OP_BIT) that Swift does not import.
static const uint64_t copenssl_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;

// One SHA-256 compression of a 64-byte block into the eight state words, for callers that
// keep precomputed states (HMAC with a fixed key). The low-level transform is deprecated in
// OpenSSL 3 but kept; it uses the CPU's SHA extensions where there are some.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline void copenssl_sha256_compress(uint32_t *state, const unsigned char *block) {
    SHA256_CTX context;
    memset(&context, 0, sizeof context);
    for (int index = 0; index < 8; index++) context.h[index] = state[index];
    SHA256_Transform(&context, block);
    for (int index = 0; index < 8; index++) state[index] = context.h[index];
}
#pragma clang diagnostic pop

#endif
