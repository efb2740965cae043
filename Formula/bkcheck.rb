# Homebrew formula: this repository is its own tap.
#   brew tap bkcheck/bkcheck https://github.com/bkcheck/bkcheck
#   brew install bkcheck            # the release tarball below
#   brew install --HEAD bkcheck     # the main branch
# At each release, `url` and `sha256` are set to the new tag's tarball (shasum -a 256 of it).
class Bkcheck < Formula
  desc "Verify, repair and prune local iPhone/iPad backups (Finder, iTunes, idevicebackup2)"
  homepage "https://github.com/bkcheck/bkcheck"
  url "https://github.com/bkcheck/bkcheck/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  head "https://github.com/bkcheck/bkcheck.git", branch: "main"

  depends_on "catch2" => :build # the unit tests, built and run below
  depends_on "cmake" => :build
  depends_on "pkgconf" => :build
  depends_on "boost"
  depends_on "libplist"
  depends_on "openssl@3"
  depends_on "sqlite"
  depends_on "xxhash"

  def install
    system "cmake", "-S", ".", "-B", "build", "-DBKCHECK_TESTS=ON", *std_cmake_args
    system "cmake", "--build", "build"
    # The unit tests (macOS's F_FULLFSYNC, renameatx_np and statfs paths among them) must pass here.
    system "build/tests/bkcheck_tests"
    system "cmake", "--install", "build"
  end

  test do
    assert_match "bkcheck #{version}", shell_output("#{bin}/bkcheck --version")
    (testpath/"backups").mkpath
    assert_match "No backups found", shell_output("#{bin}/bkcheck list #{testpath}/backups")
    # Without Full Disk Access the default place is listed as denied, with the setting to change.
    home = testpath/"home"
    backup_root = home/"Library/Application Support/MobileSync/Backup"
    backup_root.mkpath
    chmod 0, backup_root
    output = shell_output("#{bin}/bkcheck list --platform macos --home #{home} 2>&1", 5)
    assert_match "Full Disk Access", output
  ensure
    chmod 0755, backup_root if backup_root
  end
end
