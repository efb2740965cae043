// Runs a test body once per kind of backup the generator writes (Manifest.db or Manifest.mbdb,
// plain or encrypted), each in a Catch2 section of its own.
#pragma once

#include "bkcheck/manifest.h"

#include <catch2/catch.hpp>

namespace bkcheck::test {

template <typename Body>
void for_each_variant(Body body)
{
    for (IndexFormat format : {IndexFormat::ManifestDb, IndexFormat::ManifestMbdb}) {
        for (bool encrypted : {false, true}) {
            DYNAMIC_SECTION((format == IndexFormat::ManifestDb ? "Manifest.db" : "Manifest.mbdb")
                            << (encrypted ? " encrypted" : " plain"))
            {
                body(format, encrypted);
            }
        }
    }
}

}  // namespace bkcheck::test
