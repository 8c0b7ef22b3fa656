#include "deadline_server.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>

namespace doui::server {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` (or has failed: the next call says how), or `until`
// has passed (false).
bool wait_for(int fd, short events, Clock::time_point until) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

void address(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return;
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> serv{};
  if (::getnameinfo(sa, len, host.data(), host.size(), serv.data(), serv.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host.data();
    port = std::atoi(serv.data());
  }
}

// The connection under cpp-httplib's parser: reads and writes bounded by the current request's
// and response's deadlines rather than per call. Bytes read ahead are kept for the next request
// on the connection.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(int fd, const Deadlines& d) : fd_(fd), deadlines_(d) {}

  bool buffered() const { return off_ < size_; }
  // A request begins: it must be read whole by `until`, and its response is not begun.
  void start_request(Clock::time_point until) {
    read_until_ = until;
    writing_ = false;
  }

  // A read or a write ran out of time: the connection is not reused.
  bool timed_out() const { return timed_out_; }

  bool is_readable() const override {
    return buffered() || note(wait_for(fd_, POLLIN, read_until_));
  }
  bool is_writable() const override { return note(wait_for(fd_, POLLOUT, write_until())); }

  ssize_t read(char* ptr, size_t n) override {
    if (!buffered()) {
      if (!note(wait_for(fd_, POLLIN, read_until_))) return -1;
      ssize_t got;
      do {
        got = ::recv(fd_, buf_.data(), buf_.size(), 0);
      } while (got < 0 && errno == EINTR);
      if (got <= 0) return got;
      off_ = 0;
      size_ = static_cast<std::size_t>(got);
    }
    const std::size_t take = std::min(n, size_ - off_);
    std::memcpy(ptr, buf_.data() + off_, take);
    off_ += take;
    return static_cast<ssize_t>(take);
  }

  ssize_t write(const char* ptr, size_t n) override {
    if (!note(wait_for(fd_, POLLOUT, write_until()))) return -1;
    ssize_t sent;
    do {
      sent = ::send(fd_, ptr, n, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address(fd_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address(fd_, false, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  bool note(bool in_time) const {
    if (!in_time) timed_out_ = true;
    return in_time;
  }

  // The response's deadline starts with its first byte.
  Clock::time_point write_until() const {
    if (!writing_) {
      writing_ = true;
      write_until_ = Clock::now() + deadlines_.response;
    }
    return write_until_;
  }

  int fd_;
  const Deadlines& deadlines_;
  Clock::time_point read_until_{};
  mutable Clock::time_point write_until_{};
  mutable bool writing_ = false;
  mutable bool timed_out_ = false;
  std::array<char, 4096> buf_{};
  std::size_t off_ = 0, size_ = 0;
};

}  // namespace

bool DeadlineServer::raise_backlog(int backlog) {
  return ::listen(svr_sock_, backlog) == 0;
}

// cpp-httplib's own loop (detail::process_server_socket), with our stream and deadlines.
bool DeadlineServer::process_and_close_socket(socket_t sock) {
  ++open_;
  DeadlineStream strm(sock, deadlines_);
  bool ret = false;
  // A connection that sends nothing is cut at the request deadline, like one that sends slowly.
  auto until = Clock::now() + deadlines_.request;
  bool first = true;
  for (std::size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    if (!strm.buffered() && !wait_for(sock, POLLIN, until)) break;
    strm.start_request(first ? until : Clock::now() + deadlines_.request);
    first = false;
    const bool close = left == 1 || open_.load() > deadlines_.busy_connections;
    bool closed = false;
    ret = process_request(strm, close, closed, nullptr);
    if (!ret || closed || strm.timed_out()) break;
    until = Clock::now() + deadlines_.idle;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  --open_;
  return ret;
}

}  // namespace doui::server
