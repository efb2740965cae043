/* Declarations of the Darwin calls bkcheck's macOS branches use, as <stdio.h>, <fcntl.h> and
 * <sys/mount.h> give them on macOS (SDK 13), so those branches can be compiled on Linux. */
#include <stdint.h>
#include <sys/types.h>
#define RENAME_EXCL 0x00000004
extern "C" int renameatx_np(int, const char*, int, const char*, unsigned int);
#define F_FULLFSYNC 51
#define F_RDADVISE 44
struct radvisory {
    off_t ra_offset;
    int ra_count;
};
struct statfs {
    uint32_t f_bsize;
    int32_t f_iosize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
};
extern "C" int statfs(const char*, struct statfs*);
