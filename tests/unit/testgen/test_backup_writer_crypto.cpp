// Encrypted backups from the generator, decrypted here with OpenSSL calls of the test's own (not
// the generator's helpers, not the library's reader): keybag TLV, passcode key, class key,
// ManifestKey, Manifest.db, per-file keys and blobs (format.md §5). Plus the §5.8 synthetic
// vectors.
#include "bytes.h"
#include "make_backup/backup_writer.h"
#include "make_backup/content.h"
#include "make_backup/encrypt_writer.h"
#include "make_backup/random.h"

#include "bkcheck/backup.h"
#include "manifest_db.h"
#include "mbdb.h"

#include "support/file_contents.h"
#include "support/temp_dir.h"

#include <openssl/evp.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <map>

using namespace bkcheck;
using namespace bkcheck::testgen;

namespace {

using test::read_bytes;

Bytes hex(std::string_view text)
{
    return from_hex(text).value_or(Bytes());
}

// Independent oracle: one EVP call sequence, unwrap (wrap = true) or CBC decrypt with padding.
Bytes evp_decrypt(ByteView key, ByteView input, bool wrap)
{
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (wrap) EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    static const unsigned char k_iv[16] = {};
    EVP_DecryptInit_ex(ctx, wrap ? EVP_aes_256_wrap() : EVP_aes_256_cbc(), nullptr, key.data(),
                       wrap ? nullptr : k_iv);
    Bytes out(input.size() + 16);
    int n = 0, m = 0;
    bool ok =
        EVP_DecryptUpdate(ctx, out.data(), &n, input.data(), static_cast<int>(input.size())) == 1 &&
        EVP_DecryptFinal_ex(ctx, out.data() + n, &m) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) return {};
    out.resize(static_cast<std::size_t>(n + m));
    return out;
}

// Keybag TLV: header tags, then class records keyed by CLAS (only WPKY and WRAP kept).
struct ParsedKeybag {
    std::map<std::string, Bytes> header;
    std::map<std::uint32_t, std::pair<std::uint32_t, Bytes>> classes;  // class -> (WRAP, WPKY)
};

std::uint32_t be32(ByteView bytes)
{
    return bytes.size() == 4 ? (std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
                                std::uint32_t{bytes[2]} << 8 | bytes[3])
                             : 0;
}

ParsedKeybag parse_keybag(const Bytes& blob)
{
    ParsedKeybag keybag;
    int uuids = 0;
    std::uint32_t clas = 0, wrap = 0;
    for (std::size_t pos = 0; pos + 8 <= blob.size();) {
        std::string tag(blob.begin() + static_cast<long>(pos),
                        blob.begin() + static_cast<long>(pos) + 4);
        std::uint32_t length = be32(ByteView(blob.data() + pos + 4, 4));
        Bytes value(blob.begin() + static_cast<long>(pos) + 8,
                    blob.begin() + static_cast<long>(pos + 8 + length));
        pos += 8 + length;
        if (tag == "UUID") ++uuids;
        if (uuids < 2) {
            keybag.header[tag] = value;
        } else if (tag == "CLAS") {
            clas = be32(value);
        } else if (tag == "WRAP") {
            wrap = be32(value);
        } else if (tag == "WPKY") {
            keybag.classes[clas] = {wrap, value};
        }
    }
    return keybag;
}

// §5.2, with OpenSSL directly.
Bytes passcode_key(const ParsedKeybag& keybag, std::string_view password)
{
    auto derive = [](ByteView pw, const Bytes& salt, std::uint32_t rounds, const EVP_MD* md) {
        Bytes out(32);
        PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(pw.data()), static_cast<int>(pw.size()),
                          salt.data(), static_cast<int>(salt.size()), static_cast<int>(rounds), md,
                          32, out.data());
        return out;
    };
    Bytes input(password.begin(), password.end());
    if (keybag.header.count("DPSL") != 0) {
        input =
            derive(input, keybag.header.at("DPSL"), be32(keybag.header.at("DPIC")), EVP_sha256());
    }
    return derive(input, keybag.header.at("SALT"), be32(keybag.header.at("ITER")), EVP_sha1());
}

Bytes sha1_of(ByteView bytes)
{
    Bytes digest(20);
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), nullptr, EVP_sha1(), nullptr);
    return digest;
}

// Unwraps a 44-byte EncryptionKey/ManifestKey with the class key its LE prefix names.
Bytes unwrap_prefixed(const std::map<std::uint32_t, Bytes>& class_keys, const Bytes& key44)
{
    REQUIRE(key44.size() == 44);
    std::uint32_t clas = key44[0] | key44[1] << 8 | key44[2] << 16 | std::uint32_t{key44[3]} << 24;
    REQUIRE(class_keys.count(clas) == 1);
    return evp_decrypt(class_keys.at(clas), ByteView(key44).subspan(4), true);
}

std::map<std::uint32_t, Bytes> unlock(const Backup& backup, std::string_view password)
{
    ParsedKeybag keybag = parse_keybag(backup.manifest.value.keybag);
    CHECK(be32(keybag.header.at("VERS")) == 5);
    CHECK(be32(keybag.header.at("TYPE")) == 1);
    CHECK(keybag.header.at("HMCK") == Bytes(40, 0));
    CHECK(keybag.classes.size() == 11);
    Bytes key = passcode_key(keybag, password);
    std::map<std::uint32_t, Bytes> class_keys;
    for (const auto& [clas, entry] : keybag.classes) {
        CHECK(entry.first == ((clas == 5 || clas >= 9) ? 3u : 2u));
        Bytes class_key = evp_decrypt(key, entry.second, true);
        REQUIRE(class_key.size() == 32);
        class_keys[clas] = class_key;
    }
    return class_keys;
}

void check_blobs(const fs::path& dir, const std::vector<FileRecord>& records,
                 const std::map<std::uint32_t, Bytes>& keys, const BackupSpec& spec, bool flat)
{
    std::size_t decrypted = 0;
    for (const FileRecord& record : records) {
        if (record.kind != FileKind::File) continue;
        CHECK(record.encryption_key.size() == 44);
        CHECK(record.encryption_key[0] == record.protection_class);
        Bytes file_key = unwrap_prefixed(keys, record.encryption_key);
        REQUIRE(file_key.size() == 32);
        Bytes blob = read_bytes(flat ? dir / record.file_id
                                     : dir / record.file_id.substr(0, 2) / record.file_id);
        CHECK(blob.size() == 16 * (record.size / 16 + 1));
        CHECK(evp_decrypt(file_key, blob, false) == make_content(record, spec.seed));
        ++decrypted;
    }
    CHECK(decrypted == static_cast<std::size_t>(spec.file_count));
}

}  // namespace

TEST_CASE("encrypt_writer reproduces the synthetic vectors of format.md §5.8", "[testgen][crypto]")
{
    Bytes stage1 = *pbkdf2(as_bytes("test"), Bytes(20, 0x11), 1000, true);
    CHECK(to_hex(stage1) == "951d04cf679a8889f5f4cc2ad01102b0c0ab7cc1ae84122c306975197bcb5bf3");
    Bytes key = *pbkdf2(stage1, Bytes(20, 0x22), 10, false);
    CHECK(to_hex(key) == "464693be2f5903ec472e906cd9d116b42fd04afc218f5ed13131e52809365248");
    Bytes class_key(32), file_key(32);
    for (std::uint8_t i = 0; i < 32; ++i)
        class_key[i] = static_cast<std::uint8_t>(0x40 + i),
        file_key[i] = static_cast<std::uint8_t>(0x80 + i);
    CHECK(to_hex(*aes_key_wrap(key, class_key)) ==
          "1ad77013269f90342e08768ce4aa395924b74732637e797f1500723a2a51a59347a35516005ee457");
    BackupKeys keys;
    keys.class_keys[4] = class_key;
    CHECK(
        to_hex(*wrap_with_class(keys, 4, file_key)) ==
        "04000000dae69b6f38b9b81892fe29a323dabe48205d1949a0c4a74ef937ef83e96f1b64eb8dda2208fba5a6");
    Bytes blob = *aes_cbc_encrypt(file_key, as_bytes("Hello, bkcheck!\n"));
    CHECK(to_hex(blob) == "a7dd8ec1ba18d39aad258c5b099937063febc0b99238765055b9d71359b5408e");
    CHECK(to_hex(sha1_of(blob)) == "f158b2e18b31ebae8d8811334d8953473e1dd334");
    CHECK_FALSE(aes_key_unwrap(*pbkdf2(as_bytes("wrong"), Bytes(20, 0x22), 10, false),
                               *aes_key_wrap(key, class_key)));
    // RFC 3394 §4.6.
    Bytes kek(32);
    for (std::uint8_t i = 0; i < 32; ++i) kek[i] = i;
    CHECK(to_hex(*aes_key_wrap(
              kek, hex("00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f"))) ==
          "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21");
}

TEST_CASE("an encrypted Manifest.db backup decrypts with independent OpenSSL code (§5.1-5.5)",
          "[testgen][crypto]")
{
    test::TempDir temp;
    BackupSpec spec;
    spec.encrypted = true;
    spec.password = "correct horse";
    spec.file_count = 30;
    fs::path dir = *write_backup(spec, temp.path());
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    CHECK(backup->encrypted);
    ParsedKeybag keybag = parse_keybag(backup->manifest.value.keybag);
    CHECK(be32(keybag.header.at("DPIC")) == spec.dp_iterations);
    CHECK(be32(keybag.header.at("DPWT")) == 1);
    std::map<std::uint32_t, Bytes> keys = unlock(*backup, spec.password);

    Bytes cipher_db = read_bytes(dir / "Manifest.db");
    CHECK(std::string(cipher_db.begin(), cipher_db.begin() + 6) != "SQLite");
    CHECK(cipher_db.size() % 16 == 0);
    Bytes db_key = unwrap_prefixed(keys, backup->manifest.value.manifest_key);
    CHECK(backup->manifest.value.manifest_key[0] == 4);
    Bytes plain_db = evp_decrypt(db_key, cipher_db, false);
    REQUIRE(plain_db.size() + 16 == cipher_db.size());  // whole pages: a full padding block (§3.1)
    auto index = read_manifest_db_image(plain_db, "Manifest.db");
    REQUIRE(index);
    CHECK(index->index_problems.empty());
    check_blobs(dir, index->records, keys, spec, false);

    // A wrong password fails the class-key unwrap, as every reader reports it.
    CHECK(evp_decrypt(passcode_key(keybag, "wrong"), keybag.classes.at(4).second, true).empty());
}

TEST_CASE("an encrypted mbdb backup: plaintext index, SALT/ITER keybag, encrypted blobs (§5.6)",
          "[testgen][crypto]")
{
    test::TempDir temp;
    BackupSpec spec;
    spec.format = IndexFormat::ManifestMbdb;
    spec.encrypted = true;
    spec.file_count = 25;
    fs::path dir = *write_backup(spec, temp.path());
    auto backup = open_backup(real_file_system(), dir);
    REQUIRE(backup);
    ParsedKeybag keybag = parse_keybag(backup->manifest.value.keybag);
    CHECK(keybag.header.count("DPSL") == 0);
    CHECK(keybag.header.count("DPIC") == 0);
    CHECK(backup->manifest.value.manifest_key.empty());
    std::map<std::uint32_t, Bytes> keys = unlock(*backup, spec.password);
    auto index = parse_mbdb(read_bytes(dir / "Manifest.mbdb"), "Manifest.mbdb");
    REQUIRE(index);
    check_blobs(dir, index->records, keys, spec, true);
}
