#pragma once
// The Embind driver: runs one client::Session against the host's fetch,
// timers and clock. Only bindings/ touches emscripten::val (DESIGN.md).
//
// No Asyncify: the host (web/src/client.mjs) runs each fetch in JS and feeds
// its head, body bytes and end back through flat Driver methods (numbers and
// one string at most: few Embind crossings per exchange). No C++ exception
// exists in this build, and every host function the driver calls is a JS
// wrapper that never throws, so nothing unwinds through Wasm frames.

#include <emscripten/val.h>

#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>

#include "client/session.h"

namespace mcpw::bindings {

using json = client::json;

/// The session and the host's functions.
struct Core {
  Core(client::SessionConfig config, emscripten::val host);
  /// Performs every effect the session has queued.
  void pump();
  /// The host's clock (remembered for pump's timer arithmetic).
  std::uint64_t now();
  /// Hands one request to host.fetch(exchange, method, url, headers, body).
  void start_fetch(const transport::HttpRequest& request);

  client::Session session;
  emscripten::val host;
  std::set<transport::ExchangeId> fetches;  // handed to the host and not ended
  std::string scratch;  // body chunk buffer, reused (the host writes into it)
  // The host's one timer: when it fires (absolute ms), and whether it keeps
  // the host alive (needed only while no fetch is in flight: a socket does).
  std::optional<std::uint64_t> timer_due;
  bool timer_keep_alive = false;
  std::uint64_t last_now = 0;
};

/// The object JS holds: `new Module.Driver(optionsJson, host)`.
class Driver {
 public:
  Driver(std::string options_json, emscripten::val host);
  ~Driver();

  /// Empty when the options were valid, else the error as JSON.
  std::string config_error() const { return config_error_; }
  /// The largest body the core takes (options.maxBodyBytes or its default):
  /// the host reads an answer of known length within it in one go.
  double max_body_bytes() const { return max_body_bytes_; }
  double connect();
  /// `options_json` "" = defaults; `now` = the host's clock.
  double request(std::string method, std::string params_json, std::string options_json, double now);
  /// Answers server request `handle`: ok -> result JSON, else {message, code}.
  void respond(double handle, bool ok, std::string payload_json);
  double list_all(std::string method, std::string items_key, std::string params_json);
  // ---- REST (issue 6) ----
  /// One plain HTTP request {method, url, headers?: {name: value}, body?: text}
  /// through the session (client::Session::rest); options as for request().
  double rest(std::string request_json, std::string options_json);
  // ---- end REST ----
  double close();
  void cancel(double op);
  void on_timer();
  // Answers to authorization effects (web/src/client.mjs hands them over).
  void auth_redirect(std::string callback_url);
  void auth_redirect_cancelled();
  void auth_loaded(std::string key, bool found, std::string value);
  void auth_random(std::string hex);
  void auth_signature(std::string base64url);
  void auth_proof_signature(double proof, std::string base64url);
  void auth_static_token(bool found, std::string token);
  void auth_lock_acquired(std::string key);
  /// {protocolVersion, sessionId, serverInfo, serverCapabilities} as JSON.
  std::string info() const;
  /// Leak checks: {pendingOperations, openExchanges, liveJobs}.
  std::string stats() const;

  // The host's fetch of exchange `ex` (started by host.fetch), step by step;
  // `now` is the host's clock. Input for an exchange the core no longer
  // wants is ignored. on_end / on_error end it (the host calls exactly one
  // of them, or fetch_ended() when the core aborted it or the driver is gone).
  /// `headers`: "name\nvalue\n" for each transport::RESPONSE_HEADERS present.
  void on_head(double ex, int status, std::string headers, double now);
  /// The address of an n-byte buffer in Wasm memory for the next on_body.
  double body_buffer(double n);
  /// n bytes the host wrote at body_buffer(n).
  void on_body(double ex, double n, double now);
  void on_end(double ex, double now);
  void on_error(double ex, std::string message, double now);

 private:
  std::optional<json> parse_params(const std::string& text, double& rejected);
  /// The exchange still wanted; its time noted.
  bool wanted(double ex, double now);
  std::shared_ptr<Core> core_;
  std::string config_error_;
  double max_body_bytes_ = 0;
};

/// Number of fetches handed to hosts and not ended (all drivers).
int live_jobs();
/// A host's fetch ended without on_end / on_error (aborted, driver gone).
void fetch_ended();

}  // namespace mcpw::bindings
