#include "bytes.h"
#include "crypto.h"
#include "pbkdf2.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

using namespace bkcheck;

namespace {

std::string hex_of(const SecretBytes& key)
{
    return to_hex(key.view());
}

}  // namespace

TEST_CASE("PBKDF2-HMAC-SHA256 known vectors, every engine", "[pbkdf2]")
{
    for (Pbkdf2Engine engine :
         {Pbkdf2Engine::Best, Pbkdf2Engine::Portable, Pbkdf2Engine::OpenSsl}) {
        CHECK(hex_of(pbkdf2_hmac_sha256(as_bytes("password"), as_bytes("salt"), 1, 32, engine)) ==
              "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
        CHECK(
            hex_of(pbkdf2_hmac_sha256(as_bytes("password"), as_bytes("salt"), 4096, 32, engine)) ==
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
        CHECK(hex_of(pbkdf2_hmac_sha256(as_bytes("passwordPASSWORDpassword"),
                                        as_bytes("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096, 40,
                                        engine)) ==
              "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
    }
}

TEST_CASE("format.md §5.8 stage 1 with the fast engine", "[pbkdf2]")
{
    CHECK(hex_of(pbkdf2_hmac_sha256(as_bytes("test"), Bytes(20, 0x11), 1000, 32)) ==
          "951d04cf679a8889f5f4cc2ad01102b0c0ab7cc1ae84122c306975197bcb5bf3");
}

TEST_CASE("PBKDF2-HMAC-SHA1 RFC 6070 vectors", "[pbkdf2]")
{
    CHECK(hex_of(pbkdf2_hmac_sha1(as_bytes("password"), as_bytes("salt"), 2, 20)) ==
          "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    CHECK(hex_of(pbkdf2_hmac_sha1(as_bytes("password"), as_bytes("salt"), 4096, 20)) ==
          "4b007901b765489abead49d926f721d065a429c1");
}

TEST_CASE("fast PBKDF2-SHA256 equals OpenSSL on random inputs, long passwords and long outputs",
          "[pbkdf2]")
{
    std::mt19937 random(1234);
    for (int trial = 0; trial < 60; ++trial) {
        Bytes password(random() % 150), salt(random() % 90);
        for (auto& byte : password) byte = static_cast<std::uint8_t>(random());
        for (auto& byte : salt) byte = static_cast<std::uint8_t>(random());
        std::uint32_t iterations = 1 + random() % 50;
        std::size_t length = 1 + random() % 100;
        std::string reference =
            hex_of(pbkdf2_hmac_sha256(password, salt, iterations, length, Pbkdf2Engine::OpenSsl));
        CHECK(hex_of(pbkdf2_hmac_sha256(password, salt, iterations, length, Pbkdf2Engine::Best)) ==
              reference);
        CHECK(hex_of(pbkdf2_hmac_sha256(password, salt, iterations, length,
                                        Pbkdf2Engine::Portable)) == reference);
    }
}

TEST_CASE("cancellable PBKDF2 gives the same keys as the reference, every engine and SHA-1",
          "[pbkdf2]")
{
    std::atomic<bool> never{false};
    std::mt19937 random(99);
    for (int trial = 0; trial < 30; ++trial) {
        Bytes password(random() % 150), salt(random() % 90);
        for (auto& byte : password) byte = static_cast<std::uint8_t>(random());
        for (auto& byte : salt) byte = static_cast<std::uint8_t>(random());
        // Across chunk boundaries too: k_pbkdf2_cancel_rounds - 1 .. + 2 and a few chunks.
        std::uint32_t iterations =
            trial < 4 ? k_pbkdf2_cancel_rounds - 1 + static_cast<std::uint32_t>(trial)
                      : 1 + random() % (3 * k_pbkdf2_cancel_rounds);
        std::size_t length = 1 + random() % 100;
        std::string reference =
            hex_of(pbkdf2_hmac_sha256(password, salt, iterations, length, Pbkdf2Engine::OpenSsl));
        for (Pbkdf2Engine engine :
             {Pbkdf2Engine::Best, Pbkdf2Engine::Portable, Pbkdf2Engine::OpenSsl}) {
            auto key = pbkdf2_hmac_sha256(password, salt, iterations, length, &never, engine);
            REQUIRE(key);
            CHECK(hex_of(*key) == reference);
            auto without_flag =
                pbkdf2_hmac_sha256(password, salt, iterations, length, nullptr, engine);
            REQUIRE(without_flag);
            CHECK(hex_of(*without_flag) == reference);
        }
        auto sha1 = pbkdf2_hmac_sha1(password, salt, iterations, length, &never);
        REQUIRE(sha1);
        CHECK(hex_of(*sha1) == hex_of(pbkdf2_hmac_sha1(password, salt, iterations, length)));
    }
    auto rfc6070 = pbkdf2_hmac_sha1(as_bytes("password"), as_bytes("salt"), 4096, 20, &never);
    REQUIRE(rfc6070);
    CHECK(hex_of(*rfc6070) == "4b007901b765489abead49d926f721d065a429c1");
}

TEST_CASE("PBKDF2 stops within a chunk of rounds once cancelled, every engine and SHA-1",
          "[pbkdf2]")
{
    std::atomic<bool> cancel{true};
    // 4,000,000,000 rounds would take minutes to hours: a set flag must end it in the first chunk.
    constexpr std::uint32_t k_forever = 4'000'000'000u;
    for (Pbkdf2Engine engine :
         {Pbkdf2Engine::Best, Pbkdf2Engine::Portable, Pbkdf2Engine::OpenSsl}) {
        auto key =
            pbkdf2_hmac_sha256(as_bytes("pw"), Bytes(20, 0x11), k_forever, 32, &cancel, engine);
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::Interrupted);
    }
    auto sha1 = pbkdf2_hmac_sha1(as_bytes("pw"), Bytes(20, 0x22), k_forever, 32, &cancel);
    REQUIRE_FALSE(sha1);
    CHECK(sha1.error().code == ErrorCode::Interrupted);

    // Set from another thread while the derivation runs (as the SIGINT handler does): it returns
    // soon.
    std::atomic<bool> later{false};
    for (Pbkdf2Engine engine : {Pbkdf2Engine::Best, Pbkdf2Engine::OpenSsl}) {
        later = false;
        auto start = std::chrono::steady_clock::now();
        std::thread setter([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            later = true;
        });
        auto key =
            pbkdf2_hmac_sha256(as_bytes("pw"), Bytes(20, 0x11), k_forever, 32, &later, engine);
        setter.join();
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::Interrupted);
        CHECK(seconds < 2.0);
    }
}
