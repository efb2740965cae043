// SHA-256 compression with the Intel SHA extensions (SHA-NI): four rounds per pair of
// sha256rnds2 instructions, the message schedule by sha256msg1/msg2. Compiled for those
// instructions only in this file; callers check sha256_has_sha_ni() first.
#include "sha256_block.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

namespace bkcheck::detail {
namespace {

#define BKCHECK_SHA_NI __attribute__((target("sha,sse4.1,ssse3"), always_inline)) inline

// Group g does rounds 4g..4g+3; the schedule for later groups is computed in flight, with w[] as a
// ring of the last four 4-word message blocks. state0/state1 are in the ABEF/CDGH order the
// instructions use; the saved input state is added at the end.
BKCHECK_SHA_NI void compress_abef(__m128i& state0, __m128i& state1, __m128i w[4])
{
    const __m128i abef_saved = state0;
    const __m128i cdgh_saved = state1;
#define BKCHECK_SHA256_GROUP(g)                                                               \
    {                                                                                         \
        __m128i message = _mm_add_epi32(                                                      \
            w[(g) % 4], _mm_load_si128(reinterpret_cast<const __m128i*>(&k_round[4 * (g)]))); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, message);                              \
        if ((g) >= 3 && (g) <= 14) {                                                          \
            __m128i carry = _mm_alignr_epi8(w[(g) % 4], w[((g) + 3) % 4], 4);                 \
            w[((g) + 1) % 4] =                                                                \
                _mm_sha256msg2_epu32(_mm_add_epi32(w[((g) + 1) % 4], carry), w[(g) % 4]);     \
        }                                                                                     \
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(message, 0x0E));     \
        if ((g) >= 1 && (g) <= 12)                                                            \
            w[((g) + 3) % 4] = _mm_sha256msg1_epu32(w[((g) + 3) % 4], w[(g) % 4]);            \
    }
    BKCHECK_SHA256_GROUP(0)
    BKCHECK_SHA256_GROUP(1) BKCHECK_SHA256_GROUP(2) BKCHECK_SHA256_GROUP(3) BKCHECK_SHA256_GROUP(4)
        BKCHECK_SHA256_GROUP(5) BKCHECK_SHA256_GROUP(6) BKCHECK_SHA256_GROUP(7)
            BKCHECK_SHA256_GROUP(8) BKCHECK_SHA256_GROUP(9) BKCHECK_SHA256_GROUP(10)
                BKCHECK_SHA256_GROUP(11) BKCHECK_SHA256_GROUP(12) BKCHECK_SHA256_GROUP(13)
                    BKCHECK_SHA256_GROUP(14) BKCHECK_SHA256_GROUP(15)
#undef BKCHECK_SHA256_GROUP
                        state0 = _mm_add_epi32(state0, abef_saved);
    state1 = _mm_add_epi32(state1, cdgh_saved);
}

// state words A..H (lanes ABCD, EFGH) <-> the instructions' ABEF/CDGH.
BKCHECK_SHA_NI void to_abef(__m128i abcd, __m128i efgh, __m128i& state0, __m128i& state1)
{
    __m128i tmp = _mm_shuffle_epi32(abcd, 0xB1);
    state1 = _mm_shuffle_epi32(efgh, 0x1B);
    state0 = _mm_alignr_epi8(tmp, state1, 8);
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);
}

BKCHECK_SHA_NI void from_abef(__m128i state0, __m128i state1, __m128i& abcd, __m128i& efgh)
{
    __m128i tmp = _mm_shuffle_epi32(state0, 0x1B);
    state1 = _mm_shuffle_epi32(state1, 0xB1);
    abcd = _mm_blend_epi16(tmp, state1, 0xF0);
    efgh = _mm_alignr_epi8(state1, tmp, 8);
}

}  // namespace

__attribute__((target("sha,sse4.1,ssse3"))) void sha256_compress_sha_ni(
    std::uint32_t state[8], const std::uint8_t block[64])
{
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i state0, state1;
    to_abef(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0])),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4])), state0, state1);
    __m128i w[4];
    for (int i = 0; i < 4; ++i) {
        w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i)),
                                byte_swap);
    }
    compress_abef(state0, state1, w);
    __m128i abcd, efgh;
    from_abef(state0, state1, abcd, efgh);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), abcd);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), efgh);
}

__attribute__((target("sha,sse4.1,ssse3"))) void sha256_sha_ni_pbkdf2_rounds(
    const std::uint32_t inner[8], const std::uint32_t outer[8], std::uint32_t u[8],
    std::uint32_t t[8], std::uint32_t rounds)
{
    // Everything stays in registers: the digest words are the next message's first eight words, and
    // the rest of that 64-byte block is the fixed padding for a 96-byte HMAC message.
    __m128i inner0, inner1, outer0, outer1;
    to_abef(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&inner[0])),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(&inner[4])), inner0, inner1);
    to_abef(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&outer[0])),
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(&outer[4])), outer0, outer1);
    const __m128i padding_words = _mm_set_epi32(0, 0, 0, static_cast<int>(0x80000000u));
    const __m128i length_words = _mm_set_epi32((64 + 32) * 8, 0, 0, 0);
    __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&u[0]));
    __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&u[4]));
    __m128i t0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&t[0]));
    __m128i t1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&t[4]));
    for (std::uint32_t round = 0; round < rounds; ++round) {
        for (int half = 0; half < 2; ++half) {
            __m128i state0 = half == 0 ? inner0 : outer0;
            __m128i state1 = half == 0 ? inner1 : outer1;
            __m128i w[4] = {abcd, efgh, padding_words, length_words};
            compress_abef(state0, state1, w);
            from_abef(state0, state1, abcd, efgh);
        }
        t0 = _mm_xor_si128(t0, abcd);
        t1 = _mm_xor_si128(t1, efgh);
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&u[0]), abcd);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&u[4]), efgh);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&t[0]), t0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&t[4]), t1);
}

}  // namespace bkcheck::detail

#else

namespace bkcheck::detail {

// Never called: sha256_has_sha_ni() is false off x86.
void sha256_compress_sha_ni(std::uint32_t state[8], const std::uint8_t block[64])
{
    sha256_compress_portable(state, block);
}

void sha256_sha_ni_pbkdf2_rounds(const std::uint32_t[8], const std::uint32_t[8], std::uint32_t[8],
                                 std::uint32_t[8], std::uint32_t)
{
}

}  // namespace bkcheck::detail

#endif
