#include "bytes.h"
#include "crypto.h"
#include "keybag.h"

#include "plist.h"
#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace bkcheck;
namespace fs = std::filesystem;

namespace {

Bytes hex(std::string_view text)
{
    return *from_hex(text);
}

// format.md §5.8: password "test", DPSL 20×11, DPIC 1000, SALT 20×22, ITER 10, one class-4 record.
const char* const k_synthetic_keybag =
    "5645525300000004000000055459504500000004000000015555494400000010000000000000000000000000000000"
    "00"
    "484d434b00000028000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "57524150000000040000000053414c5400000014222222222222222222222222222222222222222249544552000000"
    "04"
    "0000000a4450575400000004000000014450494300000004000003e84450534c000000141111111111111111111111"
    "11"
    "1111111111111111555549440000001001010101010101010101010101010101434c41530000000400000004575241"
    "50"
    "00000004000000024b545950000000040000000057504b59000000281ad77013269f90342e08768ce4aa395924b747"
    "32"
    "637e797f1500723a2a51a59347a35516005ee457";

struct RealManifest {
    Bytes keybag;
    Bytes manifest_key;
};

std::optional<RealManifest> read_manifest_plist(const fs::path& file)
{
    Bytes bytes = test::read_bytes(file);
    auto document = PlistDocument::parse(bytes, file.string());
    if (!document) return std::nullopt;
    return RealManifest{document->root()["BackupKeyBag"].data().value_or(Bytes()),
                        document->root()["ManifestKey"].data().value_or(Bytes())};
}

}  // namespace

TEST_CASE("RFC 3394 §4.6: wrap and unwrap 256 bits of key data with a 256-bit KEK", "[crypto]")
{
    Bytes kek = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    Bytes data = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    Bytes wrapped =
        hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
    CHECK(aes_key_wrap(kek, data) == wrapped);
    auto unwrapped = aes_key_unwrap(kek, wrapped);
    REQUIRE(unwrapped);
    CHECK(Bytes(unwrapped->view().begin(), unwrapped->view().end()) == data);
    wrapped[5] ^= 1;
    CHECK_FALSE(aes_key_unwrap(kek, wrapped));
}

TEST_CASE("format.md §5.8: the synthetic chain from password to plaintext", "[keybag][crypto]")
{
    auto keybag = parse_keybag(hex(k_synthetic_keybag));
    REQUIRE(keybag);
    CHECK(keybag->version == 5u);
    CHECK(keybag->iterations == 10u);
    CHECK(keybag->dp_iterations == 1000u);
    REQUIRE(keybag->classes.size() == 1);
    CHECK(keybag->classes[0].protection_class == 4u);
    CHECK(serialize_keybag(*keybag) == hex(k_synthetic_keybag));

    auto passcode = derive_passcode_key(*keybag, "test");
    REQUIRE(passcode);
    CHECK(to_hex(passcode->view()) ==
          "464693be2f5903ec472e906cd9d116b42fd04afc218f5ed13131e52809365248");
    auto keys = unlock_keybag(*keybag, *passcode);
    REQUIRE(keys);
    CHECK(to_hex(keys->keys.at(4).view()) ==
          "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f");
    auto file_key =
        unwrap_class_wrapped_key(*keys, hex("04000000dae69b6f38b9b81892fe29a323dabe48205d1949a0c4a7"
                                            "4ef937ef83e96f1b64eb8dda2208fba5a6"));
    REQUIRE(file_key);
    Bytes blob = hex("a7dd8ec1ba18d39aad258c5b099937063febc0b99238765055b9d71359b5408e");
    auto plaintext = aes_cbc_decrypt(file_key->view(), blob);
    REQUIRE(plaintext);
    CHECK(std::string(plaintext->begin(), plaintext->end()) == "Hello, bkcheck!\n");
    CHECK(aes_cbc_encrypt(file_key->view(), *plaintext) == blob);

    // Streamed in odd chunk sizes, the same plaintext and a valid padding.
    CbcDecryptor decryptor;
    decryptor.reset(file_key->view());
    Bytes out, all;
    for (std::size_t at = 0; at < blob.size(); at += 7) {
        decryptor.update(ByteView(blob).subspan(at, std::min<std::size_t>(7, blob.size() - at)),
                         out);
        all.insert(all.end(), out.begin(), out.end());
    }
    auto final = decryptor.finish();
    all.insert(all.end(), final.tail.begin(), final.tail.end());
    CHECK(final.padding == PaddingStatus::Valid);
    CHECK(final.plaintext_size == 16);
    CHECK(std::string(all.begin(), all.end()) == "Hello, bkcheck!\n");

    auto wrong = unlock_keybag(*keybag, *derive_passcode_key(*keybag, "wrong"));
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::WrongPassword);
    CHECK(wrong.error().message == "the password does not unlock this backup");
}

TEST_CASE("damaged padding is told apart", "[crypto]")
{
    Bytes key(32, 7);
    Bytes blob = aes_cbc_encrypt(key, as_bytes("some content that is longer than one block"));
    blob.back() ^= 0x55;
    CHECK_FALSE(aes_cbc_decrypt(key, blob));
    CbcDecryptor decryptor;
    decryptor.reset(key);
    Bytes out;
    decryptor.update(blob, out);
    CHECK(decryptor.finish().padding == PaddingStatus::Invalid);
    decryptor.reset(key);
    decryptor.update(ByteView(blob).first(blob.size() - 3), out);  // not whole blocks
    CHECK(decryptor.finish().padding == PaddingStatus::Invalid);
}

TEST_CASE("CbcFinalBlock says what a full CbcDecryptor says, from the last block alone", "[crypto]")
{
    // Same verdict, plaintext length and last-block plaintext for every length around the block
    // boundaries, chunkings that split the last two blocks, damaged padding, a damaged
    // second-to-last block (it is the last block's IV), truncation, a wrong key and an empty
    // stream; one object reused for all of them, as verify's workers do.
    Bytes key(32, 0x11), other_key(32, 0x22);
    CbcFinalBlock final_block;
    CbcDecryptor decryptor;
    std::size_t compared = 0, valid = 0;
    auto compare = [&](ByteView stored, ByteView with_key, std::size_t chunk) {
        final_block.reset(with_key);
        decryptor.reset(with_key);
        Bytes ignored;
        for (std::size_t at = 0; at < stored.size(); at += chunk) {
            ByteView part = stored.subspan(at, std::min(chunk, stored.size() - at));
            final_block.update(part);
            decryptor.update(part, ignored);
        }
        auto fast = final_block.finish();
        auto full = decryptor.finish();
        CAPTURE(stored.size(), chunk);
        REQUIRE(fast.padding == full.padding);
        REQUIRE(fast.plaintext_size == full.plaintext_size);
        REQUIRE(fast.tail == full.tail);
        ++compared;
        valid += fast.padding == PaddingStatus::Valid;
    };
    for (std::size_t length : {0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 100}) {
        Bytes plaintext(length);
        for (std::size_t i = 0; i < length; ++i)
            plaintext[i] = static_cast<std::uint8_t>(i * 37 + length);
        Bytes blob = aes_cbc_encrypt(key, plaintext);
        for (std::size_t chunk :
             {std::size_t{1}, std::size_t{5}, std::size_t{16}, std::size_t{33}, blob.size()}) {
            compare(blob, key, chunk);
            compare(blob, other_key, chunk);
            compare(ByteView(blob).first(blob.size() - 1), key, chunk);
            Bytes damaged = blob;
            damaged.back() ^= 0x01;
            compare(damaged, key, chunk);
            if (blob.size() >= 32) {
                damaged = blob;
                damaged[blob.size() - 17] ^= 0x01;  // flips the same bit of the last plaintext byte
                compare(damaged, key, chunk);
            }
        }
    }
    compare(ByteView(), key, 1);
    CHECK(compared > 200);
    CHECK(valid > 50);
}

TEST_CASE("keybag: truncated at every offset is an error or a shorter keybag, never a crash",
          "[keybag]")
{
    Bytes bytes = hex(k_synthetic_keybag);
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        auto keybag = parse_keybag(ByteView(bytes.data(), cut));
        if (keybag) CHECK(keybag->classes.size() <= 1);
    }
    Bytes bad = bytes;
    bad[7] = 5;  // VERS with a 5-byte length
    CHECK_FALSE(parse_keybag(bad));
}

TEST_CASE("keybag: absurd iteration counts are refused before deriving", "[keybag]")
{
    auto keybag = parse_keybag(hex(k_synthetic_keybag));
    REQUIRE(keybag);
    keybag->dp_iterations = 4'000'000'000u;
    auto key = derive_passcode_key(*keybag, "test");
    REQUIRE_FALSE(key);
    CHECK(key.error().code == ErrorCode::Unsupported);
}

TEST_CASE("real keybags unlock with their passwords and refuse others", "[keybag][real]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    struct Case {
        fs::path file;
        const char* password;
    };
    const Case cases[] = {
        {fixtures / "john-keybags" / "Manifest-9-test123.plist", "test123"},
        {fixtures / "john-keybags" / "Manifest-9-123456.plist", "123456"},
        {fixtures / "hackvent2020-ios9-encrypted" / "65195ba5-2dac-49a4-9606-c9d8733bebcf" /
             "Manifest.plist",
         "20201225"},
    };
    for (const Case& c : cases) {
        auto manifest = read_manifest_plist(c.file);
        REQUIRE(manifest);
        auto keybag = parse_keybag(manifest->keybag);
        REQUIRE(keybag);
        CHECK(keybag->dp_salt.empty());  // iOS 9: one PBKDF2 stage
        auto keys = unlock_keybag(*keybag, *derive_passcode_key(*keybag, c.password));
        REQUIRE(keys);
        CHECK(keys->keys.count(4) == 1);
        auto wrong = unlock_keybag(*keybag, *derive_passcode_key(*keybag, "not-the-password"));
        REQUIRE_FALSE(wrong);
        CHECK(wrong.error().code == ErrorCode::WrongPassword);
    }
}

TEST_CASE("real iOS 10.2 keybag: two-stage derivation decided by tags, ManifestKey unwraps",
          "[keybag][real][slow]")
{
    fs::path fixtures = test::real_fixtures();
    if (fixtures.empty()) {
        WARN("skipped: ../shared/fixtures/real is not present");
        return;
    }
    auto manifest = read_manifest_plist(fixtures / "john-keybags" / "Manifest-10-test123.plist");
    REQUIRE(manifest);
    auto keybag = parse_keybag(manifest->keybag);
    REQUIRE(keybag);
    CHECK(keybag->dp_iterations == 10'000'000u);
    auto keys = unlock_keybag(*keybag, *derive_passcode_key(*keybag, "test123"));
    REQUIRE(keys);
    auto manifest_key = unwrap_class_wrapped_key(*keys, manifest->manifest_key);
    REQUIRE(manifest_key);
    CHECK(manifest_key->size() == 32);
}

TEST_CASE("keybag: a damaged count is a damaged keybag, never a wrong password", "[keybag]")
{
    struct Case {
        const char* what;
        void (*damage)(Keybag&);
        const char* says;
    };
    const Case cases[] = {
        {"DPIC 0", [](Keybag& k) { k.dp_iterations = 0u; }, "DPIC is 0"},
        {"ITER 0", [](Keybag& k) { k.iterations = 0u; }, "ITER is 0"},
        {"no ITER", [](Keybag& k) { k.iterations.reset(); }, "no ITER"},
        {"no SALT", [](Keybag& k) { k.salt.clear(); }, "no SALT"},
        {"DPSL without DPIC", [](Keybag& k) { k.dp_iterations.reset(); }, "DPSL but no DPIC"},
        {"DPIC without DPSL", [](Keybag& k) { k.dp_salt.clear(); }, "DPIC but no DPSL"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        auto keybag = parse_keybag(hex(k_synthetic_keybag));
        REQUIRE(keybag);
        c.damage(*keybag);
        // Through the bytes, as a backup would hold it.
        auto reparsed = parse_keybag(serialize_keybag(*keybag));
        REQUIRE(reparsed);
        auto key = derive_passcode_key(*reparsed, "test");
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::Corrupt);
        CHECK(key.error().message.find(c.says) != std::string::npos);
    }
    // Before: DPIC 0 skipped the first stage, the key did not unwrap, and the password was blamed.
    auto sound = parse_keybag(hex(k_synthetic_keybag));
    REQUIRE(sound);
    auto key = derive_passcode_key(*sound, "test");
    REQUIRE(key);
    CHECK(unlock_keybag(*sound, *key));
}

TEST_CASE("keybag: a cancelled derivation is Interrupted", "[keybag]")
{
    auto keybag = parse_keybag(hex(k_synthetic_keybag));
    REQUIRE(keybag);
    keybag->dp_iterations = k_max_dp_iterations;
    std::atomic<bool> cancel{true};
    auto key = derive_passcode_key(*keybag, "test", &cancel);
    REQUIRE_FALSE(key);
    CHECK(key.error().code == ErrorCode::Interrupted);
}
