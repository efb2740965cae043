// Times PBKDF2-HMAC-SHA256 as an iOS >= 10.2 keybag needs it (DPIC rounds, 20-byte salt, 32-byte
// key): OpenSSL's PKCS5_PBKDF2_HMAC, then bkcheck's engine with SHA-NI (when the CPU has it) and
// portable, in one run on the same input, checks the outputs agree and prints the ratios. Then the
// cancellable forms the CLI uses (a flag read every k_pbkdf2_cancel_rounds rounds): the best
// engine, and the EVP rounds that replace PKCS5_PBKDF2_HMAC where it would run (no SHA-NI; the
// SHA-1 stage). Usage: bench_pbkdf2 [iterations, default 10000000]
#include "pbkdf2.h"
#include "bytes.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace bkcheck;

namespace {

double time_engine(Pbkdf2Engine engine, std::uint32_t iterations, std::string& hex_out)
{
    Bytes salt(20, 0x11);
    auto start = std::chrono::steady_clock::now();
    SecretBytes key =
        pbkdf2_hmac_sha256(as_bytes("correct horse battery staple"), salt, iterations, 32, engine);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    hex_out = to_hex(key.view());
    return seconds;
}

double time_cancellable(Pbkdf2Engine engine, std::uint32_t iterations, std::string& hex_out)
{
    Bytes salt(20, 0x11);
    std::atomic<bool> never_cancelled{false};
    auto start = std::chrono::steady_clock::now();
    auto key = pbkdf2_hmac_sha256(as_bytes("correct horse battery staple"), salt, iterations, 32,
                                  &never_cancelled, engine);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    hex_out = key ? to_hex(key->view()) : "failed";
    return seconds;
}

}  // namespace

int main(int argc, char** argv)
{
    std::uint32_t iterations =
        argc > 1 ? static_cast<std::uint32_t>(std::strtoul(argv[1], nullptr, 10)) : 10'000'000;
    std::string reference, fast, portable;
    double openssl_time = time_engine(Pbkdf2Engine::OpenSsl, iterations, reference);
    double fast_time = time_engine(Pbkdf2Engine::Best, iterations, fast);
    double portable_time = time_engine(Pbkdf2Engine::Portable, iterations, portable);
    std::printf("PBKDF2-HMAC-SHA256, %u iterations\n", iterations);
    std::printf("  OpenSSL PKCS5_PBKDF2_HMAC  %7.3f s\n", openssl_time);
    std::printf("  bkcheck (%s)        %7.3f s   ratio %.2f\n",
                pbkdf2_uses_sha_ni() ? "SHA-NI " : "no SHA-NI", fast_time,
                fast_time / openssl_time);
    std::printf("  bkcheck (portable)       %7.3f s   ratio %.2f\n", portable_time,
                portable_time / openssl_time);
    std::string fast_cancellable, evp_cancellable;
    double fast_cancellable_time =
        time_cancellable(Pbkdf2Engine::Best, iterations, fast_cancellable);
    double evp_time = time_cancellable(Pbkdf2Engine::OpenSsl, iterations, evp_cancellable);
    std::printf("  bkcheck (%s), cancellable  %7.3f s   ratio %.2f\n",
                pbkdf2_uses_sha_ni() ? "SHA-NI " : "no SHA-NI", fast_cancellable_time,
                fast_cancellable_time / openssl_time);
    std::printf("  EVP rounds, cancellable  %7.3f s   ratio %.2f\n", evp_time,
                evp_time / openssl_time);
    bool same = reference == fast && reference == portable && reference == fast_cancellable &&
                reference == evp_cancellable;
    std::printf("  outputs %s\n", same ? "identical" : "DIFFER");
    return same ? 0 : 1;
}
