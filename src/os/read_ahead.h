// Tells the OS a file is about to be read once, front to back, so it reads ahead: Linux
// posix_fadvise(SEQUENTIAL), macOS fcntl(F_RDADVISE) over the first bytes (its own read-ahead
// follows from there); nothing where the OS has no such hint. Only a hint: failures are ignored.
#pragma once

#include <cstdint>

namespace bkcheck::detail {

// How many bytes from the start macOS is asked to read ahead for a file of `size` bytes: all of a
// small file, a bounded window of a large one (F_RDADVISE takes an int, and a whole video read
// ahead at once would push other files out of the cache).
int read_advice_length(std::uint64_t size);

void advise_sequential_read(int fd);

}  // namespace bkcheck::detail
