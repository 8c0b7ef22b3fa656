// The CLI's one way in and one way out, the same on both targets.
//
// Input: every file the CLI reads (policy, links, records; "-" is standard input) goes through
// Source, which reads with read(2) natively and with node's fs.readSync (no file position) in
// wasm: Emscripten's NODERAWFS reads every opened file at a position, which fails on FIFOs,
// /dev/stdin and process substitution. Directories fail to read (EISDIR) on both. Every limit is
// enforced while reading, so memory stays bounded whatever arrives (/dev/zero included).
//
// Output: Output writes standard output with write(2) natively (SIGPIPE ignored: a closed pipe
// is EPIPE, reported) and fs.writeSync in wasm; a failure is remembered and reported once.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace doui::cli {

/// Takes the state of the standard descriptors; call first thing in main, before any file is
/// opened (a closed descriptor's number would be reused).
void init_io();

/// An input stream: a file, a device, a FIFO or standard input ("-").
class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  ~Source();
  /// Opens `path` ("-": standard input). False if it cannot be opened.
  bool open(const std::string& path);
  /// Reads up to `n` bytes; 0 at the end, -1 on a read error (the error sticks).
  long read(char* buf, std::size_t n);
  bool failed() const { return failed_; }

 private:
  int fd_ = -1;
  bool owned_ = false;
  bool failed_ = false;
};

enum class ReadStatus { kOk, kFailed, kTooLarge };

/// The whole of `path` ("-": standard input), at most `limit` bytes: past that kTooLarge,
/// having read no more than limit + 1 bytes.
ReadStatus read_all(const std::string& path, std::size_t limit, std::string& out);

enum class CreateStatus { kOk, kExists, kFailed };

/// Creates `path`, which must not exist (O_EXCL: never overwrites, nor follows a symlink
/// there), with permission bits `mode` (less the umask), writes `bytes` and syncs them. On a
/// failure after creating it, removes it again: the file is whole or absent.
CreateStatus create_file(const std::string& path, std::string_view bytes, int mode);

/// Removes `path` (a file this program created), ignoring failure.
void remove_file(const std::string& path);

/// Lines of a Source, read in 1 MiB blocks. A line longer than kMaxLine is cut there (no record
/// that long is valid); a line longer than kMaxSkip ends the input (too_long()), so that an
/// input that never ends (/dev/zero) is not read for ever.
class LineReader {
 public:
  static constexpr std::size_t kMaxLine = std::size_t{1} << 20;
  static constexpr std::size_t kMaxSkip = std::size_t{16} << 20;
  explicit LineReader(Source& source) : source_(source) {}
  /// The next line, without "\n" or "\r\n"; false at the end of the input. The view is valid
  /// until the next call (it points into the block read when the line lies within one).
  bool next(std::string_view& line);
  /// Everything not read yet, up to kMaxLine bytes; more sets too_long().
  std::string rest();
  /// The 1-based number of the line next() returned last.
  std::size_t line_number() const { return line_number_; }
  bool failed() const { return source_.failed(); }
  bool too_long() const { return too_long_; }

 private:
  bool fill();
  Source& source_;
  std::vector<char> buffer_ = std::vector<char>(std::size_t{1} << 20);
  std::size_t pos_ = 0, end_ = 0, line_number_ = 0;
  bool at_end_ = false, too_long_ = false;
  std::string long_line_;  // a line that spans blocks
};

/// Standard output, buffered in 64 KiB blocks.
class Output {
 public:
  Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  void write(std::string_view text);
  void line(std::string_view text) {
    write(text);
    write("\n");
  }
  /// False if standard output could not be written, now or at any earlier flush. A command
  /// that writes nothing does not fail on a closed standard output.
  bool flush();
  /// True once a write has failed: nothing more will arrive, so work for it can stop.
  bool failed() const { return !ok_; }

 private:
  std::string buffer_;
  bool closed_;
  bool ok_ = true;
};

/// Output held back until it is known to be complete: in memory up to kInMemory bytes, then in
/// an unlinked temporary file, so `export` writes all of its output or none of it.
class Spool {
 public:
  static constexpr std::size_t kInMemory = std::size_t{8} << 20;
  Spool() = default;
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;
  ~Spool();
  void line(std::string_view text);
  /// False if the temporary file could not be written.
  bool ok() const { return ok_; }
  /// Copies everything to `out`; false if the temporary file could not be read back.
  bool copy_to(Output& out);

 private:
  std::string memory_;
  std::FILE* file_ = nullptr;
  bool ok_ = true;
};

/// Writes one line to standard error with every control character, every byte that is not
/// UTF-8 and every bidirectional control escaped (\n, \u001b, \x ff), so a file name or a value
/// cannot move the cursor, forge a second line or hide text.
void error_line(std::string_view text);

/// `text` with the escapes of error_line.
std::string escape_for_terminal(std::string_view text);

/// Calls on_record(text, line) for each record: NDJSON one line at a time (memory stays flat),
/// or, when the first non-blank line is a lone "{", the entire input as one pretty-printed
/// record. False when the input holds no record.
bool for_each_record(LineReader& in, void (*on_record)(std::string_view, std::size_t, void*),
                     void* context);

template <class F>
bool for_each_record(LineReader& in, F&& on_record) {
  return for_each_record(
      in,
      [](std::string_view text, std::size_t line, void* f) {
        (*static_cast<std::remove_reference_t<F>*>(f))(text, line);
      },
      &on_record);
}

}  // namespace doui::cli
