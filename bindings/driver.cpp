#include "driver.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "client/config.h"
#include "support/base64.h"

namespace mcpw::bindings {

using emscripten::val;

namespace {

std::string error_json(const Error& e) {
  json data = nullptr;
  if (!e.data_json.empty()) {
    if (auto d = parse_ordered_json(e.data_json); d.ok()) data = std::move(*d);
  }
  return dump_json(json{{"id", e.id.id},
                        {"kind", e.kind() == ErrorKind::local ? "local" : "remote"},
                        {"message", e.message},
                        {"data", std::move(data)}});
}

client::SessionConfig config_or_default(const std::string& options_json, std::string& error) {
  auto doc = parse_ordered_json(options_json);
  if (!doc.ok()) {
    error = error_json(doc.error());
    return {};
  }
  auto cfg = client::parse_session_config(*doc);
  if (!cfg.ok()) {
    error = error_json(cfg.error());
    return {};
  }
  return std::move(*cfg);
}

// transport::RESPONSE_HEADERS, "\n"-separated: the heads the host passes.
std::string response_header_names() {
  std::string out;
  for (std::string_view name : transport::RESPONSE_HEADERS) out.append(name).push_back('\n');
  return out;
}

}  // namespace

Core::Core(client::SessionConfig config, val host_object) : session(std::move(config)), host(std::move(host_object)) {}

std::uint64_t Core::now() { return last_now = static_cast<std::uint64_t>(host.call<double>("now")); }

void Core::pump() {
  while (auto req = session.poll_request()) start_fetch(*req);
  while (auto ex = session.poll_abort()) {
    if (fetches.erase(*ex)) host.call<void>("abort", static_cast<double>(*ex));
  }
  while (auto s = session.poll_settled()) {
    const double op = static_cast<double>(s->op);
    const bool ok = s->result.ok();
    const std::string text = !ok ? error_json(s->result.error()) : s->text.empty() ? dump_json(*s->result) : std::move(s->text);
    // A view of the UTF-8 bytes: the host decodes them at once (no copy here).
    host.call<void>("settle", op, ok,
                    val(emscripten::typed_memory_view(text.size(), reinterpret_cast<const unsigned char*>(text.data()))));
  }
  while (auto r = session.poll_server_request()) {
    host.call<void>("serverRequest", static_cast<double>(r->handle), r->method, dump_json(r->params));
  }
  while (auto effect = session.poll_auth_effect()) {
    // Plain values across the boundary: a kind and one JSON object.
    if (auto* open = std::get_if<auth::OpenUrl>(&*effect)) {
      host.call<void>("authEffect", std::string("open"), dump_json(json{{"url", open->url}}));
    } else if (auto* store = std::get_if<auth::StoreValue>(&*effect)) {
      host.call<void>("authEffect", std::string("store"),
                      dump_json(json{{"key", store->key}, {"value", store->value ? json(*store->value) : json()}}));
    } else if (auto* load = std::get_if<auth::LoadValue>(&*effect)) {
      host.call<void>("authEffect", std::string("load"), dump_json(json{{"key", load->key}}));
    } else if (auto* random = std::get_if<auth::NeedRandom>(&*effect)) {
      host.call<void>("authEffect", std::string("random"), dump_json(json{{"bytes", random->bytes}}));
    } else if (auto* sign = std::get_if<auth::SignJwt>(&*effect)) {
      host.call<void>("authEffect", std::string("sign"),
                      dump_json(json{{"keyId", sign->key_id}, {"alg", sign->alg}, {"input", sign->signing_input},
                                     {"proof", static_cast<double>(sign->proof)}}));
    } else if (std::get_if<auth::NeedStaticToken>(&*effect)) {
      host.call<void>("authEffect", std::string("token"), std::string("{}"));
    } else if (auto* lock = std::get_if<auth::AcquireLock>(&*effect)) {
      host.call<void>("authEffect", std::string("lock"), dump_json(json{{"key", lock->key}}));
    } else if (auto* unlock = std::get_if<auth::ReleaseLock>(&*effect)) {
      host.call<void>("authEffect", std::string("unlock"), dump_json(json{{"key", unlock->key}}));
    }
  }
  while (auto state = session.poll_state_change()) host.call<void>("state", *state);
  while (auto record = session.poll_trace()) host.call<void>("trace", dump_json(*record));
  while (auto warning = session.poll_warning()) host.call<void>("warning", dump_json(*warning));
  while (auto n = session.poll_notification()) {
    host.call<void>("notify", dump_json(json{{"method", n->method}, {"params", n->params}}));
  }
  // One host timer, re-armed only for an EARLIER deadline: a later one (each
  // new request's) lets it fire early, and on_timer arms the next. So a call
  // costs no timer work; a timer with nothing due is left to fire (unref'd).
  auto deadline = session.next_deadline();
  const bool keep_alive = deadline.has_value() && fetches.empty();
  if (deadline && (!timer_due || *deadline < *timer_due)) {
    timer_due = deadline;
    timer_keep_alive = keep_alive;
    constexpr std::uint64_t MAX_DELAY = 0x7fffffff;  // setTimeout's limit: longer waits fire early, then re-arm
    const std::uint64_t ms = *deadline > last_now ? std::min(*deadline - last_now, MAX_DELAY) : 0;
    host.call<void>("setTimer", static_cast<double>(ms), keep_alive);
  } else if (timer_due && keep_alive != timer_keep_alive) {
    timer_keep_alive = keep_alive;
    host.call<void>("keepTimer", keep_alive);
  }
}

Driver::Driver(std::string options_json, val host) {
  auto config = config_or_default(options_json, config_error_);
  max_body_bytes_ = static_cast<double>(config.body_limits.max_body_bytes);
  core_ = std::make_shared<Core>(std::move(config), std::move(host));
}

// The host aborts its fetches still running when it deletes the driver.
Driver::~Driver() = default;

double Driver::connect() {
  auto op = core_->session.connect(core_->now());
  core_->pump();
  return static_cast<double>(op);
}

std::optional<json> Driver::parse_params(const std::string& text, double& rejected) {
  auto params = parse_ordered_json(text);
  if (params.ok() && (params->is_object() || params->is_null())) return std::move(*params);
  rejected = static_cast<double>(core_->session.reject(
      params.ok() ? Error(INVALID_ARGUMENT, "params must be a JSON object") : params.take_error()));
  core_->pump();
  return std::nullopt;
}

double Driver::request(std::string method, std::string params_json, std::string options_json, double now) {
  core_->last_now = static_cast<std::uint64_t>(now);
  double rejected = 0;
  auto params = parse_params(params_json, rejected);
  if (!params) return rejected;
  // "" = every option at its default (the common case: nothing to parse).
  auto doc = options_json.empty() ? Result<json>(json(nullptr)) : parse_ordered_json(options_json);
  auto options = doc.ok() ? client::parse_request_options(*doc) : Result<client::RequestOptions>(doc.take_error());
  if (!options.ok()) {
    auto op = core_->session.reject(options.take_error());
    core_->pump();
    return static_cast<double>(op);
  }
  // The host's own encoding goes out as is (it parsed: it is JSON).
  std::string text = params->is_object() ? std::move(params_json) : std::string();
  auto op = core_->session.request(std::move(method), std::move(*params), core_->last_now, *options, std::move(text));
  core_->pump();
  return static_cast<double>(op);
}

double Driver::list_all(std::string method, std::string items_key, std::string params_json) {
  double rejected = 0;
  auto params = parse_params(params_json, rejected);
  if (!params) return rejected;
  auto op = core_->session.list_all(std::move(method), std::move(items_key), std::move(*params), core_->now());
  core_->pump();
  return static_cast<double>(op);
}

// ---- REST (issue 6) ----
double Driver::rest(std::string request_json, std::string options_json) {
  auto reject = [&](Error e) {
    auto op = core_->session.reject(std::move(e));
    core_->pump();
    return static_cast<double>(op);
  };
  auto doc = parse_ordered_json(request_json);
  if (!doc.ok()) return reject(doc.take_error());
  auto method = find_string(*doc, "method");
  auto url = find_string(*doc, "url");
  if (!method || !url) return reject(Error(INVALID_ARGUMENT, "a REST request needs string method and url"));
  client::RestRequest req{std::string(*method), std::string(*url), {}, {}};
  if (const json* headers = find_member(*doc, "headers"); headers && !headers->is_null()) {
    if (!headers->is_object()) return reject(Error(INVALID_ARGUMENT, "REST request headers must be an object of strings"));
    for (const auto& [name, value] : headers->items()) {
      if (!value.is_string()) return reject(Error(INVALID_ARGUMENT, "REST request header " + name + " is not a string"));
      req.headers.emplace_back(name, value.get<std::string>());
    }
  }
  if (const json* body = find_member(*doc, "body"); body && !body->is_null()) {
    if (!body->is_string()) return reject(Error(INVALID_ARGUMENT, "a REST request body must be text"));
    req.body = body->get<std::string>();
  }
  auto opts = parse_ordered_json(options_json);
  auto options = opts.ok() ? client::parse_request_options(*opts) : Result<client::RequestOptions>(opts.take_error());
  if (!options.ok()) return reject(options.take_error());
  auto op = core_->session.rest(std::move(req), core_->now(), *options);
  core_->pump();
  return static_cast<double>(op);
}
// ---- end REST ----

void Driver::respond(double handle, bool ok, std::string payload_json) {
  auto payload = parse_ordered_json(payload_json);
  const auto h = static_cast<std::uint64_t>(handle);
  if (ok && payload.ok()) {
    core_->session.respond(h, std::move(*payload), core_->now());
  } else {
    std::string message = "the client's handler failed";
    std::string data;
    if (payload.ok()) {
      if (auto m = find_string(*payload, "message")) message = std::string(*m);
      if (auto code = find_integer(*payload, "code")) data = dump_json(json{{"code", *code}});
    }
    core_->session.respond(h, Error(INVALID_ARGUMENT, std::move(message), std::move(data)), core_->now());
  }
  core_->pump();
}

double Driver::close() {
  auto op = core_->session.close(core_->now());
  core_->pump();
  return static_cast<double>(op);
}

void Driver::cancel(double op) {
  core_->session.cancel(static_cast<client::OpId>(op), core_->now());
  core_->pump();
}

void Driver::on_timer() {
  core_->timer_due.reset();  // the host's timer has fired
  core_->session.handle_timeout(core_->now());
  core_->pump();
}

void Driver::auth_redirect(std::string callback_url) {
  core_->session.handle_auth_redirect(callback_url, core_->now());
  core_->pump();
}

void Driver::auth_redirect_cancelled() {
  core_->session.handle_auth_redirect_cancelled(core_->now());
  core_->pump();
}

void Driver::auth_loaded(std::string key, bool found, std::string value) {
  core_->session.handle_auth_loaded(key, found ? std::optional<std::string_view>(value) : std::nullopt, core_->now());
  core_->pump();
}

void Driver::auth_random(std::string hex) {
  // Hex keeps raw bytes intact across Embind's UTF-8 string conversion.
  auto bytes = hex_decode(hex);
  core_->session.handle_auth_random(bytes ? *bytes : std::string(), core_->now());
  core_->pump();
}

void Driver::auth_signature(std::string base64url) {
  auto raw = base64url_decode(base64url);
  core_->session.handle_auth_signature(raw ? *raw : std::string(), core_->now());
  core_->pump();
}

void Driver::auth_static_token(bool found, std::string token) {
  core_->session.handle_auth_static_token(found ? std::optional<std::string>(std::move(token)) : std::nullopt,
                                          core_->now());
  core_->pump();
}

void Driver::auth_lock_acquired(std::string key) {
  core_->session.handle_auth_lock_acquired(key, core_->now());
  core_->pump();
}

void Driver::auth_proof_signature(double proof, std::string base64url) {
  auto raw = base64url_decode(base64url);
  core_->session.handle_auth_proof_signature(static_cast<std::uint64_t>(proof), raw ? *raw : std::string(), core_->now());
  core_->pump();
}

std::string Driver::info() const {
  const auto& s = core_->session;
  return dump_json(json{{"protocolVersion", s.protocol_version()},
                        {"sessionId", s.session_id()},
                        {"serverInfo", s.server_info()},
                        {"serverCapabilities", s.server_capabilities()}});
}

std::string Driver::stats() const {
  return dump_json(json{{"pendingOperations", core_->session.pending_operations()},
                        {"openExchanges", core_->session.open_exchanges()},
                        {"fetchesInFlight", core_->fetches.size()},
                        {"liveJobs", live_jobs()},
                        {"listMemoHits", core_->session.list_memo_hits()}});
}

EMSCRIPTEN_BINDINGS(mcpw) {
  using namespace emscripten;
  class_<Driver>("Driver")
      .constructor<std::string, val>()
      .function("configError", &Driver::config_error)
      .function("maxBodyBytes", &Driver::max_body_bytes)
      .function("connect", &Driver::connect)
      .function("request", &Driver::request)
      .function("respond", &Driver::respond)
      .function("listAll", &Driver::list_all)
      .function("rest", &Driver::rest)  // REST (issue 6)
      .function("close", &Driver::close)
      .function("cancel", &Driver::cancel)
      .function("onTimer", &Driver::on_timer)
      .function("authRedirect", &Driver::auth_redirect)
      .function("authRedirectCancelled", &Driver::auth_redirect_cancelled)
      .function("authLoaded", &Driver::auth_loaded)
      .function("authRandom", &Driver::auth_random)
      .function("authSignature", &Driver::auth_signature)
      .function("authProofSignature", &Driver::auth_proof_signature)
      .function("authStaticToken", &Driver::auth_static_token)
      .function("authLockAcquired", &Driver::auth_lock_acquired)
      .function("info", &Driver::info)
      .function("stats", &Driver::stats)
      .function("onHead", &Driver::on_head)
      .function("bodyBuffer", &Driver::body_buffer)
      .function("onBody", &Driver::on_body)
      .function("onEnd", &Driver::on_end)
      .function("onError", &Driver::on_error);
  function("liveJobs", &live_jobs);
  function("fetchEnded", &fetch_ended);
  function("responseHeaderNames", &response_header_names);
}

}  // namespace mcpw::bindings
