// `doui serve`: HTTP by cpp-httplib (Debian's libcpp-httplib), the ledger by SQLite or
// PostgreSQL, verification by the same core the browser runs. Nothing a client sends is trusted:
// every record is verified at the server's clock before it is queued for the ledger.
#include "server.hpp"

#include <httplib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <sodium.h>
#include <nlohmann/json.hpp>

#include "deadline_server.hpp"
#include "doui/age.hpp"
#include "doui/digest.hpp"
#include "doui/withdrawal.hpp"
#include "ledger.hpp"
#include "writer.hpp"

namespace doui::server {
namespace {

using json = nlohmann::json;

// The limit the issue sets for a request body; a record is at most kMaxRecordBytes (64 KiB) too.
constexpr std::size_t kMaxBody = 64 * 1024;
constexpr const char* kProblemType = "application/problem+json";
constexpr const char* kJsonType = "application/json";

Instant clock_now() {
  using namespace std::chrono;
  return Instant{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

bool is_subject(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// ---- responses ---------------------------------------------------------------------------------

const httplib::Headers& api_headers() {
  static const httplib::Headers h{
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
      {"Cache-Control", "no-store"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  return h;
}

// RFC 9457: every error carries the core's code, and, for a record, each problem with its JSON
// pointer into the record.
void problem(httplib::Response& res, int status, Code code, const std::string& detail,
             const std::vector<Error>& errors = {}) {
  json p{{"type", "urn:doui:problem:" + std::string(to_string(code))},
         {"title", std::string(summary(code))},
         {"status", status},
         {"code", std::string(to_string(code))}};
  if (!detail.empty()) p["detail"] = detail;
  if (!errors.empty()) {
    json list = json::array();
    for (const auto& e : errors) {
      json item{{"code", std::string(to_string(e.code))}, {"pointer", e.path}};
      if (!e.detail.empty()) item["detail"] = e.detail;
      list.push_back(std::move(item));
    }
    p["errors"] = std::move(list);
  }
  res.status = status;
  res.set_content(p.dump(-1, ' ', false, json::error_handler_t::replace), kProblemType);
}

void reply_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), kJsonType);
}

// ---- credentials -------------------------------------------------------------------------------

struct Credentials {
  enum class Kind { None, Bearer, Operator } kind = Kind::None;
  std::string token;
};

Credentials credentials(const httplib::Request& req, const std::string& api_key) {
  Credentials c;
  const std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) return c;
  c.token = auth.substr(kBearer.size());
  c.kind = Credentials::Kind::Bearer;
  if (!api_key.empty() && c.token.size() == api_key.size() &&
      sodium_memcmp(c.token.data(), api_key.data(), api_key.size()) == 0) {
    c.kind = Credentials::Kind::Operator;
  }
  return c;
}

// ---- read connections --------------------------------------------------------------------------

// Read connections for the request threads (a store connection is not shared between threads).
class StorePool {
 public:
  explicit StorePool(std::string url) : url_(std::move(url)) {}
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> s) : pool_(pool), store_(std::move(s)) {}
    ~Lease() {
      if (store_) pool_.give_back(std::move(store_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Store* operator->() { return store_.get(); }
    Store& operator*() { return *store_; }
    /// After a store error: the connection is not reused.
    void discard() { store_.reset(); }

   private:
    StorePool& pool_;
    std::unique_ptr<Store> store_;
  };
  Lease take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto s = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(s));
      }
    }
    return Lease(*this, open_store(url_));
  }

 private:
  void give_back(std::unique_ptr<Store> s) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(s));
  }
  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> idle_;
};

// ---- metrics -----------------------------------------------------------------------------------

// Prometheus text format, version 0.0.4.
class Metrics {
 public:
  void request(const std::string& route, int status) {
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
  }
  void verdict(const Verdict& v) {
    std::lock_guard lock(mu_);
    if (v.valid) {
      ++verdicts_["valid"];
    } else {
      for (const auto& e : v.errors) ++verdicts_[std::string(to_string(e.code))];
    }
  }
  void commit(double seconds, std::size_t rows) {
    std::lock_guard lock(mu_);
    ++commits_;
    committed_rows_ += rows;
    commit_seconds_sum_ += seconds;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      if (seconds <= kBuckets[i]) ++commit_buckets_[i];
    }
  }
  std::string text(std::uint64_t ledger_entries, std::uint64_t subjects) {
    std::lock_guard lock(mu_);
    std::ostringstream o;
    o << "# HELP doui_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE doui_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      o << "doui_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << n << "\n";
    }
    o << "# HELP doui_verdicts_total Records verified: valid, or each problem code found.\n"
         "# TYPE doui_verdicts_total counter\n";
    for (const auto& [code, n] : verdicts_) {
      o << "doui_verdicts_total{result=\"" << code << "\"} " << n << "\n";
    }
    o << "# HELP doui_ledger_entries Records in the ledger.\n# TYPE doui_ledger_entries gauge\n"
      << "doui_ledger_entries " << ledger_entries << "\n"
      << "# HELP doui_ledger_subjects Subjects in the ledger.\n# TYPE doui_ledger_subjects gauge\n"
      << "doui_ledger_subjects " << subjects << "\n"
      << "# HELP doui_commit_rows_total Rows written by group commits.\n"
      << "# TYPE doui_commit_rows_total counter\ndoui_commit_rows_total " << committed_rows_
      << "\n# HELP doui_commit_duration_seconds Latency of a ledger group commit (to durable).\n"
      << "# TYPE doui_commit_duration_seconds histogram\n";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      o << "doui_commit_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << commit_buckets_[i] << "\n";
    }
    o << "doui_commit_duration_seconds_bucket{le=\"+Inf\"} " << commits_ << "\n"
      << "doui_commit_duration_seconds_sum " << commit_seconds_sum_ << "\n"
      << "doui_commit_duration_seconds_count " << commits_ << "\n";
    return o.str();
  }

 private:
  static constexpr std::array<double, 8> kBuckets{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5};
  std::mutex mu_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> verdicts_;
  std::uint64_t commits_ = 0, committed_rows_ = 0;
  double commit_seconds_sum_ = 0;
  std::array<std::uint64_t, kBuckets.size()> commit_buckets_{};
};

// The route a request took, as a metrics label (never a subject or an id).
std::string route_label(const httplib::Request& req) {
  const std::string& p = req.path;
  auto starts = [&](std::string_view s) { return p.compare(0, s.size(), s) == 0; };
  if (p == "/api/consents") return "/api/consents";
  if (starts("/api/consents/")) return "/api/consents/{id}";
  if (starts("/api/subjects/")) {
    if (p.size() > 8 && p.compare(p.size() - 7, 7, "/status") == 0) {
      return "/api/subjects/{subject}/status";
    }
    return "/api/subjects/{subject}/consents";
  }
  if (starts("/api/") || p == "/healthz" || p == "/metrics") return p.size() > 64 ? "other" : p;
  if (starts("/privacy")) return "privacy";
  return "static";
}

// ---- static files ------------------------------------------------------------------------------

const std::map<std::string, std::string>& mime_types() {
  static const std::map<std::string, std::string> m{
      {".html", "text/html; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".ts", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml; charset=utf-8"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},
  };
  return m;
}

std::string gzip(const std::string& in) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip wrapper; level 9: compressed once per file version, served often.
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

// Files are read and compressed once per version (size and modification time), then served
// from memory with a strong ETag; a client that has the version gets 304.
class StaticFiles {
 public:
  struct File {
    std::string type, etag, body, gz;
    std::int64_t mtime = 0;
    std::int64_t size = -1;
  };

  std::shared_ptr<const File> get(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    const std::int64_t mtime =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(path);
      if (it != cache_.end() && it->second->mtime == mtime && it->second->size == st.st_size) {
        return it->second;
      }
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return nullptr;
    auto f = std::make_shared<File>();
    f->body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    f->mtime = mtime;
    f->size = st.st_size;
    const auto dot = path.rfind('.');
    auto t = dot == std::string::npos ? mime_types().end() : mime_types().find(path.substr(dot));
    f->type = t == mime_types().end() ? "application/octet-stream" : t->second;
    f->etag = "\"" + sha256_hex(f->body).substr(0, 32) + "\"";
    if (f->type.rfind("image/png", 0) != 0 && f->body.size() > 256) {
      std::string z = gzip(f->body);
      if (!z.empty() && z.size() < f->body.size()) f->gz = std::move(z);
    }
    std::lock_guard lock(mu_);
    cache_[path] = f;
    return f;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const File>> cache_;
};

// Maps a URL path below a mount to a file inside `root`: no "..", no dotfiles, "/" is
// index.html. Empty when the path is not one to serve.
std::string resolve(const std::string& root, std::string_view rest) {
  std::string out = root;
  std::size_t i = 0;
  while (i <= rest.size()) {
    std::size_t j = rest.find('/', i);
    if (j == std::string_view::npos) j = rest.size();
    std::string_view seg = rest.substr(i, j - i);
    if (!seg.empty()) {
      if (seg[0] == '.' || seg.find('\\') != std::string_view::npos ||
          seg.find('\0') != std::string_view::npos) {
        return {};
      }
      out.append("/").append(seg);
    }
    i = j + 1;
  }
  if (rest.empty() || rest.back() == '/') out += "/index.html";
  return out;
}

const char* kPageCsp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// Every page's headers: a strict CSP, no referrer, isolated from other origins.
void page_headers(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kPageCsp);
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
}

// Sends `f` with the pages' headers, validators, gzip when the client takes it.
void send_file(const std::shared_ptr<const StaticFiles::File>& f, const httplib::Request& req,
               httplib::Response& res) {
  page_headers(res);
  // Validators, not lifetimes: a page always asks, and is answered 304 while it is current.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", f->etag);
  res.set_header("Vary", "Accept-Encoding");
  if (req.get_header_value("If-None-Match") == f->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  const bool wants_gzip = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
  const bool gzipped = wants_gzip && !f->gz.empty();
  if (gzipped) res.set_header("Content-Encoding", "gzip");
  // A content provider of known length: httplib sends these bytes as they are (it compresses a
  // plain body itself, per request, which would compress the compressed file again).
  const std::string& bytes = gzipped ? f->gz : f->body;
  res.set_content_provider(
      bytes.size(), f->type,
      [f, data = bytes.data()](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        return sink.write(data + offset, length);
      });
}

void serve_file(StaticFiles& files, const std::string& root, std::string_view rest,
                const httplib::Request& req, httplib::Response& res) {
  const std::string path = resolve(root, rest);
  auto f = path.empty() ? nullptr : files.get(path);
  if (!f) {
    problem(res, 404, Code::HttpNotFound, "");
    return;
  }
  send_file(f, req, res);
}

// The privacy center's pages (doui/site.hpp), rendered once at start-up and served from memory.
class SitePages {
 public:
  explicit SitePages(const std::vector<SiteFile>& files) {
    for (const auto& sf : files) {
      auto f = std::make_shared<StaticFiles::File>();
      f->type = sf.type;
      f->body = sf.body;
      f->etag = "\"" + sha256_hex(f->body).substr(0, 32) + "\"";
      std::string z = gzip(f->body);
      if (!z.empty() && z.size() < f->body.size()) f->gz = std::move(z);
      files_[sf.path] = std::move(f);
    }
  }
  bool empty() const { return files_.empty(); }

  // `rest` is the path below /privacy/: "" and "x/" are their index.html; "x" without its slash
  // is sent to "x/" so that the pages' relative links resolve.
  void serve(const std::string& rest, const httplib::Request& req, httplib::Response& res) const {
    const bool dir = rest.empty() || rest.back() == '/';
    auto it = files_.find(dir ? rest + "index.html" : rest);
    if (it != files_.end()) {
      send_file(it->second, req, res);
    } else if (!dir && files_.count(rest + "/index.html") != 0) {
      res.status = 301;
      res.set_header("Location", "/privacy/" + rest + "/");
    } else {
      problem(res, 404, Code::HttpNotFound, "");
    }
  }

 private:
  std::unordered_map<std::string, std::shared_ptr<const StaticFiles::File>> files_;
};

// ---- the API -----------------------------------------------------------------------------------

class Api {
 public:
  Api(const ServeConfig& config, const PolicyRegistry& registry,
      const std::vector<PolicySummary>& policies)
      : config_(config),
        registry_(registry),
        policies_(policies),
        pool_(config.db),
        writer_([url = config.db] { return open_store(url); },
                [this](double s, std::size_t rows) { metrics_.commit(s, rows); }) {}

  Metrics& metrics() { return metrics_; }
  StaticFiles& files() { return files_; }

  void post_consent(const httplib::Request& req, httplib::Response& res) {
    const std::string type = req.get_header_value("Content-Type");
    if (type.compare(0, 16, "application/json") != 0) {
      problem(res, 415, Code::HttpUnsupportedMediaType, "send the record as application/json");
      return;
    }
    const Instant now = clock_now();
    Verdict v = verify_record(req.body, registry_, now);
    metrics_.verdict(v);
    if (!v.valid) {
      // The first problem names the type; `errors` lists every one, each with its pointer.
      problem(res, 422, v.errors.front().code, "the record does not verify; nothing was stored",
              v.errors);
      return;
    }
    const Credentials cred = credentials(req, config_.api_key);
    WriteResult r;
    try {
      r = store_record(req.body, v, cred, now);
    } catch (const StoreError&) {
      problem(res, 503, Code::LedgerUnavailable, "");
      return;
    }
    if (!r.stored) {
      res.set_header("Retry-After", "1");
      problem(res, 503, Code::LedgerUnavailable, "");
      return;
    }
    const Appended& a = r.appended;
    switch (a.outcome) {
      case Outcome::Created: {
        std::string out = "{";
        if (!a.access_token.empty()) out += "\"access_token\":\"" + a.access_token + "\",";
        out += "\"receipt\":" + receipt(a.entry) + "}";
        res.set_header("Location", "/api/consents/" + a.entry.record_id);
        reply_json(res, 201, std::move(out));
        return;
      }
      case Outcome::Replayed:
        reply_json(res, 200, "{\"receipt\":" + receipt(a.entry) + "}");
        return;
      case Outcome::IdInUse:
        problem(res, 409, Code::LedgerIdInUse, a.detail);
        return;
      case Outcome::NotLatest:
        problem(res, 409, Code::LedgerNotLatest, a.detail);
        return;
      case Outcome::Unauthorized:
        refuse(res, cred);
        return;
      case Outcome::NotTakingBack:
        problem(res, 422, a.errors.front().code, a.detail, a.errors);
        return;
    }
  }

  // The consents page's own forms (JavaScript off): the reads and the withdrawal the page's script
  // makes through the API, answered as the page. A withdrawal is built here by the same core, from
  // the same inputs (withdrawal_inputs), and stored as a posted record is: verified, checked
  // against the record it follows, committed.
  void consents_form(const std::string& lang, const httplib::Request& req, httplib::Response& res) {
    const SiteInput& site = *config_.consents_site;
    ConsentsView view;
    view.subject = req.get_param_value("subject");
    view.token = req.get_param_value("token");
    auto page = [&](int status) {
      res.status = status;
      // A page, never cached: it holds the person's records and token.
      page_headers(res);
      res.set_header("Cache-Control", "no-store");
      res.set_content(consents_page(site, lang, view), "text/html; charset=utf-8");
    };
    const Credentials cred{Credentials::Kind::Bearer, view.token};
    std::vector<Entry> entries;
    const auto read = [&] {
      auto store = pool_.take();
      try {
        if (view.token.empty() || !is_subject(view.subject) ||
            !token_ok(*store, cred, view.subject)) {
          return false;
        }
        entries = store->subject_entries(view.subject);
        return !entries.empty();
      } catch (const StoreError&) {
        store.discard();
        throw;
      }
    };
    try {
      if (!read()) {
        // One plain refusal, whatever was wrong; nothing of anyone's is shown.
        view = ConsentsView{};
        view.note = ConsentsView::Note::Refused;
        return page(403);
      }
      if (req.has_param("download")) {
        // (The subject is a plain id, is_subject: safe in the header as it is.)
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Disposition",
                       "attachment; filename=\"consents-" + view.subject + ".json\"");
        res.set_content(history_json(view.subject, entries), kJsonType);
        return;
      }
      if (req.has_param("withdraw")) {
        const std::string what = req.get_param_value("withdraw");
        if (!req.has_param("confirm")) {
          view.confirming = true;
          view.confirm = what;
        } else {
          view.note = withdraw(entries.front(), what, lang, cred) ? ConsentsView::Note::Done
                                                                  : ConsentsView::Note::Failed;
          if (!read()) view.note = ConsentsView::Note::Failed;
        }
      }
    } catch (const StoreError&) {
      view.note = ConsentsView::Note::Failed;
      return page(503);
    }
    // What the latest record holds, what may be withdrawn from it, and every record.
    const json latest = json::parse(entries.front().body, nullptr, false);
    view.shown = true;
    view.policy_agreed = latest.value("policy_agreed", false);
    if (withdrawal_inputs(entries.front().body, "")) view.withdrawable.emplace_back();
    for (const auto& c : latest["choices"]) {
      const std::string id = c.value("id", "");
      view.linkages.emplace_back(id, c.value("chosen", false));
      if (withdrawal_inputs(entries.front().body, id)) view.withdrawable.push_back(id);
    }
    for (const auto& e : entries) {
      const json r = json::parse(e.body, nullptr, false);
      ConsentsView::Row row{
          r.value("consented_at", ""), r.value("event", ""), r.value("policy_agreed", false), {}};
      for (const auto& c : r["choices"]) {
        if (c.value("chosen", false)) row.chosen.push_back(c.value("id", ""));
      }
      view.history.push_back(std::move(row));
    }
    page(200);
  }

  void get_consent(const std::string& id, const httplib::Request& req, httplib::Response& res) {
    const Credentials cred = credentials(req, config_.api_key);
    if (cred.kind == Credentials::Kind::None) return refuse(res, cred);
    auto store = pool_.take();
    try {
      auto e = store->entry_by_record(id);
      if (cred.kind != Credentials::Kind::Operator && !(e && token_ok(*store, cred, e->subject))) {
        return refuse(res, cred);
      }
      if (!e) return problem(res, 404, Code::HttpNotFound, "");
      reply_json(res, 200, consent_json(*e));
    } catch (const StoreError&) {
      store.discard();
      problem(res, 503, Code::LedgerUnavailable, "");
    }
  }

  void get_history(const std::string& subject, const httplib::Request& req,
                   httplib::Response& res) {
    std::vector<Entry> entries;
    if (!subject_entries(subject, req, res, entries)) return;
    reply_json(res, 200, history_json(subject, entries));
  }

  void get_status(const std::string& subject, const httplib::Request& req, httplib::Response& res) {
    std::vector<Entry> entries;
    if (!subject_entries(subject, req, res, entries)) return;
    const Entry& latest = entries.front();
    const json record = json::parse(latest.body, nullptr, false);
    // Whether the policy now in effect has superseded the one consented to: the core decides.
    const Verdict v = verify_record(latest.body, registry_, clock_now());
    // What withdrawing would state, as the inputs a page starts its session from (the core
    // derives them: no front end works out what remains); null when there is nothing to take back.
    const auto withdrawal = [&latest](const std::string& linkage) {
      auto in = withdrawal_inputs(latest.body, linkage);
      return in ? json::parse(consent_inputs_json(*in)) : json(nullptr);
    };
    json linkages = json::array();
    for (const auto& c : record["choices"]) {
      linkages.push_back({{"id", c["id"]},
                          {"chosen", c["chosen"]},
                          {"withdrawal", withdrawal(c.value("id", ""))}});
    }
    const json& pol = record["policy"];
    const Policy* current = registry_.current(pol.value("id", ""), clock_now());
    json status{{"subject", subject},
                {"latest_record", latest.record_id},
                {"event", latest.event},
                {"withdrawn", latest.event == "withdrawn" && !record.value("policy_agreed", true)},
                {"policy_agreed", record["policy_agreed"]},
                {"policy", {{"id", pol["id"]}, {"version", pol["version"]}}},
                {"current_policy", current ? json{{"id", current->id},
                                                  {"version", current->version},
                                                  {"digest", current->digest}}
                                           : json(nullptr)},
                {"reconsent_required", v.reconsent_required},
                {"withdrawal", withdrawal("")},
                {"linkages", std::move(linkages)}};
    reply_json(res, 200, status.dump());
  }

  void get_policies(httplib::Response& res) {
    json list = json::array();
    const Instant now = clock_now();
    for (const auto& p : policies_) {
      const Policy* current = registry_.current(p.id, now);
      list.push_back({{"id", p.id},
                      {"version", p.version},
                      {"effective_date", p.effective_date},
                      {"digest", p.digest},
                      {"title", p.title},
                      {"lang", p.lang},
                      {"in_effect", current && current->version == p.version}});
    }
    reply_json(res, 200, json{{"policies", list}}.dump());
  }

  void get_metrics(httplib::Response& res) {
    std::uint64_t entries = 0, subjects = 0;
    auto store = pool_.take();
    try {
      entries = store->head().position;
      subjects = store->subject_count();
    } catch (const StoreError&) {
      store.discard();
    }
    res.set_content(metrics_.text(entries, subjects), "text/plain; version=0.0.4; charset=utf-8");
  }

  // The public key files of the keys that sign receipts (as `doui key new` writes FILE.pub), so
  // that a page can check its receipts itself (doui-receipt.mjs) without asking the server.
  void get_keys(httplib::Response& res) {
    json keys = json::array();
    keys.push_back(json::parse(public_key_json(public_key_of(config_.key))));
    reply_json(res, 200, json{{"keys", keys}}.dump());
  }

  void get_health(httplib::Response& res) {
    auto store = pool_.take();
    try {
      const Head h = store->head();
      reply_json(res, 200, json{{"status", "ok"}, {"ledger_entries", h.position}}.dump());
    } catch (const StoreError&) {
      store.discard();
      problem(res, 503, Code::LedgerUnavailable, "");
    }
  }

 private:
  // One answer for "no such subject" and "not yours": nothing tells them apart.
  static void refuse(httplib::Response& res, const Credentials& cred) {
    if (cred.kind == Credentials::Kind::None) {
      res.set_header("WWW-Authenticate", "Bearer");
      problem(res, 401, Code::HttpUnauthorized, "");
    } else {
      problem(res, 403, Code::HttpForbidden, "");
    }
  }

  static bool token_ok(Store& store, const Credentials& cred, const std::string& subject) {
    if (cred.kind == Credentials::Kind::Operator) return true;
    if (cred.kind != Credentials::Kind::Bearer) return false;
    auto stored = store.subject_token_hash(subject);
    // Hash the token either way, so an unknown subject takes as long as a wrong token.
    const bool ok = token_matches(cred.token, stored ? *stored : std::string(kGenesis));
    return stored && ok;
  }

  bool authorized(const Credentials& cred, const std::string& subject) {
    if (cred.kind == Credentials::Kind::Operator) return true;
    if (cred.kind != Credentials::Kind::Bearer) return false;
    auto store = pool_.take();
    try {
      return token_ok(*store, cred, subject);
    } catch (const StoreError&) {
      store.discard();
      throw;
    }
  }

  bool subject_entries(const std::string& subject, const httplib::Request& req,
                       httplib::Response& res, std::vector<Entry>& out) {
    const Credentials cred = credentials(req, config_.api_key);
    if (cred.kind == Credentials::Kind::None || !is_subject(subject)) {
      refuse(res, cred);
      return false;
    }
    auto store = pool_.take();
    try {
      if (!token_ok(*store, cred, subject)) {
        refuse(res, cred);
        return false;
      }
      out = store->subject_entries(subject);
    } catch (const StoreError&) {
      store.discard();
      problem(res, 503, Code::LedgerUnavailable, "");
      return false;
    }
    if (out.empty()) {
      problem(res, 404, Code::HttpNotFound, "");  // only the operator gets here
      return false;
    }
    return true;
  }

  // Verifies nothing: `v` is the record's verdict, valid. Throws StoreError when the ledger cannot
  // be read for the access check.
  WriteResult store_record(const std::string& body_text, const Verdict& v, const Credentials& cred,
                           Instant now) {
    const json body = json::parse(body_text, nullptr, false);
    Submission s;
    s.body = body_text;
    s.record_id = v.record_id;
    s.record_digest = v.digest;
    s.subject = body.value("subject", "");
    s.event = body.value("event", "");
    if (body["previous_record"].is_string()) s.previous_record = body["previous_record"];
    s.authorized = authorized(cred, s.subject);
    WriteResult r = writer_.submit(std::move(s), format_instant(now)).get();
    if (!r.stored) std::fprintf(stderr, "doui serve: ledger: %s\n", r.failure.c_str());
    return r;
  }

  // A withdrawal of `what` ("" everything, or a linkage id) from `latest`, built by the core and
  // stored as a posted record would be. False if it could not be made or was not stored.
  bool withdraw(const Entry& latest, const std::string& what, const std::string& lang,
                const Credentials& cred) {
    auto in = withdrawal_inputs(latest.body, what);
    if (!in) return false;
    in->surface = "privacy-center";
    in->agent = "doui-privacy-center/" DOUI_VERSION;
    in->locale = lang;
    const Instant now = clock_now();
    auto record = build_record(*config_.consents_site->policy, *in, now);
    if (!record) return false;
    const Verdict v = verify_record(*record, registry_, now);
    metrics_.verdict(v);
    if (!v.valid) return false;
    const WriteResult r = store_record(*record, v, cred, now);
    return r.stored && r.appended.outcome == Outcome::Created;
  }

  std::string receipt(const Entry& e) const {
    return sign_receipt(
        ReceiptFacts{e.record_id, e.record_digest, e.subject, e.received_at, e.position, e.hash},
        config_.key);
  }

  // A subject's records, newest first, each as consent_json: GET …/consents and the consents
  // page's download.
  std::string history_json(const std::string& subject, const std::vector<Entry>& entries) const {
    std::string out = "{\"consents\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i) out += ",";
      out += consent_json(entries[i]);
    }
    return out + "],\"subject\":" + json(subject).dump() + "}";
  }

  // The record exactly as received, beside its receipt.
  std::string consent_json(const Entry& e) const {
    return "{\"receipt\":" + receipt(e) + ",\"record\":" + e.body + "}";
  }

  const ServeConfig& config_;
  const PolicyRegistry& registry_;
  const std::vector<PolicySummary>& policies_;
  Metrics metrics_;
  StaticFiles files_;
  StorePool pool_;
  Writer writer_;
};

std::atomic<httplib::Server*> g_server{nullptr};

}  // namespace

int serve(const ServeConfig& config, const PolicyRegistry& registry,
          const std::vector<PolicySummary>& policies) {
  try {
    open_store(config.db)->migrate();
  } catch (const StoreError& e) {
    std::fprintf(stderr, "doui serve: %s: %s\n",
                 std::string(to_string(Code::LedgerUnavailable)).c_str(), e.what.c_str());
    return 2;
  }
  Api api(config, registry, policies);
  // A request must arrive whole, and its answer leave, within deadlines; an idle keep-alive
  // connection is closed after 5 s, and at once after its answer when most workers are busy: so
  // slow or silent clients give their worker back (deadline_server.hpp).
  DeadlineServer svr(config.deadlines);
  const int threads = config.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_keep_alive_max_count(100);
  svr.set_payload_max_length(kMaxBody);
  svr.set_tcp_nodelay(true);

  const std::string json_api = "/api/";
  svr.set_pre_routing_handler([&config](const httplib::Request& req, httplib::Response& res) {
    const bool api_path = req.path.compare(0, 5, "/api/") == 0;
    if (api_path || req.path == "/healthz" || req.path == "/metrics") {
      for (const auto& [k, v] : api_headers()) res.set_header(k, v);
    }
    // A privacy center on another origin (doui site build --api) calls the API with the
    // person's token in a header: allowed for the origins named, and no others. No cookies are
    // involved, so no credentials are allowed.
    const std::string origin = req.get_header_value("Origin");
    if (api_path && !origin.empty() &&
        std::find(config.cors_origins.begin(), config.cors_origins.end(), origin) !=
            config.cors_origins.end()) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", "Location, Retry-After");
      if (req.method == "OPTIONS") {
        res.set_header("Access-Control-Allow-Methods", "GET, POST");
        res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.set_header("Access-Control-Max-Age", "600");
        res.status = 204;
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  svr.Post("/api/consents", [&](const auto& req, auto& res) { api.post_consent(req, res); });
  svr.Get(R"(/api/consents/([0-9a-f-]{36}))",
          [&](const auto& req, auto& res) { api.get_consent(req.matches[1], req, res); });
  svr.Get(R"(/api/subjects/([^/]+)/consents)",
          [&](const auto& req, auto& res) { api.get_history(req.matches[1], req, res); });
  svr.Get(R"(/api/subjects/([^/]+)/status)",
          [&](const auto& req, auto& res) { api.get_status(req.matches[1], req, res); });
  svr.Get("/api/policies", [&](const auto&, auto& res) { api.get_policies(res); });
  svr.Get("/api/keys", [&](const auto&, auto& res) { api.get_keys(res); });
  svr.Get("/api/openapi.json",
          [](const auto&, auto& res) { res.set_content(std::string(openapi_json()), kJsonType); });
  svr.Get("/healthz", [&](const auto&, auto& res) { api.get_health(res); });
  svr.Get("/metrics", [&](const auto&, auto& res) { api.get_metrics(res); });
  // Anything else under /api/ is a path or a method the API does not have.
  auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    const bool known = req.path == "/api/consents" || req.path == "/api/policies" ||
                       req.path == "/api/keys" || req.path == "/api/openapi.json";
    if (known) {
      problem(res, 405, Code::HttpMethodNotAllowed, req.method + " is not accepted here");
    } else {
      problem(res, 404, Code::HttpNotFound, "");
    }
  };
  svr.Get(R"(/api/.*)", not_allowed);
  svr.Post(R"(/api/.*)", not_allowed);
  svr.Put(R"(/api/.*)", not_allowed);
  svr.Delete(R"(/api/.*)", not_allowed);
  svr.Patch(R"(/api/.*)", not_allowed);
  const SitePages site(config.site);
  if (!site.empty()) {
    svr.Get("/privacy", [](const auto&, auto& res) {
      res.status = 301;
      res.set_header("Location", "/privacy/");
    });
    if (config.consents_site) {
      svr.Post(R"(/privacy/(en/)?consents/)", [&](const auto& req, auto& res) {
        api.consents_form(req.matches[1].length() > 0 ? "en" : "ja", req, res);
      });
    }
    svr.Get(R"(/privacy/(.*))", [&](const auto& req, auto& res) {
      // The in-page search's browser module: the wasm build's web files, beside the pages (as
      // `doui site build --dist` puts them), so that the pages' relative URLs hold anywhere.
      const std::string rest = req.matches[1].str();
      if (rest.rfind("dist/", 0) == 0 && !config.dist_dir.empty()) {
        serve_file(api.files(), config.dist_dir, std::string_view(rest).substr(5), req, res);
        return;
      }
      site.serve(rest, req, res);
    });
  }
  if (!config.dist_dir.empty()) {
    svr.Get(R"(/dist/(.*))", [&](const auto& req, auto& res) {
      serve_file(api.files(), config.dist_dir, req.matches[1].str(), req, res);
    });
  }
  if (!config.web_dir.empty()) {
    svr.Get(R"(/(.*))", [&](const auto& req, auto& res) {
      serve_file(api.files(), config.web_dir, req.matches[1].str(), req, res);
    });
  }
  // httplib answers some errors itself (413 before the body is read, 400, 404): as problems too.
  svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    for (const auto& [k, v] : api_headers()) res.set_header(k, v);
    switch (res.status) {
      case 413:
        problem(res, 413, Code::HttpTooLarge, "a request body may be at most 65536 bytes");
        break;
      case 404:
        problem(res, 404, Code::HttpNotFound, "");
        break;
      case 405:
        problem(res, 405, Code::HttpMethodNotAllowed, "");
        break;
      default:
        problem(res, res.status, Code::HttpBadRequest, "");
        break;
    }
  });
  svr.set_exception_handler([](const auto&, auto& res, std::exception_ptr) {
    problem(res, 500, Code::HttpBadRequest, "internal error");
  });
  svr.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
    api.metrics().request(route_label(req), res.status);
  });

  int port = config.port;
  if (port == 0) {
    port = svr.bind_to_any_port(config.host);
    if (port < 0) port = 0;
  } else if (!svr.bind_to_port(config.host, port)) {
    port = 0;
  }
  if (port == 0 || !svr.raise_backlog(SOMAXCONN)) {
    std::fprintf(stderr, "doui serve: cannot listen on %s:%d\n", config.host.c_str(), config.port);
    return 2;
  }
  // SIGINT/SIGTERM stop the server; the writer drains what it has queued before it goes.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  g_server = &svr;
  std::thread stopper([set] {
    int sig = 0;
    sigwait(&set, &sig);
    if (auto* s = g_server.load()) s->stop();
  });
  std::printf("doui serve: listening on http://%s:%d (key %s)\n", config.host.c_str(), port,
              config.key.key_id.c_str());
  std::fflush(stdout);
  svr.listen_after_bind();
  g_server = nullptr;
  // Wake the stopper if the server stopped for another reason.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace doui::server
