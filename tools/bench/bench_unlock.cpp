// Times unlocking a real or generated backup's keybag the way `bkcheck unlock`/`verify` do it
// (unlock_with_password: both PBKDF2 stages, then unwrapping every class key), against OpenSSL's
// PKCS5_PBKDF2_HMAC doing just the two PBKDF2 stages with the same salts and rounds. Checks both
// give the same passcode key and prints the ratio (target: <= 0.5).
// Usage: bench_unlock BACKUP_DIR PASSWORD
#include "backup_keybag.h"
#include "bytes.h"
#include "bkcheck/unlock.h"

#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <cstdio>

using namespace bkcheck;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

Bytes openssl_pbkdf2(ByteView password, ByteView salt, std::uint32_t iterations,
                     const EVP_MD* digest)
{
    Bytes out(32);
    PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                      static_cast<int>(password.size()), salt.data(), static_cast<int>(salt.size()),
                      static_cast<int>(iterations), digest, static_cast<int>(out.size()),
                      out.data());
    return out;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_unlock BACKUP_DIR PASSWORD\n");
        return 2;
    }
    std::string_view password = argv[2];
    auto backup = open_backup(real_file_system(), argv[1]);
    if (!backup) {
        std::fprintf(stderr, "bench_unlock: %s\n", backup.error().message.c_str());
        return 1;
    }
    auto keybag = backup_keybag(*backup);
    if (!keybag || !keybag->iterations) {
        std::fprintf(stderr, "bench_unlock: the backup has no usable keybag\n");
        return 1;
    }

    auto start = Clock::now();
    Bytes reference(password.begin(), password.end());
    if (keybag->dp_iterations && !keybag->dp_salt.empty()) {
        reference =
            openssl_pbkdf2(reference, keybag->dp_salt, *keybag->dp_iterations, EVP_sha256());
    }
    reference = openssl_pbkdf2(reference, keybag->salt, *keybag->iterations, EVP_sha1());
    double openssl_time = seconds_since(start);

    // With a cancel flag, as the CLI unlocks (Ctrl-C checked every few thousand rounds of both
    // stages).
    std::atomic<bool> never_cancelled{false};
    start = Clock::now();
    auto unlocked = unlock_with_password(*backup, password, &never_cancelled);
    double unlock_time = seconds_since(start);
    if (!unlocked) {
        std::fprintf(stderr, "bench_unlock: %s\n", unlocked.error().message.c_str());
        return 1;
    }
    bool same = to_hex(unlocked->passcode_key.view()) == to_hex(reference);
    std::printf("unlock: DPIC %u, ITER %u\n", keybag->dp_iterations.value_or(0),
                *keybag->iterations);
    std::printf("  OpenSSL PKCS5_PBKDF2_HMAC (both stages)  %7.3f s\n", openssl_time);
    std::printf("  bkcheck unlock_with_password             %7.3f s   ratio %.2f\n", unlock_time,
                unlock_time / openssl_time);
    std::printf("  passcode keys %s\n", same ? "identical" : "DIFFER");
    return same ? 0 : 1;
}
