#include "web/Connections.h"

#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "web/Parse.h"

namespace fd {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---------------------------------------------------------------------------
// [SECTION] The pool: requests on threads we own and name
// ---------------------------------------------------------------------------

namespace {

// A write to a connection the client closed raises SIGPIPE (OpenSSL writes
// with write(2)): on our threads it is blocked, and the write says EPIPE.
void block_sigpipe() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

// httplib hands each accepted connection to a TaskQueue. Its own ThreadPool
// has a fixed size and unnamed std::threads; a live view holds a thread for
// as long as a phone watches, so ours grows on demand up to a cap, names its
// threads, and joins them in shutdown(). Every queued job must run even
// during shutdown: the job is what closes the connection's socket.
class NamedPool : public httplib::TaskQueue {
 public:
  NamedPool(std::string prefix, int max_threads)
      : prefix_(std::move(prefix)), max_(std::max(1, max_threads)) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < std::min(4, max_); ++i) spawn();
  }
  ~NamedPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(fn));
      if (idle_ < static_cast<int>(jobs_.size()) && static_cast<int>(threads_.size()) < max_)
        spawn();
    }
    cv_.notify_one();
  }

  void shutdown() override {
    std::vector<std::jthread> threads;
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      threads.swap(threads_);
    }
    cv_.notify_all();
    threads.clear();  // joins
  }

 private:
  void spawn() {  // under mutex_
    threads_.emplace_back([this] { run(); });
    const std::string name = prefix_ + std::to_string(threads_.size());
    pthread_setname_np(threads_.back().native_handle(), name.substr(0, 15).c_str());
  }
  void run() {
    block_sigpipe();
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        ++idle_;
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;  // stopping, and nothing left to close
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      try {
        job();
      } catch (...) {  // NOLINT(bugprone-empty-catch): one connection must not end the pool
      }
    }
  }

  std::string prefix_;
  int max_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::jthread> threads_;
  int idle_ = 0;
  bool stop_ = false;
};

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] A connection, and reading what it sent
// ---------------------------------------------------------------------------

class LobbyServerBase;

struct LobbyConn {
  int sock = -1;
  SSL* ssl = nullptr;
  bool handshaken = false;
  std::string address;
  Lobby::Impl* lobby = nullptr;  // counts it while it lives
  LobbyServerBase* server = nullptr;
  std::string buf;  // received; httplib has read buf[0, pos)
  std::size_t pos = 0;
  short want = POLLIN;  // what reading waits for (TLS may have to write first)
  bool idle = true;     // no byte of its next request yet
  Clock::time_point last_byte = Clock::now();
  Clock::time_point request_started = Clock::now();
  std::size_t served = 0;

  LobbyConn() = default;
  LobbyConn(const LobbyConn&) = delete;
  LobbyConn& operator=(const LobbyConn&) = delete;
  ~LobbyConn();
  std::string_view unread() const { return std::string_view(buf).substr(pos); }
  void compact() {
    buf.erase(0, pos);
    pos = 0;
  }
};

class LobbyServerBase {
 public:
  virtual ~LobbyServerBase() = default;
  // A connection whose request is whole: served on the pool.
  virtual void dispatch(std::shared_ptr<LobbyConn> c) = 0;
  virtual int listening_socket() const = 0;
};

namespace {

enum class Got { Data, Wait, Closed };

// What there is to read, without waiting.
Got read_some(LobbyConn& c) {
  char tmp[16384];
  for (;;) {
    if (c.ssl) {
      const int n = SSL_read(c.ssl, tmp, sizeof tmp);
      if (n > 0) {
        c.buf.append(tmp, static_cast<std::size_t>(n));
        c.last_byte = Clock::now();
        return Got::Data;
      }
      switch (SSL_get_error(c.ssl, n)) {
        case SSL_ERROR_WANT_READ: c.want = POLLIN; return Got::Wait;
        case SSL_ERROR_WANT_WRITE: c.want = POLLOUT; return Got::Wait;
        default: ERR_clear_error(); return Got::Closed;
      }
    }
    const ssize_t n = ::recv(c.sock, tmp, sizeof tmp, 0);
    if (n > 0) {
      c.buf.append(tmp, static_cast<std::size_t>(n));
      c.last_byte = Clock::now();
      return Got::Data;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      c.want = POLLIN;
      return Got::Wait;
    }
    return Got::Closed;
  }
}

Got handshake(LobbyConn& c) {
  const int r = SSL_accept(c.ssl);
  if (r == 1) {
    c.handshaken = true;
    return Got::Data;
  }
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_READ: c.want = POLLIN; return Got::Wait;
    case SSL_ERROR_WANT_WRITE: c.want = POLLOUT; return Got::Wait;
    default: ERR_clear_error(); return Got::Closed;
  }
}

bool wait_for(int sock, short events, milliseconds limit) {
  if (limit.count() <= 0) return false;
  pollfd p{sock, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, static_cast<int>(limit.count()));
    if (r < 0 && errno == EINTR) continue;
    return r > 0 && !(p.revents & POLLNVAL);
  }
}

bool request_whole(std::string_view d, const ConnectionLimits& l) {
  return fd::request_whole(d, l.max_header, l.max_body);
}

std::string address_of(int sock, bool peer, int* port = nullptr) {
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  const int r = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&a), &len)
                     : ::getsockname(sock, reinterpret_cast<sockaddr*>(&a), &len);
  char host[NI_MAXHOST] = "", serv[NI_MAXSERV] = "";
  if (r != 0 || ::getnameinfo(reinterpret_cast<sockaddr*>(&a), len, host, sizeof host, serv,
                              sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "?";
  if (port) *port = std::atoi(serv);
  std::string h = host;
  if (h.rfind("::ffff:", 0) == 0) h = h.substr(7);  // an IPv4 client on a dual-stack socket
  return h;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] The lobby: connections whose request is not whole yet
// ---------------------------------------------------------------------------

struct Lobby::Impl {
  enum class State { Waiting, Whole, Closed };

  Impl(Lobby& o, const ConnectionLimits& l) : owner(o), limits(l) {}
  Lobby& owner;
  ConnectionLimits limits;
  std::mutex mutex;
  std::map<std::string, int> per_address;            // guarded by mutex
  int held = 0;                                      // guarded by mutex
  bool stopped = false;                              // guarded by mutex
  std::vector<std::shared_ptr<LobbyConn>> arriving;  // guarded by mutex
  int wake = -1;                                     // eventfd: something arrived
  std::jthread thread;

  bool admit(const std::string& address) {
    std::lock_guard lock(mutex);
    int& mine = per_address[address];
    if (stopped || held >= limits.total || mine >= limits.per_address) {
      if (mine == 0) per_address.erase(address);
      ++owner.turned_away_;
      return false;
    }
    ++held;
    ++mine;
    return true;
  }
  void release(const std::string& address) {
    std::lock_guard lock(mutex);
    --held;
    if (auto it = per_address.find(address); it != per_address.end() && --it->second <= 0)
      per_address.erase(it);
  }
  // A LobbyConn must never die under `mutex`: its destructor takes it.
  void park(std::shared_ptr<LobbyConn> c) {
    {
      std::lock_guard lock(mutex);
      if (stopped) return;  // closed as `c` goes, below the lock
      arriving.push_back(std::move(c));
    }
    const std::uint64_t one = 1;
    (void)!::write(wake, &one, sizeof one);
  }

  // Reads what arrived; whether the connection's request is whole now.
  State advance(LobbyConn& c) {
    if (c.ssl && !c.handshaken) {
      const Got g = handshake(c);
      if (g != Got::Data) return g == Got::Wait ? State::Waiting : State::Closed;
    }
    bool closed = false;
    for (;;) {
      const Got g = read_some(c);
      if (g != Got::Data) {
        closed = g == Got::Closed;
        break;
      }
      if (c.idle) {
        c.idle = false;
        c.request_started = c.last_byte;
      }
      if (c.buf.size() - c.pos > limits.max_header + limits.max_body + 4096) break;
    }
    if (!c.idle && request_whole(c.unread(), limits)) return State::Whole;
    return closed ? State::Closed : State::Waiting;
  }

  Clock::time_point deadline(const LobbyConn& c) const {
    if (c.idle) return c.last_byte + (c.served ? limits.keep_alive : limits.silence);
    return std::min(c.last_byte + limits.silence, c.request_started + limits.request_deadline);
  }

  void run(std::stop_token stop);
};

void Lobby::Impl::run(std::stop_token stop) {
  block_sigpipe();
  std::vector<std::shared_ptr<LobbyConn>> waiting, still;
  std::vector<pollfd> fds;
  while (!stop.stop_requested()) {
    {
      std::vector<std::shared_ptr<LobbyConn>> in;
      {
        std::lock_guard lock(mutex);
        in.swap(arriving);
      }
      for (auto& c : in) waiting.push_back(std::move(c));
    }
    fds.assign(1, pollfd{wake, POLLIN, 0});
    auto next = Clock::time_point::max();
    for (const auto& c : waiting) {
      fds.push_back(pollfd{c->sock, c->want, 0});
      next = std::min(next, deadline(*c));
    }
    // Asleep while nobody waits: an idle door costs nothing here.
    int timeout = -1;
    if (!waiting.empty())
      timeout = static_cast<int>(std::clamp<long long>(
          std::chrono::duration_cast<milliseconds>(next - Clock::now()).count() + 1, 1, 1000));
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      std::uint64_t n = 0;
      (void)!::read(wake, &n, sizeof n);
    }
    const auto now = Clock::now();
    still.clear();
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      std::shared_ptr<LobbyConn>& c = waiting[i];
      State s = fds[i + 1].revents ? advance(*c) : State::Waiting;
      if (s == State::Waiting && now > deadline(*c)) s = State::Closed;  // too slow, or silent
      if (s == State::Whole)
        c->server->dispatch(std::move(c));
      else if (s == State::Waiting)
        still.push_back(std::move(c));
    }
    waiting.swap(still);
    still.clear();  // the connections that closed go now, not at the next wake
  }
}

LobbyConn::~LobbyConn() {
  if (ssl) {
    if (handshaken) SSL_shutdown(ssl);  // best effort: the socket does not wait
    SSL_free(ssl);
    ERR_clear_error();
  }
  if (sock >= 0) {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
  if (lobby) lobby->release(address);
}

Lobby::Lobby(ConnectionLimits limits)
    : limits_(limits), impl_(std::make_unique<Impl>(*this, limits)) {
  // Every connection held is a file descriptor: the usual soft limit (1024)
  // would run out before the lobby's own.
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0) {
    const rlim_t want = std::min<rlim_t>(r.rlim_max, 4096);
    if (r.rlim_cur < want) {
      r.rlim_cur = want;
      ::setrlimit(RLIMIT_NOFILE, &r);
      ::getrlimit(RLIMIT_NOFILE, &r);
    }
    impl_->limits.total =
        std::max(64, std::min(impl_->limits.total, static_cast<int>(r.rlim_cur) - 256));
  }
  limits_ = impl_->limits;
  impl_->wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  Impl* impl = impl_.get();
  impl_->thread = std::jthread([impl](std::stop_token stop) { impl->run(stop); });
  pthread_setname_np(impl_->thread.native_handle(), "fd-web-lobby");
}

int Lobby::held() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->held;
}

Lobby::~Lobby() {
  stop();
  if (impl_->wake >= 0) ::close(impl_->wake);
}

void Lobby::stop() {
  std::vector<std::shared_ptr<LobbyConn>> dropped;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
    dropped.swap(impl_->arriving);
  }
  dropped.clear();
  if (impl_->thread.joinable()) {
    impl_->thread.request_stop();
    const std::uint64_t one = 1;
    (void)!::write(impl_->wake, &one, sizeof one);
    impl_->thread.join();  // its waiting connections close as it ends
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Serving a whole request
// ---------------------------------------------------------------------------

namespace {

// httplib reads the request and writes its answer through this: bytes the
// lobby read first, then the socket (or TLS), within the request's deadline.
class LobbyStream final : public httplib::Stream {
 public:
  LobbyStream(LobbyConn& c, const ConnectionLimits& l) : c_(c), l_(l) {}
  Clock::time_point deadline = Clock::now();

  bool is_readable() const override {
    return c_.pos < c_.buf.size() || (c_.ssl && SSL_pending(c_.ssl) > 0) ||
           wait_for(c_.sock, POLLIN, budget());
  }
  bool is_writable() const override {
    if (!wait_for(c_.sock, POLLOUT, l_.write_timeout)) return false;
    // Still there: nothing to read, or something (not the end) to read.
    pollfd p{c_.sock, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return true;
    char b;
    return ::recv(c_.sock, &b, 1, MSG_PEEK) > 0;
  }
  ssize_t read(char* ptr, size_t size) override {
    if (c_.pos == c_.buf.size() && !fill()) return -1;
    const std::size_t n = std::min(size, c_.buf.size() - c_.pos);
    std::memcpy(ptr, c_.buf.data() + c_.pos, n);
    c_.pos += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (size == 0) return 0;
    for (;;) {
      short wait = POLLOUT;
      if (c_.ssl) {
        const int n = SSL_write(c_.ssl, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (n > 0) return n;
        const int e = SSL_get_error(c_.ssl, n);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
          ERR_clear_error();
          return -1;
        }
        wait = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
      } else {
        const ssize_t n = ::send(c_.sock, ptr, size, MSG_NOSIGNAL);
        if (n >= 0) return n;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      }
      if (!wait_for(c_.sock, wait, l_.write_timeout)) return -1;
    }
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = address_of(c_.sock, true, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = address_of(c_.sock, false, &port);
  }
  socket_t socket() const override { return c_.sock; }

 private:
  milliseconds budget() const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    return std::min(l_.silence, left);
  }
  bool fill() {
    for (;;) {
      const Got g = read_some(c_);
      if (g == Got::Data) return true;
      if (g == Got::Closed || !wait_for(c_.sock, c_.want, budget())) return false;
    }
  }
  LobbyConn& c_;
  const ConnectionLimits& l_;
};

template <typename Base>
class LobbyServer final : public Base, public LobbyServerBase {
 public:
  template <typename... Args>
  LobbyServer(Lobby::Impl& lobby, std::string prefix, Args&&... args)
      : Base(std::forward<Args>(args)...), lobby_(lobby) {
    const int threads = lobby.limits.threads;
    this->new_task_queue = [this, prefix, threads] {
      auto* pool = new NamedPool(prefix, threads);
      pool_ = pool;  // owned by httplib's listen loop, which outlives our dispatches
      return pool;
    };
  }
  void dispatch(std::shared_ptr<LobbyConn> c) override {
    NamedPool* pool = pool_.load();
    if (!pool) return;  // not listening: the connection closes
    pool->enqueue([this, c = std::move(c)]() mutable { serve(std::move(c)); });
  }
  int listening_socket() const override { return this->svr_sock_; }

 private:
  static constexpr bool kTls = std::is_same_v<Base, httplib::SSLServer>;

  // Called on a pool thread right after accept(): the connection is ours
  // (closed when its LobbyConn goes) and waits in the lobby unless its request
  // is already whole.
  bool process_and_close_socket(socket_t sock) override {
    const std::string address = address_of(sock, true);
    if (!lobby_.admit(address)) {
      if (!kTls) {
        static constexpr char kBusy[] =
            "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n"
            "Content-Length: 0\r\n\r\n";
        (void)!::send(sock, kBusy, sizeof kBusy - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
      }
      ::close(sock);
      return false;
    }
    auto c = std::make_shared<LobbyConn>();
    c->sock = sock;
    c->address = address;
    c->lobby = &lobby_;
    c->server = this;
    ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL) | O_NONBLOCK);
    if constexpr (kTls) {
      c->ssl = SSL_new(this->ssl_context());
      if (!c->ssl || SSL_set_fd(c->ssl, sock) != 1) return false;
    }
    const auto state = lobby_.advance(*c);
    if (state == Lobby::Impl::State::Closed) return false;
    if (state == Lobby::Impl::State::Whole)
      serve(std::move(c));
    else
      lobby_.park(std::move(c));
    return true;
  }

  void serve(std::shared_ptr<LobbyConn> c) {
    const ConnectionLimits& l = lobby_.limits;
    LobbyStream stream(*c, l);
    for (;;) {
      stream.deadline = Clock::now() + l.request_deadline;
      const bool last = ++c->served >= l.keep_alive_requests || listening_socket() < 0;
      bool closed = false;
      const bool ok =
          this->process_request(stream, last, closed, [&](httplib::Request& r) { r.ssl = c->ssl; });
      if (!ok || closed || last) return;
      // The next request: here already (pipelined), or waited for in the lobby.
      c->compact();
      c->idle = c->buf.empty();
      c->last_byte = c->request_started = Clock::now();
      if (!c->idle && request_whole(c->unread(), l)) continue;
      lobby_.park(std::move(c));
      return;
    }
  }

  Lobby::Impl& lobby_;
  std::atomic<NamedPool*> pool_{nullptr};
};

}  // namespace

struct LobbyAccess {
  static Lobby::Impl& impl(Lobby& l) { return *l.impl_; }
};

std::unique_ptr<httplib::Server> make_lobby_server(Lobby& lobby, bool tls,
                                                   const std::filesystem::path& cert,
                                                   const std::filesystem::path& key,
                                                   const std::string& thread_prefix) {
  Lobby::Impl& impl = LobbyAccess::impl(lobby);
  if (tls)
    return std::make_unique<LobbyServer<httplib::SSLServer>>(impl, thread_prefix, cert.c_str(),
                                                             key.c_str());
  return std::make_unique<LobbyServer<httplib::Server>>(impl, thread_prefix);
}

void widen_backlog(httplib::Server& server) {
  if (auto* s = dynamic_cast<LobbyServerBase*>(&server); s && s->listening_socket() >= 0)
    ::listen(s->listening_socket(), 1024);  // the kernel caps it at somaxconn
}

}  // namespace fd
