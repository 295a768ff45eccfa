#pragma once
// The Embind driver: runs one client::Session against the host's fetch,
// timers and clock. Only bindings/ touches emscripten::val (DESIGN.md).
//
// No Asyncify: each async step is a bound C++ method handed to Promise.then
// (RUNTIME.md "fetch from C++ without Asyncify"). No C++ exception exists in
// this build, and every host function the driver calls is a JS wrapper that
// never throws (web/src/client.mjs), so nothing unwinds through Wasm frames.

#include <emscripten/val.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "client/session.h"

namespace mcpw::bindings {

using json = client::json;

/// State shared by the driver and its in-flight fetch jobs; jobs hold it
/// weakly, so a driver deleted mid-request leaves them nothing to touch.
struct Core {
  Core(client::SessionConfig config, emscripten::val host);
  /// Performs every effect the session has queued.
  void pump();
  std::uint64_t now() const;

  client::Session session;
  emscripten::val host;
  std::map<transport::ExchangeId, emscripten::val> controllers;  // AbortController per fetch
  std::string scratch;  // body chunk buffer, reused
  std::optional<std::uint64_t> timer_deadline;
  std::weak_ptr<Core> self;  // set by the owning Driver
};

/// The object JS holds: `new Module.Driver(optionsJson, host)`.
class Driver {
 public:
  Driver(std::string options_json, emscripten::val host);
  ~Driver();

  /// Empty when the options were valid, else the error as JSON.
  std::string config_error() const { return config_error_; }
  double connect();
  double request(std::string method, std::string params_json, std::string options_json);
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

 private:
  std::optional<json> parse_params(const std::string& text, double& rejected);
  std::shared_ptr<Core> core_;
  std::string config_error_;
};

/// Number of fetch jobs alive in this module (all drivers).
int live_jobs();

}  // namespace mcpw::bindings
