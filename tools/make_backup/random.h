// A small deterministic PRNG (SplitMix64). The standard engines are portable but the standard
// distributions are not, and testdata must come out byte-identical on every compiler.
#pragma once

#include "bytes.h"

#include <cstdint>
#include <string_view>

namespace bkcheck::testgen {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}

    // A generator for one named purpose ("keys", a fileID...), independent of how many numbers
    // other purposes drew, so adding a file does not change every other file's bytes.
    static Rng derive(std::uint64_t seed, std::string_view purpose)
    {
        std::uint64_t h = 1469598103934665603ull ^ seed;  // FNV-1a over the purpose
        for (char c : purpose) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        return Rng(h);
    }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    // Uniform enough in [0, bound) for test data; bound must be > 0.
    std::uint64_t below(std::uint64_t bound) { return next() % bound; }

    Bytes bytes(std::size_t count)
    {
        Bytes out(count);
        fill(out.data(), count);
        return out;
    }

    void fill(std::uint8_t* out, std::size_t count)
    {
        std::size_t i = 0;
        while (i < count) {
            std::uint64_t value = next();
            for (int b = 0; b < 8 && i < count; ++b, ++i)
                out[i] = static_cast<std::uint8_t>(value >> (8 * b));
        }
    }

private:
    std::uint64_t m_state;
};

}  // namespace bkcheck::testgen
