#include "records_io.hpp"

#include <algorithm>
#include <cstring>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cerrno>
#endif

namespace doui::cli {

namespace {

#ifdef __EMSCRIPTEN__
// node's fs with no file position (null), so pipes and devices read like files; a descriptor
// left non-blocking by whoever started node (EAGAIN) is waited on, not taken for an error.
// (The bodies are JavaScript, stringified by the preprocessor: no backslashes, no formatting.)
// clang-format off
EM_JS(int, doui_fs_open, (const char* path), {
  try {
    return require('fs').openSync(UTF8ToString(path), 'r');
  } catch (e) {
    return -1;
  }
});
EM_JS(int, doui_fs_read, (int fd, char* buf, int len), {
  const fs = require('fs');
  for (;;) {
    try {
      return fs.readSync(fd, HEAPU8, buf, len, null);
    } catch (e) {
      if (e.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (e.code === 'EOF') return 0;
      return -1;
    }
  }
});
EM_JS(int, doui_fs_write, (int fd, const char* buf, int len), {
  const fs = require('fs');
  for (;;) {
    try {
      return fs.writeSync(fd, HEAPU8, buf, len);
    } catch (e) {
      if (e.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      return -1;
    }
  }
});
EM_JS(void, doui_fs_close, (int fd), {
  try {
    require('fs').closeSync(fd);
  } catch (e) {
  }
});
// node replaces a closed standard descriptor with /dev/null (device 1,3) opened read-write
// before any of this runs; that is the only trace left of it. See std_closed.
EM_JS(int, doui_fs_null_rdwr, (int fd), {
  try {
    const fs = require('fs');
    const st = fs.fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev !== 259) return 0;
    const info = fs.readFileSync('/proc/self/fdinfo/' + fd, 'latin1');
    const at = info.indexOf('flags:');
    return at >= 0 && (parseInt(info.slice(at + 6), 8) & 3) === 2 ? 1 : 0;
  } catch (e) {
    return 0;
  }
});
// A new file only ('wx': O_CREAT | O_EXCL): -2 when it exists, -1 on any other failure.
EM_JS(int, doui_fs_create, (const char* path, int mode), {
  try {
    return require('fs').openSync(UTF8ToString(path), 'wx', mode);
  } catch (e) {
    return e.code === 'EEXIST' ? -2 : -1;
  }
});
EM_JS(int, doui_fs_sync_close, (int fd), {
  const fs = require('fs');
  let ok = 1;
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    ok = 0;
  }
  try {
    fs.closeSync(fd);
  } catch (e) {
    ok = 0;
  }
  return ok;
});
EM_JS(void, doui_fs_unlink, (const char* path), {
  try {
    require('fs').unlinkSync(UTF8ToString(path));
  } catch (e) {
  }
});
// clang-format on
int sys_open(const char* path) {
  return doui_fs_open(path);
}
int sys_create(const char* path, int mode) {
  return doui_fs_create(path, mode);
}
bool sys_sync_close(int fd) {
  return doui_fs_sync_close(fd) != 0;
}
void sys_unlink(const char* path) {
  doui_fs_unlink(path);
}
long sys_read(int fd, char* buf, std::size_t n) {
  return doui_fs_read(fd, buf, static_cast<int>(n));
}
long sys_write(int fd, const char* buf, std::size_t n) {
  return doui_fs_write(fd, buf, static_cast<int>(n));
}
void sys_close(int fd) {
  doui_fs_close(fd);
}
bool std_closed(int fd) {
  return doui_fs_null_rdwr(fd) != 0;
}
#else
int sys_open(const char* path) {
  int fd;
  do fd = ::open(path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  return fd;
}
int sys_create(const char* path, int mode) {
  int fd;
  do fd = ::open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  while (fd < 0 && errno == EINTR);
  return fd >= 0 ? fd : errno == EEXIST ? -2 : -1;
}
bool sys_sync_close(int fd) {
  const bool synced = ::fsync(fd) == 0;
  return ::close(fd) == 0 && synced;
}
void sys_unlink(const char* path) {
  ::unlink(path);
}
long sys_read(int fd, char* buf, std::size_t n) {
  long r;
  do r = ::read(fd, buf, n);
  while (r < 0 && errno == EINTR);
  return r;
}
long sys_write(int fd, const char* buf, std::size_t n) {
  long r;
  do r = ::write(fd, buf, n);
  while (r < 0 && errno == EINTR);
  return r;
}
void sys_close(int fd) {
  ::close(fd);
}
// The same test as in wasm, so both targets refuse the same descriptors: a closed one (fcntl
// fails), or /dev/null opened read-write, which is what node leaves of a closed one.
bool std_closed(int fd) {
  if (::fcntl(fd, F_GETFD) < 0) return true;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) return false;
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && (flags & O_ACCMODE) == O_RDWR;
}
#endif

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const long w = sys_write(fd, p, std::min<std::size_t>(n, std::size_t{1} << 20));
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// A standard descriptor's state, taken once before anything opens a file (which could take a
// closed descriptor's number).
struct StdState {
  bool in_closed, out_closed;
  StdState() : in_closed(std_closed(0)), out_closed(std_closed(1)) {}
};
const StdState& std_state() {
  static const StdState s;
  return s;
}

}  // namespace

void init_io() {
  (void)std_state();
}

Source::~Source() {
  if (owned_) sys_close(fd_);
}

bool Source::open(const std::string& path) {
  if (path == "-") {
    fd_ = std_state().in_closed ? -1 : 0;
    return fd_ == 0;
  }
  fd_ = sys_open(path.c_str());
  owned_ = fd_ >= 0;
  return owned_;
}

long Source::read(char* buf, std::size_t n) {
  if (failed_ || fd_ < 0) {
    failed_ = true;
    return -1;
  }
  const long r = sys_read(fd_, buf, n);
  if (r < 0) failed_ = true;
  return r;
}

ReadStatus read_all(const std::string& path, std::size_t limit, std::string& out) {
  out.clear();
  Source in;
  if (!in.open(path)) return ReadStatus::kFailed;
  std::vector<char> block(std::size_t{1} << 16);
  for (;;) {
    const long n = in.read(block.data(), block.size());
    if (n < 0) return ReadStatus::kFailed;
    if (n == 0) return ReadStatus::kOk;
    out.append(block.data(), static_cast<std::size_t>(n));
    if (out.size() > limit) {
      out.clear();
      out.shrink_to_fit();
      return ReadStatus::kTooLarge;
    }
  }
}

bool LineReader::fill() {
  pos_ = end_ = 0;
  if (at_end_) return false;
  const long n = source_.read(buffer_.data(), buffer_.size());
  if (n <= 0) {
    at_end_ = true;
    return false;
  }
  end_ = static_cast<std::size_t>(n);
  return true;
}

bool LineReader::next(std::string_view& line) {
  if (too_long_) return false;
  long_line_.clear();
  bool any = false, spans = false;
  std::size_t length = 0;
  for (;;) {
    if (pos_ == end_ && !fill()) break;
    any = true;
    const char* start = buffer_.data() + pos_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
    const std::size_t n = newline ? static_cast<std::size_t>(newline - start) : end_ - pos_;
    pos_ += n + (newline ? 1 : 0);
    if (newline && !spans) {
      line = std::string_view(start, n);  // the common case: no copy
      break;
    }
    spans = true;
    length += n;
    if (long_line_.size() < kMaxLine) {
      long_line_.append(start, std::min(n, kMaxLine - long_line_.size()));
    }
    if (newline) break;
    if (length > kMaxSkip) {
      too_long_ = true;
      break;
    }
  }
  if (!any) return false;
  ++line_number_;
  if (too_long_) return false;
  if (spans) line = long_line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

std::string LineReader::rest() {
  std::string out;
  std::size_t length = 0;
  for (;;) {
    if (pos_ == end_ && !fill()) break;
    const std::size_t n = end_ - pos_;
    out.append(buffer_.data() + pos_, std::min(n, kMaxLine - std::min(kMaxLine, out.size())));
    length += n;
    pos_ = end_;
    if (length > kMaxSkip) {
      too_long_ = true;
      break;
    }
  }
  return out;
}

CreateStatus create_file(const std::string& path, std::string_view bytes, int mode) {
  const int fd = sys_create(path.c_str(), mode);
  if (fd == -2) return CreateStatus::kExists;
  if (fd < 0) return CreateStatus::kFailed;
  const bool written = write_all(fd, bytes.data(), bytes.size());
  if (sys_sync_close(fd) && written) return CreateStatus::kOk;
  sys_unlink(path.c_str());
  return CreateStatus::kFailed;
}

void remove_file(const std::string& path) {
  sys_unlink(path.c_str());
}

Output::Output() : closed_(std_state().out_closed) {}

void Output::write(std::string_view text) {
  if (!ok_) return;
  buffer_.append(text);
  if (buffer_.size() >= (std::size_t{1} << 16)) flush();
}

bool Output::flush() {
  if (buffer_.empty()) return ok_;
  ok_ = ok_ && !closed_ && write_all(1, buffer_.data(), buffer_.size());
  buffer_.clear();
  return ok_;
}

Spool::~Spool() {
  if (file_ != nullptr) std::fclose(file_);
}

void Spool::line(std::string_view text) {
  if (!ok_) return;
  if (file_ == nullptr && memory_.size() + text.size() + 1 > kInMemory) {
    file_ = std::tmpfile();
    ok_ =
        file_ != nullptr && std::fwrite(memory_.data(), 1, memory_.size(), file_) == memory_.size();
    memory_.clear();
    memory_.shrink_to_fit();
  }
  if (file_ == nullptr) {
    memory_.append(text);
    memory_ += '\n';
    return;
  }
  ok_ = ok_ && std::fwrite(text.data(), 1, text.size(), file_) == text.size() &&
        std::fputc('\n', file_) != EOF;
}

bool Spool::copy_to(Output& out) {
  if (!ok_) return false;
  if (file_ == nullptr) {
    out.write(memory_);
    return true;
  }
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) return false;
  std::vector<char> block(std::size_t{1} << 20);
  for (;;) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), file_);
    out.write(std::string_view(block.data(), n));
    if (n < block.size()) return std::ferror(file_) == 0;
  }
}

std::string escape_for_terminal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  auto u_escape = [&](unsigned cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xf];
  };
  while (p < end) {
    const unsigned c = *p;
    if (c < 0x80) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c < 0x20 || c == 0x7f) {
        u_escape(c);
      } else {
        out += static_cast<char>(c);
      }
      ++p;
      continue;
    }
    int n = 0;
    unsigned cp = 0, min = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3, cp = c & 0x07, min = 0x10000;
    }
    bool valid = n > 0 && end - p > n;
    for (int i = 1; valid && i <= n; ++i) {
      valid = (p[i] & 0xc0) == 0x80;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    valid = valid && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    if (!valid) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
      ++p;
      continue;
    }
    // C1 controls, and the marks that reorder or hide text (Trojan Source).
    const bool hide = cp <= 0x9f || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
                      (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (hide) {
      u_escape(cp);
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n + 1));
    }
    p += n + 1;
  }
  return out;
}

void error_line(std::string_view text) {
  std::string line = escape_for_terminal(text);
  line += '\n';
  (void)write_all(2, line.data(), line.size());  // nowhere left to report a failure
}

bool for_each_record(LineReader& in, void (*on_record)(std::string_view, std::size_t, void*),
                     void* context) {
  std::string_view line;
  bool first = true;
  while (in.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (first) {
      first = false;
      // Only a lone "{" opens a pretty-printed record: a first NDJSON line that is merely cut
      // short must get its own verdict, not swallow the records after it.
      const auto from = line.find_first_not_of(" \t");
      const auto to = line.find_last_not_of(" \t");
      if (line.substr(from, to - from + 1) == "{") {
        const std::size_t at = in.line_number();
        std::string whole(line);
        whole += '\n';
        whole += in.rest();
        if (in.too_long()) return true;
        on_record(whole, at, context);
        return true;
      }
    }
    on_record(line, in.line_number(), context);
  }
  return !first || in.too_long();
}

}  // namespace doui::cli
